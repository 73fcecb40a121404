"""Factories for breaches: synthetic NIRs only (valid keys, built by make_nir)."""

import datetime

import factory

from breaches.crypto import nir_digest, seal_nir
from breaches.models import AffectedPerson, Breach, Cohort
from breaches.nir import make_nir, mask_nir

# Synthetic NIRs (valid keys) the lookup tests share: one in a cohort, one in none.
FLAGGED = make_nir(sex=2, year=77, month=8, place="56178", order=42)
CLEAN = make_nir(sex=1, year=91, month=2, place="29019", order=7)


class BreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Breach

    reference = factory.Sequence(lambda n: f"BR-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"Fuite de test {n}")
    discovered_on = datetime.date(2026, 3, 2)
    data_categories = "nir,identity,health"
    departments = "56,29"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    breach = factory.SubFactory(BreachFactory)
    file_name = "cohorte.csv"
    checksum = factory.Sequence(lambda n: f"{n:064x}")
    status = Cohort.Status.DONE


def person(*, breach: Breach, nir: str | None = None, fund=None, cohort: Cohort | None = None,
           **fields) -> AffectedPerson:
    """An affected person stored the way the import stores one."""
    nir = nir or make_nir(order=AffectedPerson.objects.count() + 1)
    token, key_id = seal_nir(nir)
    return AffectedPerson.objects.create(
        breach=breach, cohort=cohort or CohortFactory(breach=breach), fund=fund, nir_digest=nir_digest(nir),
        nir_sealed=token, seal_key_id=key_id, nir_masked=mask_nir(nir), **fields,
    )


def lookup_as(user, nir: str, **kwargs):
    """The lookup service as `user` asks it (their access and recent lookups read as a request would)."""
    from breaches.lookup.access import caller_of
    from breaches.lookup.service import person_lookup
    from breaches.lookup.throttle import window_start

    return person_lookup(caller=caller_of(user, since=window_start()), nir=nir, **kwargs)
