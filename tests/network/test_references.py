"""Yearly references: one allocator for breaches (BR-) and instructions (VIG-), numbers never given twice."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from breaches.models import Breach
from network.models import ReferenceCounter
from network.references import reference_allocate
from notifications.models import Instruction
from tests.breaches.factories import BreachFactory
from tests.notifications.factories import draft

YEAR = datetime.date.today().year


def test_references_follow_each_other_under_the_year(db):
    first, second = (reference_allocate(series="BR", model=Breach) for _ in range(2))
    assert (first, second) == (f"BR-{YEAR}-0001", f"BR-{YEAR}-0002")


def test_each_series_has_its_own_counter(db):
    reference_allocate(series="BR", model=Breach)
    assert reference_allocate(series="VIG", model=Instruction) == f"VIG-{YEAR}-0001"


def test_a_new_year_starts_again_at_one(db, monkeypatch):
    reference_allocate(series="BR", model=Breach)
    monkeypatch.setattr("network.references.timezone.localdate", lambda: datetime.date(YEAR + 1, 1, 1))
    assert reference_allocate(series="BR", model=Breach) == f"BR-{YEAR + 1}-0001"


def test_counter_starts_after_the_references_already_given(db):
    BreachFactory(reference=f"BR-{YEAR}-0041")
    BreachFactory(reference=f"BR-{YEAR - 1}-4000")  # another year counts for nothing
    assert reference_allocate(series="BR", model=Breach) == f"BR-{YEAR}-0042"


def test_numbers_past_9999_are_compared_as_numbers(national):
    for reference in (f"VIG-{YEAR}-9999", f"VIG-{YEAR}-10000"):  # as text, 9999 would come last
        Instruction.objects.filter(pk=draft(national).pk).update(reference=reference)
    ReferenceCounter.objects.all().delete()  # as before the counters existed
    assert reference_allocate(series="VIG", model=Instruction) == f"VIG-{YEAR}-10001"


def test_a_creation_rolled_back_gives_its_number_back(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        reference_allocate(series="BR", model=Breach)
        raise RuntimeError
    assert reference_allocate(series="BR", model=Breach) == f"BR-{YEAR}-0001"


@pytest.mark.django_db(transaction=True)
def test_creations_racing_on_postgresql_get_distinct_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("course réelle entre connexions : PostgreSQL seulement")
    racers = 6
    barrier, references, errors = threading.Barrier(racers), [], []

    def create() -> None:
        try:
            barrier.wait()
            with transaction.atomic():  # the year's counter does not exist yet: its creation races too
                references.append(reference_allocate(series="VIG", model=Instruction))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(references) == [f"VIG-{YEAR}-{n:04d}" for n in range(1, racers + 1)]
