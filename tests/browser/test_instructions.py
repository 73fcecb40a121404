import pytest

from notifications.models import Delivery
from tests.notifications.factories import issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_acknowledges_then_attests_from_the_inbox(sign_in, national, manager_a, fund_a, fund_b):
    issued(national)
    page = sign_in(manager_a)
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_test_id("nav-inbox").click()
    page.get_by_role("link", name="Vigilance RIB").first.click()
    page.get_by_role("button", name="Accuser réception").click()
    assert "Réception de la consigne accusée." in page.content()
    for box in page.locator("input[name=actions_done]").all():
        box.check(force=True)
    page.fill("textarea[name=comment]", "Diffusée aux accueils")
    page.get_by_role("button", name="Attester la mise en œuvre").click()
    assert "Mise en œuvre attestée" in page.get_by_test_id("answer").inner_text()
    delivery = Delivery.objects.get(fund=fund_a)
    assert delivery.attested_by == manager_a and delivery.comment == "Diffusée aux accueils"


def test_national_sees_the_board_with_its_chart(sign_in, national, fund_a, fund_b):
    instruction = issued(national)
    page = sign_in(national)
    page.goto(f"/consignes/{instruction.id}/suivi/")
    assert page.get_by_test_id("ack-chart").is_visible()
    assert page.locator("[data-testid=board] tbody tr").count() == 2
    page.screenshot(path="/tmp/vigie-h4-board.png", full_page=True)
