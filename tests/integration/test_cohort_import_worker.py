"""A real worker imports a cohort: live progress is visible while it runs; killed mid-import, nothing is left
behind and the sweep resumes it to completion."""

import datetime
import time
from pathlib import Path

import pytest

from breaches.importing import cohort_imports_resume, cohort_register
from breaches.models import AffectedPerson, Cohort
from breaches.nir import make_nir
from tests.breaches.factories import BreachFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROWS = 30000


def big_file(path, rows=ROWS):
    with path.open("w") as handle:
        handle.write("nir;code postal\n")
        for n in range(rows):
            handle.write(f"{make_nir(sex=1 + n % 2, year=60 + n // 999 % 40, month=1 + n // 39960, order=n % 999 + 1)};"
                         "56100\n")
    return path


def wait_for(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timeout")


def test_worker_killed_mid_import_leaves_nothing_then_resumes(postgres_only, celery_worker_factory, fund_a,
                                                              tmp_path):
    from breaches.tasks import import_cohort

    path = big_file(tmp_path / "cohorte.csv")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    worker = celery_worker_factory(concurrency=1)
    import_cohort.delay(cohort.pk)
    # Live progress through the second connection while the import's transaction is open.
    seen = wait_for(lambda: Cohort.objects.filter(pk=cohort.pk, status="running", rows__gt=0).first())
    assert 0 < seen.rows < ROWS and AffectedPerson.objects.count() == 0
    worker.kill()
    time.sleep(0.5)
    assert AffectedPerson.objects.count() == 0
    assert Cohort.objects.get(pk=cohort.pk).status == "running"
    # Time passes: the heartbeat goes stale and the sweep queues the cohort again for a new worker.
    Cohort.objects.filter(pk=cohort.pk).update(heartbeat_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    celery_worker_factory(concurrency=1)
    assert cohort_imports_resume() == [cohort.pk]
    done = wait_for(lambda: Cohort.objects.filter(pk=cohort.pk, status="done").first(), timeout=180)
    assert (done.rows, done.imported, done.rejected, done.attempts) == (ROWS, ROWS, 0, 2)
    assert AffectedPerson.objects.filter(cohort=done, fund=fund_a).count() == ROWS


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_the_imports_worker_parses_in_processes_that_die_with_it(postgres_only, celery_worker_factory, fund_a,
                                                                 tmp_path):
    # As deployed (-P solo): the import runs in the worker's own process, which forks its parsers (a prefork child
    # may not). Killed, the worker takes its parsers with it: none is left blocked on its queue.
    from breaches.tasks import import_cohort

    path = big_file(tmp_path / "cohorte.csv", rows=150_000)
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    worker = celery_worker_factory(pool="solo", queues=["imports"], extra_env={"COHORT_PARALLEL_FROM_BYTES": "0"})
    import_cohort.delay(cohort.pk)
    parsers = wait_for(lambda: len(_children(worker.process.pid)) >= 2 and _children(worker.process.pid))
    worker.kill(children=False)
    wait_for(lambda: not any(map(_alive, parsers)), timeout=10)
    assert AffectedPerson.objects.count() == 0
