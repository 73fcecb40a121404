"""The read replica's router, with the replica as Django's test mirror of the database: dashboards and exports read
from it; lookups, sign-in and every write stay on the primary."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from breaches.models import AccessLog
from config.db_router import ReplicaRouter, replica_reads
from network.models import Fund

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def replica(settings):
    settings.REPLICA_READS = True


def tables(queries) -> str:
    return " ".join(q["sql"] for q in queries)


def test_national_dashboard_reads_from_the_replica(replica, client_as, national, fund_a):
    client = client_as(national)
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        assert client.get(reverse("dashboard-national")).status_code == 200
    assert "casework_" in tables(on_replica) and "casework_" not in tables(on_primary)
    assert "django_session" in tables(on_primary)  # signing in is read where it is written


def test_a_streamed_export_reads_its_rows_from_the_replica(replica, client_as, national, fund_a):
    client = client_as(national)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("access-log-export"))
        b"".join(response.streaming_content)
    assert '"breaches_accesslog"' in tables(on_replica)


def test_lookups_and_writes_stay_on_the_primary(replica, api, national, fund_a):
    api.force_authenticate(national)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = api.post(reverse("api:lookup"), {"nir": "185055603400141", "purpose": "contrôle"}, format="json")
    assert response.status_code in (200, 400) and on_replica.captured_queries == []
    assert AccessLog.objects.count() == 1

    @replica_reads
    def view(request):
        Fund.objects.filter(pk=fund_a.pk).update(name="Caisse renommée")  # a write inside a replica-reading view
        return Fund.objects.get(pk=fund_a.pk).name

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert view(None) == "Caisse renommée"
    assert tables(on_replica).startswith("SELECT") and "UPDATE" not in tables(on_replica)
    router = ReplicaRouter()
    fund = Fund.objects.using("replica").get(pk=fund_a.pk)
    assert router.db_for_write(Fund, instance=fund) == "default"
    assert router.db_for_read(Fund) is None  # outside a marked view: Django's own choice, the primary
