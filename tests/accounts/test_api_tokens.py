"""API tokens are second-factor credentials: issued only from a session that passed its second factor, shown once
and stored hashed, expiring, listed and revoked by their owner and by admins, and refused, on the API and on the
NIR lookup alike, once expired or when the account has no second factor (any more)."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.crypto import hash_token
from knox.models import AuthToken

from accounts.selectors import has_second_factor, second_factor_required
from accounts.services import api_token_issue, second_factor_disable
from breaches.models import AccessLog
from config.errors import ApplicationError
from config.tokens import ApiTokenAuthentication
from tests.accounts.test_second_factor import code_for, sign_in
from tests.breaches.factories import CLEAN
from tests.support.api_tokens import api_token_for, authenticator_for


def verified_client(user) -> Client:
    """A browser session signed in with the password, then the authenticator's code."""
    client = sign_in(Client(), user)
    device = authenticator_for(user)
    response = client.post(reverse("mfa-verify"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    return client


def issue(client) -> str:
    response = client.post(reverse("api-tokens"))
    assert response.status_code == 200
    return response.context["issued"]


def fund_list(key: str):
    return Client().get(reverse("api:fund-list"), HTTP_AUTHORIZATION=f"Token {key}")


def lookup(key: str):
    return Client().post(reverse("api:lookup"), {"nir": CLEAN}, content_type="application/json",
                         HTTP_AUTHORIZATION=f"Token {key}")


def works(key: str) -> bool:
    """Whether the key opens the API, on an ordinary endpoint and on the lookup (they must agree)."""
    codes = fund_list(key).status_code, lookup(key).status_code
    assert codes[0] == codes[1] and codes[0] in (200, 401, 403), codes
    return codes[0] == 200


# issuing


def test_a_session_without_second_factor_gets_no_token(client, agent_a):
    sign_in(client, agent_a)
    response = client.post(reverse("api-tokens"))
    assert response.status_code == 200 and response.context["issued"] is None
    assert "après la double authentification" in response.content.decode()
    assert not response.context["may_issue"]
    assert not AuthToken.objects.exists()


def test_the_service_refuses_a_session_that_did_not_pass_the_second_factor(agent_a):
    authenticator_for(agent_a)
    agent_a.is_verified = lambda: False
    with pytest.raises(ApplicationError, match="double authentification"):
        api_token_issue(user=agent_a)
    del agent_a.is_verified  # a user loaded outside a request has no verification at all
    with pytest.raises(ApplicationError):
        api_token_issue(user=agent_a)
    assert not AuthToken.objects.exists()


def test_a_verified_session_gets_a_working_token_shown_once(agent_a, fund_a):
    client = verified_client(agent_a)
    key = issue(client)
    assert key.startswith("vigie_") and len(key) == len("vigie_") + 64
    assert works(key)
    listing = client.get(reverse("api-tokens"))
    assert key not in listing.content.decode() and key[:15] in listing.content.decode()


def test_only_a_digest_of_the_key_is_stored(agent_a, fund_a):
    key = issue(verified_client(agent_a))
    token = AuthToken.objects.get()
    assert token.digest == hash_token(key) and token.token_key == key[:15]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AuthToken._meta.db_table}")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert key not in stored and key[15:] not in stored


@pytest.mark.parametrize("who, days", [("agent_a", 30), ("manager_a", 30), ("national", 7), ("admin_user", 7)])
def test_tokens_expire_sooner_for_national_staff_and_admins(request, who, days):
    user = request.getfixturevalue(who)
    issue(verified_client(user))
    lifetime = AuthToken.objects.get(user=user).expiry - timezone.now()
    assert dt.timedelta(days=days) - dt.timedelta(minutes=1) < lifetime <= dt.timedelta(days=days)


def test_the_lifetimes_are_settings(agent_a, settings):
    settings.API_TOKEN_DAYS = 2
    issue(verified_client(agent_a))
    assert AuthToken.objects.get().expiry - timezone.now() <= dt.timedelta(days=2)


# refusals


def test_an_expired_token_is_refused(agent_a, fund_a):
    key = api_token_for(agent_a)
    assert works(key)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert not works(key)
    assert fund_list(key).json() == {"detail": "Jeton invalide ou expiré, ou compte sans double authentification."}


def test_a_token_of_an_account_whose_second_factor_was_removed_is_refused(agent_a, fund_a):
    key = api_token_for(agent_a)
    TOTPDevice.objects.filter(user=agent_a).delete()  # e.g. reset by an admin in the database
    assert not works(key)


def test_a_token_is_refused_once_the_account_requires_a_second_factor_it_has_not_set_up(agent_a, fund_a):
    key = api_token_for(agent_a)
    TOTPDevice.objects.filter(user=agent_a).update(confirmed=False)
    agent_a.is_staff = True  # now an admin: the second factor is required
    agent_a.save(update_fields=["is_staff"])
    assert second_factor_required(agent_a) and not has_second_factor(agent_a)
    assert not works(key)
    TOTPDevice.objects.filter(user=agent_a).update(confirmed=True)
    assert works(key)


def test_turning_the_second_factor_off_revokes_the_tokens(agent_a, fund_a):
    api_token_for(agent_a)
    second_factor_disable(user=agent_a, actor=agent_a)
    assert not AuthToken.objects.filter(user=agent_a).exists()


def test_a_refused_token_writes_no_access_log_row(agent_a, fund_a):
    key = api_token_for(agent_a)
    AuthToken.objects.update(expiry=timezone.now())
    assert lookup(key).status_code in (401, 403)
    assert not AccessLog.objects.exists()


# listing and revoking


def test_the_owner_lists_and_revokes_their_tokens(agent_a, agent_b, fund_a):
    client = verified_client(agent_a)
    first, second = issue(client), issue(client)
    api_token_for(agent_b)
    listed = client.get(reverse("api-tokens")).context["tokens"]
    assert [token.token_key for token in listed] == [second[:15], first[:15]]
    response = client.post(reverse("api-token-revoke", args=[first[:15]]))
    assert response.status_code == 302
    assert not works(first) and works(second)


def test_nobody_revokes_another_users_token(agent_a, agent_b, fund_a, fund_b):
    other = api_token_for(agent_b)
    client = verified_client(agent_a)
    assert client.post(reverse("api-token-revoke", args=[other[:15]])).status_code == 404
    assert works(other)


def test_admins_list_and_revoke_any_token_but_create_none(client_as, admin_user, agent_a, fund_a):
    key = api_token_for(agent_a)
    client = client_as(admin_user)
    listing = client.get(reverse("admin:accounts_apitoken_changelist"))
    assert listing.status_code == 200 and key[:15] in listing.content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    token = AuthToken.objects.get()
    response = client.post(reverse("admin:accounts_apitoken_changelist"),
                           {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"})
    assert response.status_code == 302
    assert not works(key)


def test_checking_a_token_is_one_query(agent_a, django_assert_num_queries):
    key = api_token_for(agent_a)
    with django_assert_num_queries(1):
        user, _ = ApiTokenAuthentication().authenticate_credentials(key)
        assert user == agent_a and user.username == "agent_a"


def test_the_clear_tokens_of_the_previous_version_are_revoked(agent_a):
    """accounts 0001 drops DRF's table of clear keys (their holders create new tokens after the second factor)."""
    migration = importlib.import_module("accounts.migrations.0001_revoke_clear_api_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer NOT NULL)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s)", ["0" * 40, agent_a.pk])
        migration.revoke_clear_tokens(None, SimpleNamespace(execute=cursor.execute))
    assert "authtoken_token" not in connection.introspection.table_names()
