"""Reads about breaches and the people they hit. Every query a user triggers is scoped by its caller's gate."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

from breaches.models import AffectedPerson

DIGEST_BATCH = 2000


def people_by_digest(*, digest: str) -> QuerySet[AffectedPerson]:
    """Every breach record of the person with this NIR digest, breach and fund joined (one query)."""
    return (AffectedPerson.objects.filter(nir_digest=digest)
            .select_related("breach", "fund").order_by("-breach__discovered_on", "breach_id"))


def _batches(values: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch


def flagged_digests(*, digests: Iterable[str]) -> set[str]:
    """The subset of `digests` present in at least one cohort. Batched: fine for 100,000 digests at once."""
    found: set[str] = set()
    for batch in _batches(dict.fromkeys(digests), DIGEST_BATCH):
        found.update(AffectedPerson.objects.filter(nir_digest__in=batch).values_list("nir_digest", flat=True))
    return found
