"""Shared fixtures: a national user, a manager and an agent of fund A, and an agent of fund B (the outsider)."""

import pytest
from django.db import connections
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from rest_framework.test import APIClient

from breaches.access_log import PURGE_FLAG_SQL
from network.models import Membership
from network.services import membership_grant
from tests.factories import FundFactory, UserFactory


@pytest.fixture
def fund_a(db):
    return FundFactory(code="561", name="CPAM du Morbihan", departments=["56"])


@pytest.fixture
def fund_b(db):
    return FundFactory(code="291", name="CPAM du Finistère", departments=["29"])


def _member(username, role, fund=None):
    user = UserFactory(username=username)
    membership_grant(user=user, role=role, fund=fund)
    return user


@pytest.fixture
def national(db):
    return _member("national", Membership.Role.NATIONAL)


@pytest.fixture
def manager_a(fund_a):
    return _member("manager_a", Membership.Role.MANAGER, fund_a)


@pytest.fixture
def agent_a(fund_a):
    return _member("agent_a", Membership.Role.AGENT, fund_a)


@pytest.fixture
def agent_b(fund_b):
    return _member("agent_b", Membership.Role.AGENT, fund_b)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def api():
    """An API client; call `api.force_authenticate(user)` to act as someone."""
    return APIClient()


@pytest.fixture
def client_as(client):
    """`client_as(user)` signs the test client in as `user` and returns it."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """`client.force_login` skips authentication, so it skips the second factor too (as a verified session).

    Tests of the second factor itself sign in through the real pages instead.
    """
    original = Client.force_login

    def force_login(self, user, backend=None):
        from accounts.selectors import second_factor_expected

        original(self, user, backend)
        required = second_factor_expected(user)  # required, or enrolled (e.g. to hold an API token)
        user.__dict__.pop("_vigie_is_national", None)  # the test may change the user's roles afterwards
        user.__dict__.pop("_vigie_region", None)
        if not required:
            return
        device, _ = StaticDevice.objects.get_or_create(user=user, name="test-force-login", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True, scope="session")
def _test_flush_passes_the_access_log_guard():
    """Between transactional tests Django empties every table with one TRUNCATE, which the access log's database
    guard refuses outside the retention purge: Django's flush (and only it) raises the purge's flag first, in the
    same transaction. Patched on the backend's class: connections are per thread and per async context (the
    browser tests' live server, Playwright's event loop)."""
    operations = type(connections["default"].ops)
    if connections["default"].vendor != "postgresql":
        yield
        return
    flush = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return flush(self, [PURGE_FLAG_SQL, *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "execute_sql_flush", execute_sql_flush)
        yield
