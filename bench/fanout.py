"""Fan-out of one instruction to the funds through a real Celery worker and a local SMTP server.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N python bench/fanout.py [--funds N]

Loads the funds, gives each of the first N funds (default: all) three notice addresses, starts an aiosmtpd
server and a worker (both stopped at the end), issues one instruction to those funds and waits until every
notice is accepted by the SMTP server and marked sent.

seconds: from the issue call (transaction, deliveries, notices, queuing after commit) until the last notice is
marked sent. queries_per_delivery: SQL statements run by the `send_notice` tasks (counted in the worker by a
Django execute wrapper around each task, see bench/fanout_worker.py) divided by the number of deliveries;
issue_queries: statements of the issue call itself (all funds at once, in this process).
worker_cpu_ms_per_delivery: CPU used by the worker's processes during the run (from /proc) per delivery, and
load_average: the machine's 1-minute load when the run started — on a shared machine, seconds depend on both.
The bench's
instruction is deleted and the funds' addresses restored afterwards. Last line: {"funds", "addresses",
"seconds", "queries_per_delivery", ...}.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.fanout_worker import QUERIES_KEY, TASKS_KEY  # noqa: E402
from network.models import Fund, Membership  # noqa: E402
from network.services import funds_load, membership_grant, user_provision  # noqa: E402
from notifications import services  # noqa: E402
from notifications.models import Notice  # noqa: E402
from tests.support.celery_worker import WorkerProcess  # noqa: E402
from tests.support.smtp import SmtpServer  # noqa: E402


class BenchWorker(WorkerProcess):
    def cpu_seconds(self) -> float:
        """User + system CPU of the worker and its pool processes so far (from /proc)."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        total = 0
        for pid in [self.process.pid, *map(int, children.split())]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def start(self, timeout: float = 60) -> "BenchWorker":
        command = [sys.executable, "-m", "celery", "-A", "bench.fanout_worker", "worker", "-n", self.name,
                   "-c", str(self.concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env())
        self._wait_ready(timeout)
        return self


def prepare(count: int | None) -> tuple[list[Fund], dict[int, str]]:
    call_command("migrate", verbosity=0, interactive=False)
    funds_load()
    funds = list(Fund.objects.filter(is_active=True).order_by("code"))[:count]
    saved = {f.id: f.notice_emails for f in funds}
    for fund in funds:
        fund.notice_emails = "\n".join(f"{box}.{fund.code}@banc.invalid" for box in ("vigilance", "direction", "rib"))
        fund.save(update_fields=["notice_emails"])
    return funds, saved


def bench_user():
    user, _ = user_provision(username="bench-national", password="Banc-d-essai-2026!")
    membership_grant(user=user, role=Membership.Role.NATIONAL)
    return user


def run(funds: list[Fund], concurrency: int) -> dict:
    actor = bench_user()
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(QUERIES_KEY, TASKS_KEY)
    smtp = SmtpServer().start()
    worker = BenchWorker(concurrency=concurrency, extra_env=smtp.worker_env())
    instruction = None
    try:
        worker.start()
        draft = services.instruction_create(
            actor=actor, title="Banc d'essai : diffusion", body="Consigne du banc d'essai.",
            required_actions=["Vérifier le titulaire du RIB"],
            targets=services.TargetSpec(targeting="funds", funds=[f.code for f in funds]))
        load = os.getloadavg()[0]  # the machine is shared: say how busy it was
        cpu_before = worker.cpu_seconds()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as issue_queries:
            instruction = services.instruction_issue(instruction=draft, actor=actor)
        notices = Notice.objects.filter(delivery__instruction=instruction)
        while notices.exclude(status=Notice.Status.SENT).exists():
            if time.perf_counter() - started > 300:
                raise TimeoutError("notices not all sent after 300 s")
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        worker_cpu = worker.cpu_seconds() - cpu_before
        time.sleep(0.5)  # let the last task's postrun hook report its count
        queries, tasks = int(client.get(QUERIES_KEY) or 0), int(client.get(TASKS_KEY) or 0)
        return {"funds": len(funds), "addresses": smtp.handler.per_address().total(),
                "seconds": round(seconds, 3), "queries_per_delivery": round(queries / len(funds), 2),
                "tasks": tasks, "issue_queries": len(issue_queries), "emails": smtp.handler.count(),
                "concurrency": concurrency, "load_average": round(load, 2),
                "worker_cpu_ms_per_delivery": round(1000 * worker_cpu / len(funds), 1)}
    finally:
        worker.stop()
        smtp.stop()
        if instruction is not None and not os.environ.get("BENCH_KEEP"):
            instruction.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--funds", type=int, default=None, help="number of funds (default: all)")
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes")
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("REDIS_URL must point to a Redis: the bench needs a real worker.")
    funds, saved = prepare(args.funds)
    try:
        result = run(funds, args.concurrency)
    finally:
        for fund in funds:
            Fund.objects.filter(id=fund.id).update(notice_emails=saved[fund.id])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
