"""NIR lookups through the HTTP API against a large register, with concurrent clients, on PostgreSQL.

    DATABASE_URL=postgres://... python bench/lookup.py --register 500000 --clients 8 --requests 4000

Builds the register once (a synthetic cohort imported through `manage.py import_cohort`, reused on the next
runs), starts gunicorn on 127.0.0.1 (stopped at the end), then each client POSTs /api/v1/lookups/ with a token,
half flagged NIRs, half unknown ones. Last line: {"register", "clients", "requests", "p50_ms", "p95_ms",
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


def bench_token() -> str:
    from rest_framework.authtoken.models import Token

    from casework.models import Fund, Membership
    from casework.services import membership_grant, user_provision

    user, _ = user_provision(username="bench-agent-561", password="Banc-d-essai-2026!")
    membership_grant(user=user, role=Membership.Role.AGENT, fund=Fund.objects.get(code="561"))
    return Token.objects.get_or_create(user=user)[0].key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.local", DEBUG="false",
               LOOKUP_THROTTLE="10000000/min", LOG_LEVEL="WARNING")
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


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's workers: a figure the machine's other load does not
    inflate as much as latency."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def client(port: int, token: str, nirs: list[str], latencies: list[float], errors: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    for nir in nirs:
        body = json.dumps({"nir": nir, "purpose": "banc d'essai"})
        started = time.perf_counter()
        conn.request("POST", "/api/v1/lookups/", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200:
            errors.append(response.status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--register", type=int, default=500_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/lookup.py needs PostgreSQL: set DATABASE_URL")
    prepare_database()
    ensure_register(args.register)
    token = bench_token()
    connection.close()
    rng = random.Random(7)
    nirs = [synthetic_nir(REGISTER_START + rng.randrange(args.register)) if n % 2 else
            synthetic_nir(UNKNOWN_START + rng.randrange(args.register)) for n in range(args.requests)]
    port = free_port()
    server = start_server(port, args.workers)
    try:
        warm: list[float] = []
        client(port, token, nirs[:50], warm, [])
        latencies: list[float] = []
        errors: list[int] = []
        cpu_before = server_cpu_seconds(server)
        threads = [threading.Thread(target=client, args=(port, token, nirs[i::args.clients], latencies, errors))
                   for i in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu_ms = (server_cpu_seconds(server) - cpu_before) * 1000 / max(len(latencies), 1)
        print(f"CPU des workers gunicorn : {cpu_ms:.1f} ms par requête", file=sys.stderr)
    finally:
        stop_server(server)
    if errors:
        print(f"{len(errors)} erreurs HTTP : {sorted(set(errors))}", file=sys.stderr)
    cuts = statistics.quantiles(latencies, n=100)
    print(json.dumps({"register": args.register, "clients": args.clients, "requests": len(latencies),
                      "p50_ms": round(cuts[49] * 1000, 2), "p95_ms": round(cuts[94] * 1000, 2),
                      "p99_ms": round(cuts[98] * 1000, 2), "rps": round(len(latencies) / elapsed, 1)}))


if __name__ == "__main__":
    main()
