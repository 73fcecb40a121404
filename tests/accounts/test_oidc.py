"""Single sign-on through OpenID Connect, against a provider run inside the test."""

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from network.models import Membership
from network.roles import LOOKUP_PERSON, MANAGE_CASES
from tests.factories import PASSWORD
from tests.support.oidc_provider import Provider


@pytest.fixture
def provider(settings, db):
    with Provider() as running:
        for name, value in running.settings().items():
            setattr(settings, name, value)
        settings.OIDC_ENABLED = True
        settings.AUTHENTICATION_BACKENDS = [
            django_settings.AUTHENTICATION_BACKENDS[0], "accounts.oidc.DirectoryBackend",
            *django_settings.AUTHENTICATION_BACKENDS[1:],
        ]
        yield running


def sso_sign_in(client, provider, **claims):
    provider.next_claims = {"sub": claims["preferred_username"], **claims}
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider.url + "/authorize")
    consent = requests.get(start["Location"], allow_redirects=False, timeout=5)  # the browser at the provider
    return client.get(consent.headers["Location"].removeprefix("http://testserver"))


def test_directory_group_maps_to_agent_of_the_named_fund(client, provider, fund_a, fund_b):
    response = sso_sign_in(client, provider, preferred_username="jdupont", email="j.dupont@test.invalid",
                           given_name="Jeanne", family_name="Dupont", groups=["vigie-agent-561", "autre-groupe"])
    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = get_user_model().objects.get(username="jdupont")
    assert [(m.role, m.fund) for m in user.memberships.all()] == [(Membership.Role.AGENT, fund_a)]
    assert user.has_perm(LOOKUP_PERSON, fund_a) and not user.has_perm(LOOKUP_PERSON, fund_b)
    assert not user.has_usable_password()
    assert client.get(reverse("home")).status_code == 200


def test_directory_group_maps_to_national_who_then_needs_the_second_factor(client, provider):
    response = sso_sign_in(client, provider, preferred_username="mnational", groups=["vigie-national"])
    assert response.status_code == 302
    user = get_user_model().objects.get(username="mnational")
    assert user.memberships.get().role == Membership.Role.NATIONAL
    assert client.get(reverse("fund-list"))["Location"].startswith(reverse("mfa-setup"))


def test_roles_follow_the_directory_at_each_sign_in(client, provider, fund_a, fund_b):
    sso_sign_in(client, provider, preferred_username="pmartin", groups=["vigie-manager-561"])
    client.post(reverse("logout"))
    sso_sign_in(client, provider, preferred_username="pmartin", groups=["vigie-agent-291", "vigie-agent-999"])
    user = get_user_model().objects.get(username="pmartin")
    assert [(m.role, m.fund.code) for m in user.memberships.all()] == [("agent", "291")]
    assert not user.has_perm(MANAGE_CASES, fund_a)


def test_a_tampered_code_signs_nobody_in(client, provider):
    provider.next_claims = {"sub": "x", "preferred_username": "x"}
    start = client.get(reverse("oidc_authentication_init"))
    state = dict(p.split("=") for p in start["Location"].split("?")[1].split("&"))["state"]
    response = client.get(reverse("oidc_authentication_callback"), {"code": "forged", "state": state})
    assert response.status_code == 302 and response["Location"] == "/connexion/"
    assert not get_user_model().objects.filter(username="x").exists()


def test_local_accounts_keep_working_with_sso_on(client, provider, agent_a):
    response = client.post(reverse("login"), {"username": agent_a.username, "password": PASSWORD})
    assert response.status_code == 302 and client.get(reverse("home")).status_code == 200


def test_sign_in_page_offers_the_directory_when_on(client, provider):
    assert "Se connecter avec l'annuaire" in client.get(reverse("login")).content.decode()


def test_sso_routes_are_absent_when_off(client, settings, agent_a):
    settings.OIDC_ENABLED = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "annuaire" not in client.get(reverse("login")).content.decode()
    assert client.post(reverse("login"), {"username": agent_a.username, "password": PASSWORD}).status_code == 302
