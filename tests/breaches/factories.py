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


AWARE_AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def complete_record(*, role: str = "third_party", **overrides) -> dict:
    """The GDPR record fields a breach needs to close, for `role` (BreachFactory(**complete_record()))."""
    fields = {
        "description": "Exfiltration du logiciel des laboratoires.", "network_role": role,
        "controller_names": "Laboratoires de l'Ouest", "processor_names": "Éditeur du logiciel",
        "aware_at": AWARE_AT, "aware_how": "Courriel du laboratoire", "nature_confidentiality": True,
        "origin": "external_malicious", "people_categories": "Patients des laboratoires", "people_approx": 1200,
        "consequences": "Usurpation d'identité, hameçonnage.", "measures_taken": "Consignes de vigilance aux caisses.",
        "dpo_opinion": "Documentation complète.",
    }
    if role in ("controller", "joint_controller"):
        fields.update(cnil_notified_at=AWARE_AT + datetime.timedelta(hours=30), regulator_reference="CNIL-2026-001",
                      inform_decision="none", inform_ground="no_high_risk")
    fields.update(overrides)
    return fields
