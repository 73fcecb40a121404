"""An admin or national user reaches no page before the second factor; fund users may opt in."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

PAGES = ["home", "fund-list", "admin:index", "account-security", "history-list"]


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step must succeed"
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(client) -> list[str]:
    client.get(reverse("mfa-setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("mfa-setup"), {"token": code_for(device), "next": "/"})
    assert response.status_code == 200
    return list(response.context["codes"])


@pytest.mark.parametrize("who", ["national", "admin_user"])
def test_national_and_admin_reach_no_page_before_the_second_factor(client, who, request):
    sign_in(client, request.getfixturevalue(who))
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("mfa-setup")), name


def test_api_refuses_a_session_without_second_factor(client, national):
    sign_in(client, national)
    response = client.get(reverse("api:fund-list"))
    assert response.status_code == 403
    assert response.json() == {"detail": "Double authentification requise."}


def test_enrolment_shows_recovery_codes_then_opens_the_intranet(client, national):
    sign_in(client, national)
    page = client.get(reverse("mfa-setup"))
    assert b"<svg" in page.content and page.context["secret"]
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302  # national but not staff: admin sign-in


def test_wrong_enrolment_code_is_refused_with_a_reason(client, national):
    sign_in(client, national)
    client.get(reverse("mfa-setup"))
    response = client.post(reverse("mfa-setup"), {"token": "000000"})
    assert "Code incorrect" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=national, confirmed=True).exists()


@pytest.fixture
def national_with_device(national):
    return TOTPDevice.objects.create(user=national, name="app", confirmed=True)


def test_enrolled_user_must_verify_and_returns_where_they_were_going(client, national, national_with_device):
    sign_in(client, national)
    response = client.get(reverse("fund-list"))
    assert response["Location"].startswith(reverse("mfa-verify"))
    right = client.post(reverse("mfa-verify"), {"token": code_for(national_with_device), "next": reverse("fund-list")})
    assert right["Location"] == reverse("fund-list")
    assert client.get(reverse("fund-list")).status_code == 200


def test_wrong_code_is_refused_and_throttles_the_next_tries(client, national, national_with_device):
    sign_in(client, national)
    wrong = client.post(reverse("mfa-verify"), {"token": "123456"})
    assert "Code incorrect" in wrong.content.decode()
    # django-otp then makes the device wait before accepting anything, even the right code
    throttled = client.post(reverse("mfa-verify"), {"token": code_for(national_with_device)})
    assert throttled.status_code == 200
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa-verify"))


def test_verify_ignores_an_outside_next_url(client, national, national_with_device):
    sign_in(client, national)
    response = client.post(reverse("mfa-verify"), {"token": code_for(national_with_device), "next": "https://evil.test/"})
    assert response["Location"] == "/"


def test_a_recovery_code_works_once(client, national, national_with_device):
    sign_in(client, national)
    from accounts.services import recovery_codes_generate

    code = recovery_codes_generate(user=national)[0]
    assert client.post(reverse("mfa-verify"), {"token": code})["Location"] == "/"
    client.post(reverse("logout"))
    sign_in(client, national)
    again = client.post(reverse("mfa-verify"), {"token": code})
    assert again.status_code == 200 and "déjà utilisé" in again.content.decode()


def test_admin_reaches_the_admin_site_only_after_the_second_factor(client, admin_user):
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    sign_in(client, admin_user)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa-verify"))
    device = TOTPDevice.objects.get(user=admin_user)
    client.post(reverse("mfa-verify"), {"token": code_for(device)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_fund_agent_needs_no_second_factor_but_may_opt_in(client, agent_a):
    sign_in(client, agent_a)
    assert client.get(reverse("home")).status_code == 200
    codes = enrol(client)
    client.post(reverse("logout"))
    sign_in(client, agent_a)
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa-verify"))
    client.post(reverse("mfa-verify"), {"token": codes[0]})
    assert client.get(reverse("home")).status_code == 200


def test_agent_may_turn_it_off_national_may_not(client, agent_a, national, national_with_device):
    sign_in(client, agent_a)
    enrol(client)
    client.post(reverse("mfa-disable"))
    assert not TOTPDevice.objects.filter(user=agent_a).exists()
    client.post(reverse("logout"))
    sign_in(client, national)
    client.post(reverse("mfa-verify"), {"token": code_for(national_with_device)})
    response = client.post(reverse("mfa-disable"), follow=True)
    assert "obligatoire" in response.content.decode()
    assert TOTPDevice.objects.filter(user=national).exists()


def test_renewing_recovery_codes_replaces_the_old_ones(client, agent_a):
    sign_in(client, agent_a)
    old = enrol(client)
    new = client.post(reverse("mfa-recovery-codes")).context["codes"]
    device = StaticDevice.objects.get(user=agent_a, name="codes-de-secours")
    assert set(device.token_set.values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_a_removed_device_stops_counting_once_the_check_is_stale(client, national, national_with_device, settings):
    sign_in(client, national)
    client.post(reverse("mfa-verify"), {"token": code_for(national_with_device)})
    assert client.get(reverse("home")).status_code == 200
    national_with_device.delete()
    assert client.get(reverse("home")).status_code == 200  # checked less than OTP_RECHECK_SECONDS ago
    settings.OTP_RECHECK_SECONDS = 0
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa-setup"))


def test_the_second_factor_page_shows_no_menu_until_the_code_is_given(client, national, national_with_device):
    sign_in(client, national)
    waiting = client.get(reverse("mfa-verify")).content.decode()
    assert reverse("dashboard-national") not in waiting and reverse("fund-list") not in waiting  # no menu yet
    client.post(reverse("mfa-verify"), {"token": code_for(national_with_device), "next": "/"})
    assert reverse("fund-list") in client.get(reverse("mfa-verify")).content.decode()  # verified: the menu is back
