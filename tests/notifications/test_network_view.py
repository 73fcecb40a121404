"""The network follow-up: filtered (late, open, up to date; department), sorted and paginated, all in the URL."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.services import funds_load
from notifications import services
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(national, manager_a, fund_a, fund_b):
    """Late at fund B (291); fund A (561) has attested."""
    instruction = issued(national, reply_by=timezone.localdate() - datetime.timedelta(days=2))
    services.delivery_attest(delivery=instruction.deliveries.get(fund=fund_a), actor=manager_a, actions_done=[0, 1])
    return instruction


def _funds(content: str) -> list[str]:
    table = content.split('data-testid="network"')[1].split("</table>")[0]
    return [chunk.split('"')[0] for chunk in table.split('data-fund="')[1:]]


def test_network_filters_by_status_and_department(client_as, national, late):
    client = client_as(national)
    assert _funds(client.get(reverse("notifications:network")).content.decode()) == ["291", "561"]
    assert _funds(client.get(reverse("notifications:network"), {"statut": "late"}).content.decode()) == ["291"]
    assert _funds(client.get(reverse("notifications:network"), {"statut": "up_to_date"}).content.decode()) == ["561"]
    by_department = client.get(reverse("notifications:network"), {"departement": "56"}).content.decode()
    assert _funds(by_department) == ["561"] and "Aucune caisse en retard." in by_department


def test_network_sorts_and_rejects_a_bad_department(client_as, national, late):
    client = client_as(national)
    assert _funds(client.get(reverse("notifications:network"), {"tri": "caisse"}).content.decode()) == ["291", "561"]
    bad = client.get(reverse("notifications:network"), {"departement": "%00"})
    assert bad.status_code == 200 and "Département inconnu" in bad.content.decode()


def test_network_pages_keep_the_filters_in_their_links(client_as, national):
    funds_load()
    issued(national, reply_by=timezone.localdate() - datetime.timedelta(days=1))
    content = client_as(national).get(reverse("notifications:network"), {"tri": "caisse"}).content.decode()
    assert len(_funds(content)) == 30
    assert "?tri=caisse&amp;page=2" in content
    second = client_as(national).get(reverse("notifications:network"), {"tri": "caisse", "page": 2}).content.decode()
    assert _funds(second)[0] > _funds(content)[-1]
