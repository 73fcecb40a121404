"""The access log is append-only from the application's side, kept 12 months then purged, searchable by
national staff and exportable."""

import csv
import datetime as dt
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from breaches.access_log import AccessLogImmutable, access_log_purge, purge_flag_raise
from breaches.models import AccessLog
from breaches.nir import make_nir
from breaches.tasks import purge_access_log
from tests.breaches.factories import lookup_as


@pytest.fixture
def logged(agent_a, agent_b, national):
    lookup_as(agent_a, make_nir(order=11), purpose="changement de RIB")
    lookup_as(agent_b, make_nir(order=12), purpose="récupération de compte")
    lookup_as(national, make_nir(order=13), purpose="contrôle")
    return list(AccessLog.objects.order_by("id"))


def test_the_access_log_refuses_an_update(logged):
    row = logged[0]
    row.result = "modifié"
    with pytest.raises(AccessLogImmutable, match="ne peut pas être modifié"):
        row.save()
    assert AccessLog.objects.get(pk=row.pk).result != "modifié"


def test_the_database_refuses_a_bulk_update_too(logged):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=logged[0].pk).update(result="modifié")
    assert AccessLog.objects.get(pk=logged[0].pk).result != "modifié"


def test_the_access_log_refuses_a_deletion(logged):
    with pytest.raises(AccessLogImmutable), transaction.atomic():
        logged[0].delete()
    with pytest.raises(AccessLogImmutable), transaction.atomic():
        AccessLog.objects.all().delete()
    assert AccessLog.objects.count() == 3


postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL requis")
TABLE = AccessLog._meta.db_table


def _refused_by_the_database(statement):
    with pytest.raises(DatabaseError, match="journal des accès"), transaction.atomic():
        statement()


@postgresql
@pytest.mark.parametrize("statement", [
    f"UPDATE {TABLE} SET result = 'modifié'",
    f"DELETE FROM {TABLE}",
    f"DELETE FROM {TABLE} WHERE id = (SELECT min(id) FROM {TABLE})",
    f"TRUNCATE {TABLE}",
    f"TRUNCATE {TABLE} CASCADE",
])
def test_the_database_refuses_every_change_by_raw_sql(logged, statement):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(statement)
    _refused_by_the_database(run)
    assert AccessLog.objects.count() == 3


@postgresql
def test_the_database_refuses_a_queryset_delete_that_skips_the_application_guard(logged):
    _refused_by_the_database(lambda: AccessLog.objects.all()._raw_delete(connection.alias))
    _refused_by_the_database(lambda: AccessLog.objects.filter(pk=logged[0].pk).update(purpose="effacé"))
    assert AccessLog.objects.count() == 3


@postgresql
@pytest.mark.django_db(transaction=True)  # the flag is transaction-local: each test runs inside one otherwise
def test_the_purge_flag_lasts_only_its_transaction(logged):
    with transaction.atomic():
        purge_flag_raise(connection)
        assert AccessLog.objects.filter(pk=logged[0].pk)._raw_delete(connection.alias) == 1
    _refused_by_the_database(lambda: AccessLog.objects.all()._raw_delete(connection.alias))
    assert AccessLog.objects.count() == 2


@postgresql
def test_the_purge_flag_does_not_allow_an_update(logged):
    def update():
        purge_flag_raise(connection)
        AccessLog.objects.update(result="modifié")
    _refused_by_the_database(update)


def test_the_admin_is_read_only(client_as, admin_user, logged):
    client = client_as(admin_user)
    assert client.get(reverse("admin:breaches_accesslog_changelist")).status_code == 200
    delete_url = reverse("admin:breaches_accesslog_delete", args=[logged[0].pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:breaches_accesslog_add")).status_code == 403



def test_rows_older_than_the_retention_are_purged(logged, settings):
    assert settings.ACCESS_LOG_RETENTION_DAYS == 365
    now = timezone.now()
    assert access_log_purge(now=now + dt.timedelta(days=364)) == 0
    assert AccessLog.objects.count() == 3
    assert access_log_purge(now=now + dt.timedelta(days=366)) == 3
    assert not AccessLog.objects.exists()


def test_the_purge_deletes_in_batches_past_the_database_guard(logged, monkeypatch):
    monkeypatch.setattr("breaches.access_log.PURGE_BATCH", 2)
    assert access_log_purge(now=timezone.now() + dt.timedelta(days=366)) == 3
    assert not AccessLog.objects.exists()


def test_the_purge_runs_as_a_periodic_task(logged, settings):
    assert settings.CELERY_BEAT_SCHEDULE["breaches-purge-access-log"]["task"] == "breaches.purge_access_log"
    assert purge_access_log.delay().get() == 0  # nothing is a year old yet
    assert AccessLog.objects.count() == 3


def test_retention_is_a_setting(logged, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 0
    assert access_log_purge(now=timezone.now() + dt.timedelta(seconds=1)) == 3


def test_national_staff_search_by_user_fund_and_date(client_as, national, logged):
    client = client_as(national)
    by_user = client.get(reverse("access-log-list"), {"username": "agent_a"})
    assert [r.user.username for r in by_user.context["page"]] == ["agent_a"]
    by_fund = client.get(reverse("access-log-list"), {"fund_code": "291"})
    assert [r.user.username for r in by_fund.context["page"]] == ["agent_b"]
    today = timezone.localdate()
    by_date = client.get(reverse("access-log-list"), {"since": today.isoformat(), "until": today.isoformat()})
    assert by_date.context["page"].paginator.count == 3
    before = client.get(reverse("access-log-list"), {"until": (today - dt.timedelta(days=1)).isoformat()})
    assert before.context["page"].paginator.count == 0


def test_national_staff_export_the_log_without_any_clear_nir(client_as, national, logged):
    response = client_as(national).get(reverse("access-log-export"), {"fund_code": "561"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["utilisateur"], r["caisse"], r["action"]) for r in rows] == [("agent_a", "561", "Vérification")]
    assert make_nir(order=11) not in text and len(rows[0]["empreinte du NIR"]) == 64


def test_fund_users_cannot_read_the_log(client_as, manager_a):
    client = client_as(manager_a)
    assert client.get(reverse("access-log-list")).status_code == 404
    assert client.get(reverse("access-log-export")).status_code == 404
