"""Yearly references (BR-2026-0001 for breaches, VIG-2026-0001 for instructions): one counter row per series and
year, incremented by an UPDATE. The UPDATE locks the row until the caller's transaction ends, so two creations
never get the same number and never retry; a creation that rolls back gives its number back (no gap)."""

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from network.models import ReferenceCounter


@transaction.atomic
def reference_allocate(*, series: str, model: type[models.Model]) -> str:
    """The next reference `SERIES-YYYY-NNNN` of the current (local) year. Call it in the transaction that saves
    the reference. `model` is the one holding the references (field `reference`): it is read only when a year's
    counter is created, so references given before the counter existed are never given again."""
    year = timezone.localdate().year
    counter = ReferenceCounter.objects.filter(series=series, year=year)
    if not _increment(counter):
        _counter_create(series=series, year=year, model=model)
        _increment(counter)
    return f"{series}-{year}-{counter.values_list('last', flat=True).get():04d}"


def _increment(counter: models.QuerySet) -> int:
    return counter.update(last=F("last") + 1, updated_at=timezone.now())


def _counter_create(*, series: str, year: int, model: type[models.Model]) -> None:
    """The year's counter, starting after the highest number already given. Two first creations of a year may
    race: the second insert does nothing (on PostgreSQL it waits for the first to commit)."""
    prefix = f"{series}-{year}-"
    given = model._default_manager.filter(reference__startswith=prefix).values_list("reference", flat=True)
    last = max((int(reference[len(prefix):]) for reference in given if reference[len(prefix):].isdigit()),
               default=0)
    ReferenceCounter.objects.bulk_create([ReferenceCounter(series=series, year=year, last=last)],
                                         ignore_conflicts=True)
