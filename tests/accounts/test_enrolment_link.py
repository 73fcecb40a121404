"""An admin's one-time enrolment link binds the second factor, instead of whoever first holds the password: it works
once, for its own account, before it expires; an account that was issued one (or every account, when the setting
says so) cannot enrol on its own."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import EnrolmentLink
from accounts.services import enrolment_link_issue, totp_device_confirm, totp_device_start
from config.errors import ApplicationError
from tests.accounts.test_second_factor import code_for, sign_in


def link_path(token: str) -> str:
    return reverse("mfa-enrol-link", args=[token])


def enrol_through(client, path: str):
    """Open the link page, then confirm with the code of the authenticator it shows."""
    page = client.get(path)
    assert page.status_code == 200 and page.context["secret"]
    device = TOTPDevice.objects.get(confirmed=False)
    return client.post(path, {"token": code_for(device), "next": "/"})


@pytest.fixture
def issued(national, admin_user):
    return enrolment_link_issue(user=national, actor=admin_user)


def test_the_link_binds_the_second_factor_once(client, national, issued):
    link, token = issued
    sign_in(client, national)
    response = enrol_through(client, link_path(token))
    assert response.status_code == 200 and len(response.context["codes"]) == 10
    assert TOTPDevice.objects.filter(user=national, confirmed=True).count() == 1
    link.refresh_from_db()
    assert link.used_at is not None
    assert client.get(reverse("home")).status_code == 200  # the session passed its second factor
    TOTPDevice.objects.filter(user=national).delete()  # even with the authenticator gone, the link is spent
    again = client.get(link_path(token))
    assert again.status_code == 404 and "pas valable" in again.content.decode()


def test_the_link_expires(client, national, issued, settings):
    link, token = issued
    assert link.expires_at - timezone.now() <= dt.timedelta(hours=settings.MFA_ENROLMENT_LINK_HOURS)
    EnrolmentLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    sign_in(client, national)
    assert client.get(link_path(token)).status_code == 404
    assert not TOTPDevice.objects.filter(user=national).exists()


def test_a_link_that_expires_between_the_page_and_the_code_binds_nothing(client, national, issued):
    sign_in(client, national)
    client.get(link_path(issued[1]))
    EnrolmentLink.objects.update(expires_at=timezone.now())
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(link_path(issued[1]), {"token": code_for(device)})
    assert response.status_code == 404
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_another_account_cannot_use_the_link(client, national, agent_a, issued):
    sign_in(client, agent_a)
    response = client.get(link_path(issued[1]))
    assert response.status_code == 404
    assert not TOTPDevice.objects.exists()
    assert EnrolmentLink.objects.get().used_at is None


def test_anonymous_visitors_are_sent_to_sign_in_first(client, issued):
    response = client.get(link_path(issued[1]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_account_issued_a_link_cannot_enrol_on_its_own(client, national, issued):
    sign_in(client, national)
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa-setup"))
    page = client.get(reverse("mfa-setup"))
    assert "lien à usage unique" in page.content.decode() and "secret" not in page.context
    assert not TOTPDevice.objects.exists()
    with pytest.raises(ApplicationError, match="uniquement avec le lien"):
        totp_device_start(user=national)
    TOTPDevice.objects.create(user=national, name="posé à la main", confirmed=False)
    with pytest.raises(ApplicationError, match="uniquement avec le lien"):
        totp_device_confirm(user=national, token="123456")


def test_self_enrolment_can_be_switched_off_for_everyone(client, national, settings):
    settings.MFA_SELF_ENROLMENT = False
    sign_in(client, national)
    assert "lien à usage unique" in client.get(reverse("mfa-setup")).content.decode()
    assert not TOTPDevice.objects.exists()


def test_issuing_withdraws_an_enrolment_someone_else_started_and_older_links(client, national, admin_user):
    sign_in(client, national)
    client.get(reverse("mfa-setup"))  # whoever held the password saw this secret
    seen = TOTPDevice.objects.get(confirmed=False).key
    older = enrolment_link_issue(user=national, actor=admin_user)[1]
    assert not TOTPDevice.objects.filter(key=seen).exists()
    newer = enrolment_link_issue(user=national, actor=admin_user)[1]
    assert client.get(link_path(older)).status_code == 404
    assert enrol_through(client, link_path(newer)).status_code == 200


def test_no_link_for_an_account_that_has_a_second_factor(national, admin_user):
    TOTPDevice.objects.create(user=national, name="app", confirmed=True)
    with pytest.raises(ApplicationError, match="réinitialisez"):
        enrolment_link_issue(user=national, actor=admin_user)


def test_only_a_digest_of_the_link_is_stored(issued):
    link, token = issued
    assert token not in link.digest and len(token) >= 40
    assert EnrolmentLink.objects.filter(digest=link.digest).count() == 1


def test_the_admin_action_shows_each_link_once(client_as, admin_user, national, agent_a):
    client = client_as(admin_user)
    response = client.post(reverse("admin:auth_user_changelist"), {
        "action": "issue_enrolment_link", "_selected_action": [national.pk, agent_a.pk]})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    rows = dict(re.findall(r"<td>([\w-]+)</td><td><code>https?://[^/]+(/compte/double-authentification/lien/[\w-]+/)",
                           response.content.decode()))
    assert set(rows) == {"national", "agent_a"} and EnrolmentLink.objects.filter(issued_by=admin_user).count() == 2
    agent = sign_in(Client(), agent_a)
    assert agent.get(rows["national"]).status_code == 404
    assert agent.get(rows["agent_a"]).status_code == 200


def test_the_admin_resets_a_lost_second_factor(client_as, admin_user, national):
    TOTPDevice.objects.create(user=national, name="app", confirmed=True)
    client_as(admin_user).post(reverse("admin:auth_user_changelist"), {
        "action": "reset_second_factor", "_selected_action": [national.pk]})
    assert not TOTPDevice.objects.filter(user=national).exists()
