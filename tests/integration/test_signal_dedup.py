"""Two loads of the same signal racing on PostgreSQL still open one case (the constraint decides)."""

import datetime
import threading

import pytest
from django.db import connection

from casework.cases.models import Case
from casework.risk.services import signals_ingest
from tests.casework.factories import flagged_nir

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_racing_loads_open_one_case(postgres_only, national, fund_a):
    nir = flagged_nir(fund=fund_a)
    row = {"nir": nir, "kind": "bank_details", "fund": "561",
           "occurred_on": (datetime.date.today() - datetime.timedelta(days=1)).isoformat()}
    barrier, results, errors = threading.Barrier(4), [], []

    def load():
        try:
            barrier.wait()
            results.append(signals_ingest(actor=national, rows=[row]).cases_opened)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and sorted(results) == [0, 0, 0, 1]
    assert Case.objects.filter(origin="signal").count() == 1
