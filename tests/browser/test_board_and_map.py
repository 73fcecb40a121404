import pytest
from playwright.sync_api import expect

from notifications import services
from tests.notifications.factories import issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_refreshes_itself_and_the_map_draws_without_errors(sign_in, look, national, manager_a, fund_a, fund_b,
                                                                 settings):
    settings.BOARD_REFRESH_SECONDS = 1
    instruction = issued(national)
    page = sign_in(national)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(error.stack or str(error)))
    page.goto(f"/consignes/{instruction.id}/suivi/")
    assert page.locator('[data-board-count="received"]').inner_text() == "0"
    expect(page.locator("[data-board-chart] figcaption")).to_contain_text("(0 sur 2)")
    services.delivery_acknowledge(delivery=instruction.deliveries.get(fund=fund_a), actor=manager_a)
    expect(page.locator('[data-board-count="received"]')).to_have_text("1", timeout=15000)  # no reload
    expect(page.locator("[data-board-chart] figcaption")).to_contain_text("(1 sur 2)")  # the chart too
    assert page.locator('tr[data-fund="561"]').get_attribute("data-state") == "received"
    assert "Mis à jour à" in page.locator("[data-board-updated]").inner_text()
    look("suivi-rafraichi")
    page.goto(f"/reseau/carte/?couche=consigne&consigne={instruction.id}")
    assert page.locator('[data-department="56"]').first.get_attribute("data-value") == "received"
    look("carte-consigne")  # axe-core: the departments are links inside the map
    assert not errors, errors
