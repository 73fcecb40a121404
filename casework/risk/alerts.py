"""Shared-account alerts: the same IBAN digest seen with several different people. Batched: a fixed handful
of queries per chunk of IBANs, however many alerts a load raises."""

import logging
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from casework.risk.models import IbanSighting, SharedAccountAlert

logger = logging.getLogger(__name__)
CHUNK = 2000


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def iban_sightings_record(*, sightings: list[tuple[str, str, int]]) -> list[SharedAccountAlert]:
    """Remember which IBAN digests went with which people (digests) and funds; an IBAN on two or more
    different people raises (or widens) one shared-account alert, attached to every fund concerned.
    Returns the alerts touched."""
    if not sightings:
        return []
    IbanSighting.objects.bulk_create(
        [IbanSighting(iban_digest=i, person_digest=p, fund_id=f) for i, p, f in set(sightings)],
        batch_size=CHUNK, ignore_conflicts=True)
    alerts: list[SharedAccountAlert] = []
    for chunk in _chunks(sorted({i for i, _, _ in sightings})):
        alerts += _alerts_raise(chunk)
    return alerts


def _alerts_raise(digests: list[str]) -> list[SharedAccountAlert]:
    shared = dict(IbanSighting.objects.filter(iban_digest__in=digests).values("iban_digest")
                  .annotate(people=Count("person_digest", distinct=True)).filter(people__gte=2)
                  .values_list("iban_digest", "people"))
    if not shared:
        return []
    known = set(SharedAccountAlert.objects.filter(iban_digest__in=shared).values_list("iban_digest", flat=True))
    SharedAccountAlert.objects.bulk_create(
        [SharedAccountAlert(iban_digest=d, people_count=n) for d, n in shared.items() if d not in known],
        ignore_conflicts=True)
    alerts = list(SharedAccountAlert.objects.filter(iban_digest__in=shared))
    widened = [a for a in alerts if a.people_count != shared[a.iban_digest]]
    for alert in widened:
        alert.people_count, alert.updated_at = shared[alert.iban_digest], timezone.now()
    SharedAccountAlert.objects.bulk_update(widened, ["people_count", "updated_at"])
    _attach_funds(alerts)
    for alert in alerts:
        if alert.iban_digest not in known:
            logger.warning("shared-account alert raised: alert=%s people=%s", alert.pk, alert.people_count)
    return alerts


def _attach_funds(alerts: list[SharedAccountAlert]) -> None:
    by_digest = {alert.iban_digest: alert.pk for alert in alerts}
    pairs = IbanSighting.objects.filter(iban_digest__in=by_digest).values_list("iban_digest", "fund_id").distinct()
    Link = SharedAccountAlert.funds.through
    Link.objects.bulk_create([Link(sharedaccountalert_id=by_digest[d], fund_id=f) for d, f in pairs],
                             ignore_conflicts=True)
