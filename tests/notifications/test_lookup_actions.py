"""The NIR lookup tells the agent what to do: the required actions of the instructions on the person's breaches."""

from html import escape

import pytest
from django.urls import reverse

from notifications.services import TargetSpec
from tests.breaches.factories import FLAGGED, BreachFactory, person
from tests.notifications.factories import issued

ACTION = "Vérifier que le titulaire du RIB est l'assuré avant tout changement"


@pytest.fixture
def breach(fund_a):
    breach = BreachFactory(title="Laboratoires de l'Ouest")
    person(breach=breach, nir=FLAGGED, fund=fund_a)
    return breach


def test_lookup_api_lists_required_actions_of_instructions_on_the_breach(api, national, agent_a, breach, fund_b):
    issued(national, breach=breach, actions=[ACTION])
    issued(national, actions=["Sans rapport avec cette fuite"])
    api.force_authenticate(agent_a)
    actions = api.post(reverse("api:lookup"), {"nir": FLAGGED}, format="json").json()["actions"]
    assert [a["label"] for a in actions] == [ACTION]
    assert actions[0]["url"].startswith("/consignes/recues/")


def test_instruction_not_targeting_the_fund_gives_no_action(api, national, agent_a, breach, fund_b):
    issued(national, breach=breach, actions=[ACTION], targets=TargetSpec(targeting="funds", funds=["291"]))
    api.force_authenticate(agent_a)
    assert api.post(reverse("api:lookup"), {"nir": FLAGGED}, format="json").json()["actions"] == []


def test_lookup_page_shows_actions_and_offers_to_log_the_check(client_as, national, agent_a, breach):
    issued(national, breach=breach, actions=[ACTION])
    response = client_as(agent_a).post(reverse("breaches:lookup"), {"nir": FLAGGED})
    content = response.content.decode()
    assert escape(ACTION) in content
    assert 'data-testid="lookup-check-action"' in content
