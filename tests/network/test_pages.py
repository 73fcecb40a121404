import pytest
from django.urls import reverse

from network.roles import EXPORT_PEOPLE


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_agent_home_shows_fund_in_french(client_as, agent_a):
    response = client_as(agent_a).get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in content
    assert "CPAM du Morbihan" in content and "561" in content and "56" in content
    assert "Se déconnecter" in content
    assert reverse("fund-list") not in content  # the network is for national staff


def test_national_home_shows_the_network(client_as, national, fund_a, fund_b):
    response = client_as(national).get(reverse("home"))
    assert "les 2 caisses du réseau" in response.content.decode()
    assert client_as(national).get(reverse("fund-list")).status_code == 200


def test_agent_of_fund_a_gets_404_on_fund_b_page(client_as, agent_a, fund_b):
    assert client_as(agent_a).get(reverse("fund-detail", args=[fund_b.code])).status_code == 404


def test_agent_gets_404_on_the_network_page(client_as, agent_a):
    assert client_as(agent_a).get(reverse("fund-list")).status_code == 404


def test_agent_sees_own_fund_page(client_as, agent_a, fund_a):
    response = client_as(agent_a).get(reverse("fund-detail", args=[fund_a.code]))
    assert response.status_code == 200 and "CPAM du Morbihan" in response.content.decode()


def test_sign_in_with_password(client, agent_a):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": "agent_a", "password": PASSWORD}, follow=True)
    assert "CPAM du Morbihan" in response.content.decode()


def test_bad_password_shows_french_error(client, agent_a):
    response = client.post(reverse("login"), {"username": "agent_a", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_admin_reaches_django_admin(client_as, admin_user, fund_a):
    client = client_as(admin_user)
    assert client.get("/admin/").status_code == 200
    response = client.get("/admin/network/fund/?q=Morbihan")
    assert response.status_code == 200 and "CPAM du Morbihan" in response.content.decode()
    assert client.get("/admin/network/membership/").status_code == 200


@pytest.mark.django_db
def test_admin_membership_change_goes_through_the_service(client_as, admin_user, agent_a, fund_a):
    from network.models import Membership

    membership = Membership.objects.get(user=agent_a)
    response = client_as(admin_user).post(
        f"/admin/network/membership/{membership.pk}/change/",
        {"user": agent_a.pk, "fund": fund_a.pk, "role": "manager"},
    )
    assert response.status_code == 302
    assert agent_a.has_perm(EXPORT_PEOPLE, fund_a)
