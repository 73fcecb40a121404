"""A breach closed for longer than the retention has its cohort purged (people, sealed NIRs, digests), leaving only
counts; the purge is logged, can be previewed, and lookups stay correct with no clear NIR left."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from breaches.models import AffectedPerson, Breach, CohortPurge
from breaches.nir import make_nir
from breaches.tasks import purge_cohorts
from tests.breaches.factories import BreachFactory, CohortFactory, lookup_as, person
from tests.support.clear_nir import tables_holding

OLD_NIR, RECENT_NIR = make_nir(order=501), make_nir(order=502)


def closed(months_ago: int, **fields) -> Breach:
    return BreachFactory(status=Breach.Status.CLOSED,
                         status_changed_at=timezone.now() - dt.timedelta(days=31 * months_ago), **fields)


@pytest.fixture
def breaches(fund_a, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    old, recent, still_open = closed(25), closed(23), BreachFactory()
    report = tmp_path / "rejets.csv"
    report.write_text(f"ligne;nir;motif\n3;{make_nir(order=503)};clé fausse\n")
    cohort = CohortFactory(breach=old, rows=3, imported=2, rejected=1, error_report="rejets.csv")
    person(breach=old, cohort=cohort, nir=OLD_NIR, fund=fund_a)
    person(breach=old, cohort=cohort, fund=fund_a)
    person(breach=recent, nir=RECENT_NIR, fund=fund_a)
    person(breach=still_open, nir=OLD_NIR, fund=fund_a)
    return {"old": old, "recent": recent, "open": still_open, "report": report}


def test_dry_run_lists_what_would_go_and_erases_nothing(breaches, capsys):
    call_command("purge_cohorts", "--dry-run")
    out = capsys.readouterr().out
    assert f"{breaches['old'].reference} : 2 personnes seraient effacées" in out
    assert breaches["recent"].reference not in out
    assert AffectedPerson.objects.count() == 4 and not CohortPurge.objects.exists()


def test_purge_erases_people_keeps_counts_and_logs_it(breaches, capsys):
    call_command("purge_cohorts")
    assert "1 fuite(s), 2 personnes effacées" in capsys.readouterr().out
    old = breaches["old"]
    assert not AffectedPerson.objects.filter(breach=old).exists()
    assert AffectedPerson.objects.filter(breach=breaches["recent"]).count() == 1
    cohort = old.cohorts.get()
    assert (cohort.rows, cohort.imported, cohort.rejected) == (3, 2, 1)
    trace = CohortPurge.objects.get()
    assert (trace.breach_reference, trace.people, trace.cohorts, trace.reports) == (old.reference, 2, 1, 1)
    assert not breaches["report"].exists()


def test_purge_is_idempotent_and_runs_as_a_periodic_task(breaches, settings):
    assert settings.CELERY_BEAT_SCHEDULE["breaches-purge-cohorts"]["task"] == "breaches.purge_cohorts"
    assert purge_cohorts.delay().get() == 2
    assert purge_cohorts.delay().get() == 0
    assert CohortPurge.objects.count() == 1


def test_retention_is_a_setting(breaches, settings):
    settings.COHORT_RETENTION_MONTHS = 12
    assert purge_cohorts.delay().get() == 3


def test_lookups_stay_correct_after_the_purge_and_no_clear_nir_is_left(breaches, agent_a):
    purge_cohorts.delay().get()
    hit = lookup_as(agent_a, OLD_NIR)
    assert hit.flagged and [b.reference for b in hit.breaches] == [breaches["open"].reference]
    assert lookup_as(agent_a, RECENT_NIR).flagged
    assert not lookup_as(agent_a, make_nir(order=504)).flagged
    for nir in (OLD_NIR, RECENT_NIR, make_nir(order=503)):
        assert tables_holding(nir) == []
