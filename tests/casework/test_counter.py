"""At the counter: the lookup shows the person's history at the caller's fund and a count of the other funds that
have seen them (never which); a repeat after a blocked attempt is obvious; the check form opens prefilled."""

import re

import pytest
from django.urls import reverse

from breaches.forms import LOOKUP_CHANNELS, LOOKUP_MOTIVES
from casework.cases.models import Case
from casework.cases.services import case_change_status
from casework.checks.models import Check
from casework.checks.services import check_log
from tests.casework.factories import flagged_nir

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(fund_a, fund_b, agent_a, agent_b):
    """A flagged person: checked at fund A (anomaly, case closed "Tentative bloquée") and checked at fund B."""
    nir = flagged_nir(fund=fund_a)
    logged = check_log(actor=agent_a, nir=nir, kind="bank_details", channel="phone", outcome="anomaly",
                       open_case=True)
    case_change_status(case=logged.case, actor=agent_a, status="closed", closing_reason="attempt_blocked")
    check_log(actor=agent_b, nir=nir, kind="identity", channel="counter", outcome="compliant")
    return nir


def test_lookup_page_shows_history_here_and_only_a_count_elsewhere(client_as, agent_a, known):
    response = client_as(agent_a).post(reverse("breaches:lookup"), {"nir": known, "motive": "bank_details"})
    content = response.content.decode()
    assert 'data-testid="blocked-attempt"' in content
    assert content.index('data-testid="blocked-attempt"') < content.index("personne exposée")
    history = content.split('data-testid="lookup-history"')[1].split("</section>")[0]
    assert "Tentative bloquée" in history and "Anomalie" in history and "Concordance des coordonnées" in history
    assert "vue par 1 autre caisse" in history
    assert "291" not in history and "Finistère" not in history and "Conforme" not in history


def test_lookup_api_gives_the_same_history(api, agent_a, known, fund_b):
    api.force_authenticate(agent_a)
    response = api.post(reverse("api:lookup"), {"nir": known, "history": True}, format="json")
    history = response.json()["history"]
    assert history["other_funds"] == 1 and history["blocked_attempt"] is True
    assert [c["outcome"] for c in history["checks"]] == ["anomaly"]
    assert [c["closing_reason"] for c in history["cases"]] == ["attempt_blocked"]
    assert fund_b.code not in str(history) and fund_b.name not in str(history)


def test_the_other_fund_sees_its_own_history_without_the_warning(api, agent_b, known):
    api.force_authenticate(agent_b)
    history = api.post(reverse("api:lookup"), {"nir": known, "history": True}, format="json").json()["history"]
    assert history["blocked_attempt"] is False and history["cases"] == []
    assert [c["outcome"] for c in history["checks"]] == ["compliant"] and history["other_funds"] == 1


def test_api_history_is_asked_for(api, agent_a, known):
    api.force_authenticate(agent_a)
    assert "history" not in api.post(reverse("api:lookup"), {"nir": known}, format="json").json()


def test_national_lookup_has_no_fund_history(api, national, known):
    api.force_authenticate(national)
    assert api.post(reverse("api:lookup"), {"nir": known, "history": True}, format="json").json()["history"] == {}


def test_lookup_motive_prefills_the_check_form(client_as, agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    client = client_as(agent_a)
    result = client.post(reverse("breaches:lookup"), {"nir": nir, "motive": "bank_details", "channel": "phone",
                                                      "purpose": "appel"}).content.decode()
    form = result.split('data-testid="lookup-check-action"')[1].split("</form>")[0]
    posted = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    assert posted["kind"] == "bank_details" and posted["channel"] == "phone" and posted["step"] == "prefill"
    page = client.post(reverse("check-new"), posted).content.decode()
    assert re.search(r'<option value="bank_details" selected>', page)
    assert re.search(r'<option value="phone" selected>', page)
    assert re.search(r'name="open_case"[^>]*checked', page) or re.search(r'checked[^>]*name="open_case"', page)


def test_lookup_purpose_in_the_access_log_names_the_motive(client_as, agent_a, fund_a):
    from breaches.models import AccessLog

    client_as(agent_a).post(reverse("breaches:lookup"), {"nir": flagged_nir(fund=fund_a), "motive": "address_change",
                                                         "purpose": "courrier"})
    assert AccessLog.objects.latest("id").purpose == "Changement d'adresse — courrier"


def test_lookup_motives_and_channels_are_check_kinds_and_channels():
    assert {code for code, _ in LOOKUP_MOTIVES} <= set(Check.Kind.values)
    assert {code for code, _ in LOOKUP_CHANNELS} == set(Check.Channel.values)
    assert Case.ClosingReason.ATTEMPT_BLOCKED == "attempt_blocked"
