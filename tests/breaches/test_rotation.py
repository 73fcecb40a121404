"""Key rotation re-seals every NIR and recomputes every digest under the new keys, in batches, resumable, with
lookups correct before, during and after, and no clear NIR anywhere."""

import pytest
from django.core.management import call_command

from breaches.crypto import current_seal_key_id, nir_digest, unseal_nir
from breaches.models import AffectedPerson, KeyRotation
from breaches.nir import make_nir
from breaches.rotation import keys_rotate
from tests.breaches.factories import BreachFactory, CohortFactory, lookup_as, person
from tests.support.clear_nir import tables_holding

OLD = {"digest": "ancienne-cle-empreinte-" + "d" * 20, "seal": "ancienne-cle-scellement-" + "s" * 20}
NEW = {"digest": "nouvelle-cle-empreinte-" + "e" * 20, "seal": "nouvelle-cle-scellement-" + "t" * 20}
NIRS = [make_nir(order=n, month=3) for n in range(1, 12)]


def use_keys(settings, current: dict, previous: dict | None = None) -> None:
    settings.NIR_DIGEST_KEY, settings.NIR_SEAL_KEY = current["digest"], current["seal"]
    settings.NIR_DIGEST_PREVIOUS_KEYS = [previous["digest"]] if previous else []
    settings.NIR_SEAL_PREVIOUS_KEYS = [previous["seal"]] if previous else []


@pytest.fixture
def cohort(settings, fund_a):
    use_keys(settings, OLD)
    breach = BreachFactory()
    cohort = CohortFactory(breach=breach)
    for nir in NIRS:
        person(breach=breach, cohort=cohort, nir=nir, fund=fund_a)
    old_seal_key = current_seal_key_id()
    use_keys(settings, NEW, previous=OLD)  # the deployment step: new keys current, old ones previous
    return {"breach": breach, "old_seal_key": old_seal_key}


def all_flagged(agent) -> bool:
    return all(lookup_as(agent, nir).flagged for nir in NIRS)


def test_rotation_rekeys_everyone_in_batches_and_lookups_work_throughout(cohort, agent_a, settings):
    assert all_flagged(agent_a)  # before: found through the previous digest key
    rotation = keys_rotate(batch_size=4, max_batches=1)
    assert rotation.people == 4 and rotation.finished_at is None
    assert AffectedPerson.objects.filter(seal_key_id=cohort["old_seal_key"]).count() == len(NIRS) - 4
    assert all_flagged(agent_a)  # during: half under each key, all found
    call_command("rotate_keys", "--batch-size", "4")  # resumes where it stopped
    rotation = KeyRotation.objects.get()
    assert rotation.finished_at is not None and rotation.people == len(NIRS)
    current = current_seal_key_id()
    for row in AffectedPerson.objects.all():
        assert row.seal_key_id == current
        nir = unseal_nir(row.nir_sealed, row.seal_key_id)
        assert row.nir_digest == nir_digest(nir)
    use_keys(settings, NEW)  # after: the previous keys are removed
    assert all_flagged(agent_a)
    assert not lookup_as(agent_a, make_nir(order=999)).flagged
    for nir in NIRS:
        assert tables_holding(nir) == []


def test_a_second_run_after_the_end_does_nothing(cohort):
    keys_rotate()
    again = keys_rotate()
    assert again.people == 0 and KeyRotation.objects.filter(finished_at__isnull=False).count() == 2


def test_old_keys_no_longer_open_rotated_rows(cohort, settings):
    keys_rotate()
    use_keys(settings, OLD)
    row = AffectedPerson.objects.first()
    with pytest.raises(Exception, match="Aucune clé"):
        unseal_nir(row.nir_sealed, row.seal_key_id)


def test_a_person_imported_twice_during_the_rotation_is_merged(cohort, fund_a):
    # imported again under the new keys while the old-key row is still there
    person(breach=cohort["breach"], nir=NIRS[0], fund=fund_a)
    rotation = keys_rotate(batch_size=50)
    assert rotation.merged == 1
    assert AffectedPerson.objects.filter(nir_digest=nir_digest(NIRS[0])).count() == 1
    assert AffectedPerson.objects.count() == len(NIRS)


def test_rotation_can_be_handed_to_the_imports_worker(cohort, agent_a):
    call_command("rotate_keys", "--in-worker")  # the task (eager here; queue "imports" with a broker)
    rotation = KeyRotation.objects.get()
    assert rotation.finished_at is not None and rotation.people == len(NIRS)
    assert all_flagged(agent_a)
