"""The header's menu (network.navigation), the footer's pages and the French error pages."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from network.navigation import menu_for

pytestmark = pytest.mark.django_db

FOOTER = ("Plan du site", "Accessibilité : non conforme", "Mentions légales", "Données personnelles")


def _menu(client, user):
    html = client(user).get(reverse("home")).content.decode()
    nav = html[html.index('<nav class="fr-nav"'):html.index("</nav>", html.index('<nav class="fr-nav"'))]
    return nav


@pytest.mark.parametrize("who", ["national", "manager_a", "agent_a", "admin_user"])
def test_the_menu_has_at_most_seven_entries(client_as, who, request):
    nav = _menu(client_as, request.getfixturevalue(who))
    assert 3 <= nav.count('class="fr-nav__item"') <= 7


def test_national_staff_have_one_access_log_entry_pointing_to_the_audit_page(client_as, national):
    nav = _menu(client_as, national)
    assert nav.count("Journal des accès") == 1
    assert f'href="{reverse("access-log-list")}"' in nav


def test_groups_are_dsfr_sub_menus(client_as, national):
    nav = _menu(client_as, national)
    for key in ("fuites", "consignes", "dossiers", "controle"):
        assert f'aria-controls="menu-{key}"' in nav and f'id="menu-{key}"' in nav


def test_a_fund_agent_sees_their_fund_s_pages_not_the_national_ones(client_as, agent_a, fund_a):
    nav = _menu(client_as, agent_a)
    assert reverse("dashboard-fund", kwargs={"code": fund_a.code}) in nav
    assert reverse("access-log-list") not in nav and reverse("fund-list") not in nav


def test_the_page_shown_is_marked_current_with_its_group(national, rf):
    menu = menu_for(user=national, is_national=True, fund=None, path=reverse("history-list") + "?page=2")
    group = next(entry for entry in menu if entry.get("key") == "controle")
    assert group.get("current") and [link["label"] for link in group["links"] if link.get("current")] == [
        "Historique des modifications"]
    assert not any(entry.get("current") for entry in menu if entry is not group)


def test_the_header_has_the_burger_button_and_its_modal(client_as, agent_a):
    html = client_as(agent_a).get(reverse("home")).content.decode()
    assert 'aria-controls="menu-principal"' in html and 'id="menu-principal"' in html
    assert 'class="fr-header__menu fr-modal"' in html and 'class="fr-header__menu-links"' in html
    assert "République<br>française" in html and "fr-header__operator" in html


def test_the_footer_carries_the_mandatory_links_even_before_signing_in(client):
    html = client.get(reverse("login")).content.decode()
    for label in FOOTER:
        assert label in html


@pytest.mark.parametrize("name", ["site-map", "accessibility", "legal-notice", "personal-data"])
def test_the_footer_pages_answer_in_french_without_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert re.search(r"<h1>[^<]+</h1>", response.content.decode())


def test_the_accessibility_statement_says_non_conforme(client):
    assert "non conforme" in client.get(reverse("accessibility")).content.decode()


def test_the_site_map_lists_the_pages_of_the_user_s_menu(client_as, agent_a, national):
    agent_map = client_as(agent_a).get(reverse("site-map")).content.decode()
    assert reverse("breaches:lookup") in agent_map and reverse("access-log-list") not in agent_map
    national_map = client_as(national).get(reverse("site-map")).content.decode()
    assert reverse("access-log-list") in national_map and reverse("notifications:compose") in national_map


def test_404_is_the_french_dsfr_page(client_as, agent_a):
    response = client_as(agent_a).get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html and "Erreur 404" in html and "fr-header" in html


@override_settings(DEBUG=True)
def test_404_is_the_french_page_with_debug_on_too(client_as, agent_a):
    response = client_as(agent_a).get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert "Using the URLconf" not in response.content.decode()


@override_settings(DEBUG=True)
def test_the_api_keeps_its_json_404_with_debug_on(client_as, agent_a):
    response = client_as(agent_a).get("/api/v1/nulle-part/")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")


def test_403_and_500_pages_are_french(client):
    from django.template.loader import render_to_string
    assert "Accès refusé" in render_to_string("403.html")
    assert "Erreur inattendue" in render_to_string("500.html") and 'lang="fr"' in render_to_string("500.html")
