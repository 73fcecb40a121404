"""The administrator, in the browser, under production settings: signs in with the second factor, and the admin
reads in French (models, columns, third-party ones included); the memberships fit a 1366 px screen."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_pages_are_in_french(sign_in, look, open_menu, admin_user, manager_a, agent_a, agent_b):
    page = sign_in(admin_user)
    open_menu(None, "Administration")
    body = page.locator("body").inner_text()
    for english in ("Historical", "device", "Otp_", "Static", "TOTP"):
        assert english not in body
    assert "Applications d'authentification" in body and "Codes de secours" in body
    look("01-administration")

    page.goto("/admin/network/membership/")
    headers = page.locator("#result_list thead").inner_text().upper()
    assert "USER" not in headers and "FUND" not in headers and "GRANTED" not in headers
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the memberships table is {width} px wide"
    look("02-rattachements")

    page.goto("/admin/audit/historicalmembership/")
    assert "historique" in page.locator("h1").inner_text().lower()
    look("03-historique-rattachements")
