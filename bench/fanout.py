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

    python bench/fanout.py --during-import 500000

issues the instruction while a cohort of that many rows is being imported: a second worker consumes the
`imports` queue, the bench's worker only `notices` (the production layout, README). The instruction is issued
once the import is running; notice_delay_s (max, p50, p95) is each notice's `sent_at` minus the issue time (target:
every notice within 5 s), import_running_at_last_notice says the import was still going when the last notice
left, import_s is the import's own duration. The bench's breach and its cohort are deleted afterwards.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
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

from bench._setup import write_cohort_file  # noqa: E402
from bench.fanout_worker import QUERIES_KEY, TASKS_KEY  # noqa: E402
from breaches.importing import cohort_register  # noqa: E402
from breaches.models import Breach, Cohort  # noqa: E402
from breaches.services import breach_create  # noqa: E402
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
                   "-c", str(self.concurrency), "-Q", ",".join(self.queues),
                   "--loglevel", "WARNING", "--without-gossip", "--without-mingle"]
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


class Import:
    """A cohort import of `rows` rows on its own worker (queue `imports`), started before the fan-out."""

    def __init__(self, rows: int, actor, workdir: Path):
        self.rows, self.actor, self.source = rows, actor, workdir / "cohorte.csv"
        self.worker = WorkerProcess(pool="solo", queues=["imports"], nice=10)  # as deploy/ runs it
        self.breach = self.cohort = None

    def start(self) -> None:
        write_cohort_file(self.source, self.rows)
        self.worker.start()
        self.breach = breach_create(actor=self.actor, title=f"Banc d'essai diffusion pendant import {self.rows}",
                                    discovered_on="2026-01-01")
        self.cohort = cohort_register(actor=self.actor, breach=self.breach, path=self.source)
        deadline = time.monotonic() + 300
        while not Cohort.objects.filter(pk=self.cohort.pk, status=Cohort.Status.RUNNING, rows__gt=0).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("the import did not start within 300 s")
            time.sleep(0.1)

    def running(self) -> bool:
        return Cohort.objects.filter(pk=self.cohort.pk, status=Cohort.Status.RUNNING).exists()

    def wait(self, timeout: float = 1800) -> float:
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.5)
        cohort = Cohort.objects.get(pk=self.cohort.pk)
        if cohort.status != Cohort.Status.DONE:
            raise RuntimeError(f"import ended as {cohort.status}: {cohort.error_message}")
        return (cohort.finished_at - cohort.started_at).total_seconds()

    def stop(self) -> None:
        self.worker.stop()
        if self.breach is not None and not os.environ.get("BENCH_KEEP"):
            Breach.objects.filter(pk=self.breach.pk).delete()


def wait_all_sent(notices, started: float) -> None:
    while notices.exclude(status=Notice.Status.SENT).exists():
        if time.perf_counter() - started > 300:
            raise TimeoutError("notices not all sent after 300 s")
        time.sleep(0.05)


def delays(instruction) -> dict:
    sent = sorted((n.sent_at - instruction.issued_at).total_seconds()
                  for n in Notice.objects.filter(delivery__instruction=instruction))
    return {"max": round(sent[-1], 3), "p50": round(statistics.median(sent), 3),
            "p95": round(sent[int(0.95 * (len(sent) - 1))], 3)}


def run(funds: list[Fund], concurrency: int, during_import: int | None) -> dict:
    actor = bench_user()
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(QUERIES_KEY, TASKS_KEY)
    smtp = SmtpServer().start()
    queues = ["notices"] if during_import else None
    worker = BenchWorker(concurrency=concurrency, extra_env=smtp.worker_env(), queues=queues)
    instruction, workdir = None, tempfile.TemporaryDirectory()
    load_import = Import(during_import, actor, Path(workdir.name)) if during_import else None
    try:
        worker.start()
        draft = services.instruction_create(
            actor=actor, title="Banc d'essai : diffusion", body="Consigne du banc d'essai.",
            required_actions=["Vérifier le titulaire du RIB"],
            targets=services.TargetSpec(targeting="funds", funds=[f.code for f in funds]))
        if load_import:
            load_import.start()
        load = os.getloadavg()[0]  # the machine is shared: say how busy it was
        cpu_before = worker.cpu_seconds()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as issue_queries:
            instruction = services.instruction_issue(instruction=draft, actor=actor)
        wait_all_sent(Notice.objects.filter(delivery__instruction=instruction), started)
        seconds = time.perf_counter() - started
        worker_cpu = worker.cpu_seconds() - cpu_before
        result = {"funds": len(funds), "addresses": smtp.handler.per_address().total(),
                  "seconds": round(seconds, 3), "notice_delay_s": delays(instruction)}
        if load_import:
            result["import_rows"] = during_import
            result["import_running_at_last_notice"] = load_import.running()
            result["import_s"] = round(load_import.wait(), 2)
        time.sleep(0.5)  # let the last task's postrun hook report its count
        queries, tasks = int(client.get(QUERIES_KEY) or 0), int(client.get(TASKS_KEY) or 0)
        return {**result, "queries_per_delivery": round(queries / len(funds), 2),
                "tasks": tasks, "issue_queries": len(issue_queries), "emails": smtp.handler.count(),
                "concurrency": concurrency, "load_average": round(load, 2),
                "worker_cpu_ms_per_delivery": round(1000 * worker_cpu / len(funds), 1)}
    finally:
        worker.stop()
        if load_import:
            load_import.stop()
        smtp.stop()
        workdir.cleanup()
        if instruction is not None and not os.environ.get("BENCH_KEEP"):
            instruction.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--funds", type=int, default=None, help="number of funds (default: all)")
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes")
    parser.add_argument("--during-import", type=int, default=None, metavar="ROWS",
                        help="issue while a cohort of ROWS rows is being imported by the imports worker")
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("REDIS_URL must point to a Redis: the bench needs a real worker.")
    funds, saved = prepare(args.funds)
    try:
        result = run(funds, args.concurrency, args.during_import)
    finally:
        for fund in funds:
            Fund.objects.filter(id=fund.id).update(notice_emails=saved[fund.id])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
