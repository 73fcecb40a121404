import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_signs_in_and_sees_the_fund_name(sign_in, agent_a):
    page = sign_in(agent_a)
    card = page.get_by_test_id("my-fund")
    assert "CPAM du Morbihan" in card.inner_text()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_wrong_password_stays_on_sign_in(page, agent_a):
    page.goto("/connexion/")
    page.fill("#id_username", "agent_a")
    page.fill("#id_password", "pas-le-bon")
    page.click("button[type=submit] >> text=Se connecter")
    assert "Identifiant ou mot de passe incorrect" in page.content()
