"""Smoke test of a production-settings stack on this machine (run by deploy/smoke, which see).

Boots gunicorn (TLS with a throw-away certificate), one Celery worker per queue, beat and a local SMTP server on the
machine's PostgreSQL and Redis, with their own database and Redis db; then, as a user would: signs in with a
password and a TOTP code computed from the device's secret, creates a breach and uploads a small cohort, issues an
instruction to every fund and waits for each fund's notice at the SMTP server, looks up a NIR of the cohort, reads
/healthz and /metrics. Stops everything it started; exit status 0 only if every step passed.
"""

import argparse
import datetime
import ipaddress
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import redis
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breaches.nir import make_nir  # noqa: E402
from tests.support.smtp import SmtpServer, free_port  # noqa: E402

PYTHON = sys.executable
QUEUES = ["notices", "imports", "reports", "default"]
# As deploy/systemd and the README run them: imports in the worker's own process (it forks the parsers of a big file).
WORKER_OPTIONS = {"notices": ["-c", "2"], "imports": ["-P", "solo"], "reports": ["-c", "1"], "default": ["-c", "1"]}
PASSWORD = "Fumee-de-test-2026!"


STARTED = time.monotonic()


def step(message: str) -> None:
    try:
        print(f"[smoke {time.strftime('%H:%M:%S')} +{time.monotonic() - STARTED:.0f}s] {message}", flush=True)
    except OSError:
        pass  # stdout closed (its reader was stopped): the clean-up must go on regardless


def wait_for(what: str, predicate, timeout: float, every: float = 1.0):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except (requests.RequestException, OSError, ValueError) as exc:
            last_error = exc
        time.sleep(every)
    raise SmokeFailure(f"{what}: not reached within {timeout:.0f} s" + (f" (last error: {last_error})"
                                                                         if last_error else ""))


class SmokeFailure(Exception):
    pass


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid one day."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vigie-smoke")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Stack:
    """The processes of the stack; every one started is stopped by stop()."""

    def __init__(self, args, workdir: Path):
        self.args, self.workdir = args, workdir
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.smtp = SmtpServer()
        self.metrics_token = secrets.token_urlsafe(24)
        self.env = self._env()

    def _env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production", DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(48), NIR_DIGEST_KEY=secrets.token_urlsafe(48),
            NIR_SEAL_KEY=secrets.token_urlsafe(48),
            DATABASE_URL=self.args.database_url, REDIS_URL=self.args.redis_url,
            ALLOWED_HOSTS="127.0.0.1", CSRF_TRUSTED_ORIGINS=self.url, SITE_URL=self.url,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.port), EMAIL_TIMEOUT="10",
            PRIVATE_ROOT=str(self.workdir / "private"), METRICS_TOKEN=self.metrics_token, LOG_FORMAT="json",
            PROMETHEUS_MULTIPROC_DIR=str(self.workdir / "metrics"), SECURE_HSTS_SECONDS="0",
            GUNICORN_BIND=f"127.0.0.1:{self.port}", GUNICORN_WORKERS="2",
        )
        return env

    def manage(self, *command: str, timeout: float = 600) -> str:
        done = subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)
        if done.returncode:
            raise SmokeFailure(f"manage.py {' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return done.stdout

    def spawn(self, name: str, command: list[str]) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append((name, process))

    def start(self, cert: Path, key: Path) -> None:
        (self.workdir / "metrics").mkdir()
        self.smtp.start()
        self.spawn("gunicorn", [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--certfile", str(cert),
                                "--keyfile", str(key), "config.wsgi"])
        for queue in QUEUES:
            self.spawn(f"worker-{queue}", [PYTHON, "-m", "celery", "-A", "config", "worker", "-Q", queue,
                                           "-n", f"{queue}@smoke", *WORKER_OPTIONS[queue],
                                           "--loglevel", "INFO"])
        self.spawn("beat", [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                            "-s", str(self.workdir / "beat-schedule")])

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                raise SmokeFailure(f"{name} exited with code {process.returncode}")

    def stop(self) -> None:
        for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(stop_signal, signal.SIG_IGN)  # a second Ctrl-C must not leave processes behind
        for _, process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)  # the group: a worker's pool children too
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        for name, process in self.processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                step(f"{name} did not stop in time: SIGKILL")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            try:
                os.killpg(process.pid, signal.SIGKILL)  # whatever of its group outlived it
            except ProcessLookupError:
                pass
        self.smtp.stop()

    def show_logs(self, lines: int = 40) -> None:
        for name, _ in self.processes:
            path = self.workdir / f"{name}.log"
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                print(f"----- {name} (last {len(tail)} lines) -----", file=sys.stderr)
                print("\n".join(tail), file=sys.stderr)


def static_files_stale() -> bool:
    """Collecting (and compressing) ~10,000 files takes minutes on a busy machine: done once per change only."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [ROOT / "requirements.txt", *(p for p in (ROOT / "static").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SETUP = """
from django_otp.plugins.otp_totp.models import TOTPDevice
from network.models import Fund
from network.services import membership_grant, user_provision
user, _ = user_provision(username="smoke-national", password={password!r})
membership_grant(user=user, role="national")
TOTPDevice.objects.filter(user=user).delete()
device = TOTPDevice.objects.create(user=user, name="smoke", confirmed=True)
for fund in Fund.objects.filter(is_active=True):
    fund.notice_emails = f"vigilance.{{fund.code}}@smoke.invalid"
    fund.save(update_fields=["notice_emails"])
print("TOTP-KEY", device.key)
print("FUND-CODES", " ".join(Fund.objects.filter(is_active=True).values_list("code", flat=True)))
"""


def totp(hex_key: str, at: float | None = None) -> str:
    """The code an authenticator app shows for this device secret (RFC 6238, as django-otp checks it)."""
    import hashlib
    import hmac
    import struct

    counter = int((at or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class Browser:
    def __init__(self, base: str, cert: Path):
        # verify= on each call: a session's own would lose to REQUESTS_CA_BUNDLE from the environment
        self.base, self.session, self.cert = base, requests.Session(), str(cert)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, timeout=60, verify=self.cert, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        headers = {"Referer": self.base + path, "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
                   **kwargs.pop("headers", {})}
        return self.session.post(self.base + path, timeout=120, headers=headers, verify=self.cert, **kwargs)

    def form(self, path: str, data: dict, **kwargs) -> requests.Response:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise SmokeFailure(f"no CSRF token on {path} (status {page.status_code}, url {page.url})")
        return self.post(path, data={**data, "csrfmiddlewaretoken": token.group(1)}, **kwargs)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def sign_in(browser: Browser, totp_key: str) -> None:
    response = browser.form("/connexion/", {"username": "smoke-national", "password": PASSWORD})
    expect("/compte/double-authentification/" in response.url, f"no second-factor step after the password "
                                                                 f"(landed on {response.url})")
    response = browser.form("/compte/double-authentification/", {"token": totp(totp_key)})
    expect(response.status_code == 200 and "double-authentification" not in response.url,
           f"the TOTP code was refused (landed on {response.url})")
    expect(browser.session.cookies.get("sessionid") is not None, "no session cookie over HTTPS")


def load_cohort(browser: Browser, workdir: Path, nirs: list[str]) -> str:
    breach = browser.post("/api/v1/breaches/", json={"title": "Fuite de la fumée", "discovered_on": "2026-01-02"})
    expect(breach.status_code == 201, f"breach not created: {breach.status_code} {breach.text[:300]}")
    reference = breach.json()["reference"]
    source = workdir / "cohorte.csv"
    source.write_text("NIR;Code postal\n" + "".join(f"{nir};56100\n" for nir in nirs), encoding="utf-8")
    page = browser.get(f"/fuites/{reference}/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    with source.open("rb") as handle:
        uploaded = browser.post(f"/fuites/{reference}/cohortes/", data={"csrfmiddlewaretoken": token},
                                files={"file": ("cohorte.csv", handle, "text/csv")})
    match = re.search(r"/fuites/cohortes/(\d+)/", uploaded.url)
    expect(match is not None, f"upload did not lead to the cohort page ({uploaded.status_code} {uploaded.url})")
    progress = f"/fuites/cohortes/{match.group(1)}/progression/"
    done = wait_for("cohort imported", lambda: (lambda p: p if p["status"] in ("done", "failed") else None)(
        browser.get(progress).json()), timeout=180)
    expect(done["status"] == "done" and done["imported"] == len(nirs), f"cohort import: {done}")
    return reference


def issue_to_every_fund(browser: Browser) -> int:
    created = browser.post("/api/v1/instructions/", json={
        "title": "Vigilance RIB (fumée)", "body": "Vérifiez **tout** changement de RIB.",
        "required_actions": ["Vérifier le titulaire du RIB"], "targets": {"all": True}})
    expect(created.status_code == 201, f"instruction not created: {created.status_code} {created.text[:300]}")
    issued = browser.post(f"/api/v1/instructions/{created.json()['id']}/issue/")
    expect(issued.status_code == 200, f"instruction not issued: {issued.status_code} {issued.text[:300]}")
    return created.json()["id"]


def metric(text: str, name: str) -> float | None:
    match = re.search(rf"^{re.escape(name)} ([0-9.e+-]+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def run(stack: Stack, workdir: Path) -> None:
    cert, key = certificate(workdir)
    step(f"database {stack.args.database_url.rsplit('/', 1)[1]}, Redis {stack.args.redis_url}")
    fresh_database(stack.args.database_url)
    redis.Redis.from_url(stack.args.redis_url).flushdb()
    step("migrate, load_funds, collectstatic, accounts")
    stack.manage("migrate", "--noinput")
    stack.manage("load_funds")
    if static_files_stale():
        stack.manage("collectstatic", "--noinput", timeout=1800)
    else:
        step("collectstatic skipped: staticfiles/ is newer than static/ and requirements.txt")
    setup = stack.manage("shell", "-c", SETUP.format(password=PASSWORD))
    totp_key = re.search(r"TOTP-KEY (\w+)", setup).group(1)
    codes = re.search(r"FUND-CODES (.+)", setup).group(1).split()
    funds = len(codes)
    step(f"starting gunicorn on {stack.url}, workers {', '.join(QUEUES)}, beat, SMTP on port {stack.smtp.port}")
    stack.start(cert, key)
    browser = Browser(stack.url, cert)

    def healthy():
        stack.check_alive()
        return browser.get("/healthz").status_code == 200

    wait_for("/healthz answering 200 (database, broker, beat, a worker on every queue)", healthy,
             timeout=stack.args.timeout)
    step("signing in (password + TOTP)")
    sign_in(browser, totp_key)
    nirs = [make_nir(sex=1 + n % 2, year=60 + n, month=1 + n % 12, order=n + 1) for n in range(20)]
    step(f"uploading a cohort of {len(nirs)} people")
    load_cohort(browser, workdir, nirs)
    step(f"issuing an instruction to every fund ({funds})")
    started = time.monotonic()
    issue_to_every_fund(browser)
    expected = {f"vigilance.{code}@smoke.invalid" for code in codes}

    def all_arrived():
        stack.check_alive()
        return set(stack.smtp.handler.per_address()) >= expected

    wait_for(f"a notice at each of the {funds} funds' addresses", all_arrived, timeout=stack.args.timeout)
    received = stack.smtp.handler.per_address()
    expect(set(received.values()) == {1}, f"some fund got more than one notice: {received.most_common(3)}")
    step(f"{len(received)} notices received, the last {time.monotonic() - started:.1f} s after the issue")
    answer = browser.post("/api/v1/lookups/", json={"nir": nirs[3], "purpose": "Test de fumée"})
    expect(answer.status_code == 200 and answer.json().get("flagged") is True, f"lookup: {answer.status_code} "
                                                                                f"{answer.text[:300]}")
    step("lookup of a NIR of the cohort: flagged")
    health = browser.get("/healthz")
    expect(health.status_code == 200, f"/healthz: {health.status_code} {health.text}")
    step(f"/healthz: {health.json()}")
    metrics = browser.get("/metrics", headers={"Authorization": f"Bearer {stack.metrics_token}"})
    expect(metrics.status_code == 200, f"/metrics: {metrics.status_code}")
    sent = wait_for("vigie_notices{state=\"sent\"} in /metrics", lambda: metric(
        browser.get("/metrics", headers={"Authorization": f"Bearer {stack.metrics_token}"}).text,
        'vigie_notices{state="sent"}') == funds, timeout=60)
    expect(sent, "metrics")
    step(f"/metrics: {funds} notices sent, requests counted by view")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vigie_smoke"))
    parser.add_argument("--redis-url", default=os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("SMOKE_TIMEOUT", "300")),
                        help="seconds allowed for each wait (boot, fan-out)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs afterwards")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="vigie-smoke-"))
    stack = Stack(args, workdir)
    for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(stop_signal, lambda number, _: sys.exit(128 + number))
    started = time.monotonic()
    try:
        run(stack, workdir)
    except (SmokeFailure, subprocess.TimeoutExpired, requests.RequestException) as failure:
        step(f"ÉCHEC : {failure}")
        stack.show_logs()
        return 1
    finally:
        stack.stop()
        step("stopped everything the smoke test started")
        if not args.keep:
            drop_database(args.database_url)
            subprocess.run(["rm", "-rf", str(workdir)], check=False)
        else:
            step(f"kept: database {args.database_url}, logs in {workdir}")
    step(f"OK in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
