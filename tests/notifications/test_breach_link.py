import datetime

import pytest
from django.urls import reverse

from breaches.services import breach_create
from notifications import services
from notifications.selectors import lookup_actions_for
from notifications.services import TargetSpec
from tests.notifications.factories import draft, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def breach(db):
    return breach_create(actor=None, title="Fuite des laboratoires", discovered_on=datetime.date(2026, 2, 9))


def test_required_actions_for_a_fund_come_from_issued_instructions_on_those_breaches(national, fund_a, fund_b,
                                                                                     breach):
    other = breach_create(actor=None, title="Autre fuite", discovered_on=datetime.date(2026, 3, 1))
    issued(national, breach=breach, actions=["Vérifier le RIB"], targets=TargetSpec(targeting="funds",
                                                                                    funds=["561"]))
    issued(national, breach=breach, actions=["Rappeler l'assuré"])
    issued(national, breach=other, actions=["Sans rapport"])
    draft(national, breach=breach, actions=["Brouillon"])
    withdrawn = issued(national, breach=breach, actions=["Retirée"])
    services.instruction_withdraw(instruction=withdrawn, actor=national, reason="Caduque")
    actions_a = [a["label"] for a in lookup_actions_for(breach_references=[breach.reference], fund=fund_a)]
    assert actions_a == ["Vérifier le RIB", "Rappeler l'assuré"]
    actions_b = [a["label"] for a in lookup_actions_for(breach_references=[breach.reference], fund=fund_b)]
    assert actions_b == ["Rappeler l'assuré"]


def test_api_creates_an_instruction_on_a_breach_by_reference(api, national, fund_a, breach):
    api.force_authenticate(national)
    payload = {"title": "Vigilance", "body": "Texte", "required_actions": ["A"], "targets": {"all": True},
               "reply_by": "2030-01-01", "breach": breach.reference}
    response = api.post(reverse("api:instruction-list"), payload, format="json")
    assert response.status_code == 201 and response.data["breach"] == breach.reference
    bad = api.post(reverse("api:instruction-list"), {**payload, "breach": "BR-1999-0001"}, format="json")
    assert bad.status_code == 400 and "Fuite inconnue" in str(bad.data["detail"])


def test_instruction_pages_show_the_breach(client_as, national, manager_a, fund_a, breach):
    instruction = issued(national, breach=breach)
    page = client_as(national).get(reverse("notifications:instruction", args=[instruction.id])).content.decode()
    assert breach.reference in page and reverse("breaches:breach-detail", args=[breach.reference]) in page
    delivery = instruction.deliveries.get()
    fund_page = client_as(manager_a).get(reverse("notifications:delivery", args=[delivery.id])).content.decode()
    assert breach.title in fund_page
