"""The lookup's plain SQL: the access check and the throttle count read with the token agree with the
selectors and the access log, statements are prepared on PostgreSQL, the import leaves fresh statistics, and
the access log keeps Django's PROTECT."""

import datetime

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from breaches.importing import cohort_import, cohort_register
from breaches.lookup_access import lookup_access, lookup_caller, recent_lookups
from breaches.lookups import person_lookup
from breaches.models import AccessLog, AffectedPerson
from breaches.nir import NirError, make_nir
from network.permissions import funds_of, is_national
from network.roles import LOOKUP_PERSON
from tests.breaches.factories import BreachFactory
from tests.factories import UserFactory

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def test_a_token_brings_its_user_with_the_same_access_as_the_selectors(agent_a, manager_a, agent_b, national):
    outsider = UserFactory(username="outsider")
    for user in (agent_a, manager_a, agent_b, national, outsider):
        caller = lookup_caller(token=Token.objects.create(user=user).key, since=timezone.now())
        assert caller == user and caller.username == user.username
        fund = None if is_national(user) else funds_of(user=user, perm=LOOKUP_PERSON).first()
        expected = (is_national(user), fund.pk if fund else None)
        assert lookup_access(caller) == lookup_access(user) == expected
    assert lookup_caller(token="0" * 40, since=timezone.now()) is None


def test_the_recent_lookups_read_with_the_token_are_those_of_the_access_log(agent_a, agent_b):
    for order in range(3):
        person_lookup(user=agent_a, nir=make_nir(order=order + 1))
    person_lookup(user=agent_b, nir=make_nir(order=9))
    with pytest.raises(NirError):  # an invalid NIR is logged, and counts
        person_lookup(user=agent_a, nir="1" * 15)
    old = AccessLog.objects.filter(user=agent_a).order_by("id").values_list("created_at", flat=True).first()
    token = Token.objects.create(user=agent_a).key
    assert lookup_caller(token=token, since=old - datetime.timedelta(seconds=1))._vigie_recent_lookups[1] == 4
    assert lookup_caller(token=token, since=old)._vigie_recent_lookups[1] == 3
    assert recent_lookups(user=agent_a, since=old) == 3
    assert recent_lookups(user=agent_b, since=old - datetime.timedelta(seconds=1)) == 1


@postgresql
def test_lookup_statements_are_prepared_after_a_few_runs(agent_a):
    for order in range(6):
        person_lookup(user=agent_a, nir=make_nir(order=order + 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("INSERT INTO breaches_accesslog" in sql for sql in prepared)
    assert any("guardian_userobjectpermission" in sql for sql in prepared)


@postgresql
def test_an_import_leaves_fresh_statistics_for_the_lookup_planner(tmp_path, fund_a):
    path = tmp_path / "cohorte.csv"
    path.write_text("nir\n" + "\n".join(make_nir(order=n) for n in range(1, 41)) + "\n", encoding="utf-8")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=str(path), queue=False)
    assert cohort_import(cohort_id=cohort.pk).imported == 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [AffectedPerson._meta.db_table])
        assert cursor.fetchone()[0] == 40


def test_a_user_or_fund_named_in_the_access_log_cannot_be_deleted(agent_a, fund_a):
    person_lookup(user=agent_a, nir=make_nir(order=3))
    assert AccessLog.objects.filter(user=agent_a, fund=fund_a).count() == 1
    for named in (agent_a, fund_a):
        with pytest.raises(ProtectedError) as refused:
            named.delete()
        assert any(isinstance(row, AccessLog) for row in refused.value.protected_objects)
