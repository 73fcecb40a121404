"""Lock-out after repeated failures, session expiry after inactivity, password rules."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.middleware import LAST_ACTIVITY_KEY
from tests.factories import PASSWORD


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_are_allowed_the_sixth_locks_the_account(client, agent_a):
    for _ in range(5):
        response = attempt(client, agent_a.username, "mauvais-mot-de-passe")
        assert response.status_code == 200
        assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    sixth = attempt(client, agent_a.username, "mauvais-mot-de-passe")
    assert sixth.status_code == 429
    assert "Compte temporairement verrouillé" in sixth.content.decode()
    # the right password no longer opens the account
    assert attempt(client, agent_a.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_failures_then_the_right_password_still_signs_in(client, agent_a):
    for _ in range(5):
        attempt(client, agent_a.username, "mauvais-mot-de-passe")
    assert attempt(client, agent_a.username, PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_lock_out_of_one_account_leaves_another_usable_from_elsewhere(client, agent_a, agent_b):
    for _ in range(6):
        attempt(client, agent_a.username, "mauvais-mot-de-passe")
    response = client.post(reverse("login"), {"username": agent_b.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_idle_session_expires(client_as, agent_a):
    client = client_as(agent_a)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_activity_keeps_the_session_alive(client_as, agent_a):
    client = client_as(agent_a)
    session = client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] > time.time() - 60


@pytest.mark.parametrize("password, reason", [
    ("court-1A", "trop court"),
    ("motdepasseuniquementminuscule", "types de caractères"),
    ("123456789012345", "entièrement numérique"),
])
def test_weak_passwords_are_refused_with_a_reason(agent_a, password, reason):
    with pytest.raises(ValidationError) as error:
        validate_password(password, agent_a)
    assert any(reason in message for message in error.value.messages), error.value.messages


def test_a_long_mixed_password_is_accepted(agent_a):
    validate_password("Vigie-Bretagne-2026", agent_a)
