"""Key rotation re-seals every NIR and recomputes every digest under the new keys, in batches, resumable, with
lookups correct before, during and after, and no clear NIR anywhere."""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection

from breaches import rotation as rotation_module
from breaches.crypto import current_seal_key_id, nir_digest, seal_nir, unseal_nir
from breaches.models import AffectedPerson, KeyRotation
from breaches.nir import make_nir, mask_nir
from breaches.rotation import keys_rotate
from tests.breaches.factories import BreachFactory, CohortFactory, lookup_as, person
from tests.support.clear_nir import tables_holding

OLD = {"digest": "ancienne-cle-empreinte-" + "d" * 20, "seal": "ancienne-cle-scellement-" + "s" * 20}
NEW = {"digest": "nouvelle-cle-empreinte-" + "e" * 20, "seal": "nouvelle-cle-scellement-" + "t" * 20}
OLDER = {"digest": "tres-ancienne-cle-empreinte-" + "c" * 20, "seal": "tres-ancienne-cle-scellement-" + "r" * 20}
NIRS = [make_nir(order=n, month=3) for n in range(1, 12)]
UNKNOWN = [make_nir(order=n, month=4) for n in range(1, 4)]
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL requis")


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


def all_rekeyed() -> bool:
    """Every row sealed under the current key, its digest the current digest of the NIR it unseals to."""
    current = current_seal_key_id()
    return all(row.seal_key_id == current and row.nir_digest == nir_digest(unseal_nir(row.nir_sealed, row.seal_key_id))
               for row in AffectedPerson.objects.all())


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


def test_a_run_killed_midway_resumes_after_its_last_committed_chunk(cohort, agent_a, monkeypatch):
    real_apply, applied = rotation_module._apply, []

    def dies_on_third_chunk(cursor):
        applied.append(1)
        if len(applied) == 3:
            raise KeyboardInterrupt  # the worker killed in the middle of a chunk
        return real_apply(cursor)

    monkeypatch.setattr(rotation_module, "_apply", dies_on_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        keys_rotate(batch_size=3)
    stopped = KeyRotation.objects.get()
    assert (stopped.people, stopped.finished_at) == (6, None)  # two chunks committed, the third left nothing
    assert AffectedPerson.objects.filter(seal_key_id=cohort["old_seal_key"]).count() == len(NIRS) - 6
    assert all_flagged(agent_a)
    monkeypatch.setattr(rotation_module, "_apply", real_apply)
    resumed = keys_rotate(batch_size=3)
    assert resumed.pk == stopped.pk and resumed.finished_at and resumed.people == len(NIRS)
    assert all_rekeyed()


def test_a_person_sealed_under_two_previous_keys_is_kept_once(cohort, settings, fund_a):
    # imported under an older key pair too (a rotation to OLD that never finished): both rows meet in one chunk
    use_keys(settings, OLDER)
    person(breach=cohort["breach"], nir=NIRS[0], fund=fund_a)
    use_keys(settings, NEW, previous=OLD)
    settings.NIR_DIGEST_PREVIOUS_KEYS.append(OLDER["digest"])
    settings.NIR_SEAL_PREVIOUS_KEYS.append(OLDER["seal"])
    rotation = keys_rotate(batch_size=100)
    assert (rotation.people, rotation.merged) == (len(NIRS), 1)
    assert AffectedPerson.objects.filter(nir_digest=nir_digest(NIRS[0])).count() == 1
    assert all_rekeyed()


def test_a_corrupt_seal_stops_the_rotation_before_its_chunk_writes_anything(cohort):
    token, key_id = seal_nir(make_nir(order=500))  # under the new key, but stored as if under the old one
    row = AffectedPerson.objects.order_by("id")[5]
    AffectedPerson.objects.filter(pk=row.pk).update(nir_sealed=token, seal_key_id=cohort["old_seal_key"])
    with pytest.raises(Exception, match="illisible"):
        keys_rotate(batch_size=4)
    stopped = KeyRotation.objects.get()
    assert stopped.people == 4 and stopped.last_person_id < row.pk
    assert AffectedPerson.objects.filter(seal_key_id=cohort["old_seal_key"]).count() == len(NIRS) - 4


@postgresql
@pytest.mark.django_db(transaction=True)
def test_lookups_in_another_thread_answer_right_throughout_a_rotation(cohort, agent_a, settings):
    """Every answer checked while the chunks commit: flagged people found, unknown ones not."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "100000/min"}}
    rounds, wrong, stop = [], [], threading.Event()

    def look_up_until_stopped() -> None:
        try:
            while not stop.is_set():
                wrong.extend(nir for nir in NIRS if not lookup_as(agent_a, nir).flagged)
                wrong.extend(nir for nir in UNKNOWN if lookup_as(agent_a, nir).flagged)
                rounds.append(1)
        finally:
            connection.close()

    def after_each_chunk(rotation) -> None:  # at least one whole round of lookups between two chunks
        seen = len(rounds)
        while len(rounds) == seen and looker.is_alive():
            stop.wait(0.005)

    looker = threading.Thread(target=look_up_until_stopped)
    looker.start()
    try:
        rotation = keys_rotate(batch_size=2, progress=after_each_chunk)
    finally:
        stop.set()
        looker.join()
    assert rotation.finished_at and rotation.people == len(NIRS)
    assert len(rounds) >= len(NIRS) // 2 and [mask_nir(nir) for nir in wrong] == []
    assert all_rekeyed()


@postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_take_turns_and_re_key_each_person_once(cohort):
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            keys_rotate(batch_size=2, progress=lambda rotation: time.sleep(0.02))  # the other run's turn
        finally:
            connection.close()

    runs = [threading.Thread(target=run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()
    rotation = KeyRotation.objects.get()
    assert rotation.finished_at and (rotation.people, rotation.merged) == (len(NIRS), 0)
    assert all_rekeyed()
