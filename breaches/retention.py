"""Retention: a breach closed for longer than COHORT_RETENTION_MONTHS loses its cohort (people, sealed NIRs,
digests, rejection reports). The breach and its cohorts' counters stay; each purge leaves a CohortPurge.

Called by the periodic task breaches.purge_cohorts and by `manage.py purge_cohorts [--dry-run]`.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from breaches.models import AffectedPerson, Breach, Cohort, CohortPurge

logger = logging.getLogger(__name__)
DELETE_BATCH = 20_000


@dataclass
class PurgeReport:
    dry_run: bool
    cutoff: dt.datetime
    breaches: list[tuple[str, int]] = field(default_factory=list)  # (reference, people)

    @property
    def people(self) -> int:
        return sum(count for _ref, count in self.breaches)


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: dt.datetime) -> dt.datetime:
    """Breaches closed before this moment have reached the end of their cohort's retention."""
    return _months_before(now, settings.COHORT_RETENTION_MONTHS)


def breaches_due_for_purge(*, now: dt.datetime | None = None) -> QuerySet[Breach]:
    """Closed breaches whose closing is older than the retention and that still hold people."""
    cutoff = _months_before(now or timezone.now(), settings.COHORT_RETENTION_MONTHS)
    return (Breach.objects.filter(status=Breach.Status.CLOSED, status_changed_at__lt=cutoff, people__isnull=False)
            .annotate(people_count=Count("people", distinct=True)).order_by("status_changed_at", "id"))


def _delete_reports(breach: Breach) -> int:
    deleted = 0
    for cohort in Cohort.objects.filter(breach=breach).exclude(error_report=""):
        path = Path(settings.PRIVATE_ROOT) / cohort.error_report
        if path.is_file():
            path.unlink()
            deleted += 1
    return deleted


def _delete_people(breach: Breach) -> int:
    total = 0
    while ids := list(AffectedPerson.objects.filter(breach=breach).values_list("id", flat=True)[:DELETE_BATCH]):
        total += AffectedPerson.objects.filter(id__in=ids)._raw_delete(connection.alias)
    return total


@transaction.atomic
def _purge_one(breach: Breach, actor: AbstractBaseUser | None) -> int:
    people = _delete_people(breach)
    reports = _delete_reports(breach)
    CohortPurge.objects.create(breach=breach, breach_reference=breach.reference, closed_at=breach.status_changed_at,
                               cohorts=breach.cohorts.count(), people=people, reports=reports, actor=actor)
    logger.info("cohort purged: breach=%s people=%s reports=%s", breach.reference, people, reports)
    return people


def cohorts_purge(*, dry_run: bool, now: dt.datetime | None = None,
                  actor: AbstractBaseUser | None = None) -> PurgeReport:
    """Purge (or with dry_run, list) the cohorts due. Idempotent: a purged breach holds no people any more."""
    now = now or timezone.now()
    report = PurgeReport(dry_run=dry_run, cutoff=_months_before(now, settings.COHORT_RETENTION_MONTHS))
    for breach in breaches_due_for_purge(now=now):
        people = breach.people_count if dry_run else _purge_one(breach, actor)
        report.breaches.append((breach.reference, people))
    return report
