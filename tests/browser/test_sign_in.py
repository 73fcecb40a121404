import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_signs_in_and_sees_the_fund_name(sign_in, look, agent_a):
    page = sign_in(agent_a)
    card = page.get_by_test_id("my-fund")
    assert "CPAM du Morbihan" in card.inner_text()
    assert page.locator("html").get_attribute("lang") == "fr"


def test_wrong_password_stays_on_sign_in(page, look, agent_a):
    page.goto("/connexion/")
    page.fill("#id_username", "agent_a")
    page.fill("#id_password", "pas-le-bon")
    page.click("button[type=submit] >> text=Se connecter")
    assert "Identifiant ou mot de passe incorrect" in page.content()
    look("01-connexion-refusee")


def test_at_390_px_the_burger_opens_the_menu_with_the_account_links(page, sign_in, screens, national):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(national)
    assert not page.get_by_role("button", name="Se déconnecter").first.is_visible()
    page.get_by_test_id("burger").click()
    modal = page.locator("#menu-principal")
    modal.get_by_role("link", name="Sécurité du compte").wait_for()
    assert modal.get_by_role("button", name="Se déconnecter").is_visible()
    modal.get_by_role("button", name="Fuites", exact=True).click()
    modal.get_by_role("link", name="Vérifier un NIR").wait_for()
    page.screenshot(path=screens / "01-menu-ouvert-390.png", animations="disabled")
    modal.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/**")


def test_the_footer_pages_and_the_site_map(page, look, agent_a, sign_in):
    sign_in(agent_a)
    page.locator("#pied-de-page").get_by_role("link", name="Plan du site").click()
    look("01-plan-du-site")
    page.get_by_test_id("site-map").get_by_role("link", name="Vérifier un NIR").wait_for()
    for label in ("Accessibilité : non conforme", "Mentions légales", "Données personnelles"):
        page.locator("#pied-de-page").get_by_role("link", name=label).click()
        page.locator("h1").wait_for()
    look("02-donnees-personnelles")
