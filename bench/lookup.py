"""NIR lookups through the HTTP API against a large register, with concurrent clients, on PostgreSQL.

    DATABASE_URL=postgres://... python bench/lookup.py --register 500000 --clients 8 --requests 4000
    DATABASE_URL=postgres://... python bench/lookup.py --register 500000 --rate 200

Closed loop by default (each client sends its next request as soon as it has the answer: the throughput). With
`--rate R`, open loop: requests are sent on a fixed schedule of R a second spread over the clients, and each
latency runs from the request's scheduled time, so a slow answer also counts the requests queued behind it.
The server is gunicorn with the production middleware stack and the one lookup view (no lane of its own).

Builds the register once (a synthetic cohort imported through `manage.py import_cohort`, reused on the next
runs), starts gunicorn on 127.0.0.1 (stopped at the end), then each client POSTs /api/v1/lookups/ with the token
of one of many fund agents (the production throttle stays on: each agent stays under its rate), half flagged
NIRs, half unknown ones. The clients speak plain HTTP/1.1 on a socket each, so that the client's own CPU, on the
same two cores, weighs as little as it would from the funds' machines. Also prints (stderr) the CPU per request
of gunicorn, PostgreSQL and the clients. Last line: {"register", "clients", "requests", "p50_ms", "p95_ms",
"p99_ms", "rps"}.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import ROOT, prepare_database, synthetic_nir, write_cohort_file
from django.db import connection

REGISTER_START = 3_000_000
UNKNOWN_START = 6_000_000


def ensure_register(size: int) -> None:
    from breaches.models import Breach, Cohort
    from breaches.services import breach_create

    title = f"Banc d'essai consultation {size}"
    breach = Breach.objects.filter(title=title).first()
    if breach and Cohort.objects.filter(breach=breach, status=Cohort.Status.DONE, imported=size).exists():
        return
    breach = breach or breach_create(actor=None, title=title, discovered_on="2026-01-01",
                                     data_categories="nir,identity,health")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "registre.csv"
        write_cohort_file(source, size, start=REGISTER_START)
        subprocess.run([sys.executable, "manage.py", "import_cohort", "--breach", breach.reference, str(source),
                        "--json", "--no-progress"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def bench_tokens(count: int) -> list[str]:
    """API tokens of `count` agents spread over the network's funds, none of whom looked anything up in the last
    minute: the throttle counts the access log, so an agent of the previous run may still be at the limit."""
    import datetime

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from knox.models import AuthToken

    from breaches.models import AccessLog
    from network.models import Fund, Membership
    from network.services import membership_grant, user_provision

    busy = set(AccessLog.objects.filter(created_at__gt=timezone.now() - datetime.timedelta(seconds=70))
               .values_list("user_id", flat=True).distinct())
    funds = list(Fund.objects.order_by("code"))
    tokens: list[str] = []
    n = 0
    while len(tokens) < count:
        user, created = user_provision(username=f"bench-agent-{n:04d}", password="Banc-d-essai-2026!")
        if created:
            membership_grant(user=user, role=Membership.Role.AGENT, fund=funds[n % len(funds)])
        if user.pk not in busy:
            # a token is a second-factor credential: its account has a confirmed authenticator
            TOTPDevice.objects.get_or_create(user=user, defaults={"name": "banc", "confirmed": True})
            AuthToken.objects.filter(user=user).delete()  # keys are shown once: a new one each run
            tokens.append(AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=1))[1])
        n += 1
    return tokens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, prepared: bool = True) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="false", LOG_LEVEL="WARNING",
               LOOKUP_PREPARED_STATEMENTS=str(prepared).lower())
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def cpu_seconds(pids: list[str]) -> float:
    """CPU time (user + system) these processes have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def server_cpu_seconds(server: subprocess.Popen) -> float:
    return cpu_seconds(subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split())


def database_cpu_seconds() -> float:
    return cpu_seconds(subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split())


def lookup_request(port: int, token: str, nir: str) -> bytes:
    body = json.dumps({"nir": nir, "purpose": "banc d'essai"}).encode()
    return (f"POST /api/v1/lookups/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Token {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def read_response(sock: socket.socket) -> tuple[int, bool]:
    """(status, whether the server closes the connection) of one HTTP/1.1 response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        body += chunk
    return int(lines[0].split()[1]), headers.get("connection", "").lower() == "close"


def client(port: int, work: list[tuple[str, str]], latencies: list[float], errors: list[int],
           schedule: list[float] | None = None) -> None:
    """One client: a request at a time on its own socket, reopened when the server closes it. With a schedule
    (perf_counter instants, one per request), each request waits for its time and is timed from it."""
    sock = None
    for n, (token, nir) in enumerate(work):
        request = lookup_request(port, token, nir)
        started = time.perf_counter()
        if schedule is not None:
            time.sleep(max(schedule[n] - started, 0))
            started = schedule[n]
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request)
        status, closing = read_response(sock)
        latencies.append(time.perf_counter() - started)
        if closing:
            sock.close()
            sock = None
        if status != 200:
            errors.append(status)
    if sock is not None:
        sock.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register", type=int, default=500_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0, help="open loop: requests a second (0: closed loop)")
    parser.add_argument("--no-prepare", action="store_true", help="the lookup on the default connection, unprepared")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/lookup.py needs PostgreSQL: set DATABASE_URL")
    prepare_database()
    ensure_register(args.register)
    # Many agents, each well under the production rate (120 lookups a minute), as in a network of ~100 funds.
    tokens = bench_tokens(max(200, args.requests // 20))
    connection.close()
    rng = random.Random(7)
    work = [(tokens[n % len(tokens)],
             synthetic_nir(REGISTER_START + rng.randrange(args.register)) if n % 2 else
             synthetic_nir(UNKNOWN_START + rng.randrange(args.register))) for n in range(args.requests)]
    port = free_port()
    server = start_server(port, args.workers, prepared=not args.no_prepare)
    try:
        client(port, [(tokens[0], nir) for _, nir in work[:50]], [], [])  # warm-up: each worker connects
        latencies: list[float] = []
        errors: list[int] = []
        cpu_before = server_cpu_seconds(server), database_cpu_seconds(), time.process_time()
        started = time.perf_counter() + 0.1
        schedule = [started + n / args.rate for n in range(len(work))] if args.rate else None
        threads = [threading.Thread(target=client, args=(port, work[i::args.clients], latencies, errors,
                                                         schedule[i::args.clients] if schedule else None))
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu_after = server_cpu_seconds(server), database_cpu_seconds(), time.process_time()
        per_request = [(after - before) * 1000 / max(len(latencies), 1)
                       for before, after in zip(cpu_before, cpu_after, strict=True)]
        print("CPU par requête : gunicorn {:.2f} ms, PostgreSQL {:.2f} ms, clients {:.2f} ms".format(*per_request),
              file=sys.stderr)
    finally:
        stop_server(server)
    if errors:
        print(f"{len(errors)} erreurs HTTP : {sorted(set(errors))}", file=sys.stderr)
    cuts = statistics.quantiles(latencies, n=100)
    print(json.dumps({"register": args.register, "clients": args.clients, "rate": args.rate or None,
                      "prepared": not args.no_prepare,
                      "requests": len(latencies), "p50_ms": round(cuts[49] * 1000, 2),
                      "p95_ms": round(cuts[94] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2),
                      "rps": round(len(latencies) / elapsed, 1), "errors": len(errors),
                      "cpu_ms_per_request": dict(zip(("gunicorn", "postgresql", "clients"),
                                                     (round(ms, 2) for ms in per_request), strict=True))}))


if __name__ == "__main__":
    main()
