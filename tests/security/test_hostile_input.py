"""Hostile input gets a 4xx, never a 500: NUL bytes in query strings, assignees that are not numbers, one message
for an unknown agent, and free text holding a NIR or an IBAN refused end to end (pages and API)."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from breaches.models import AccessLog
from casework.cases.models import Case, CaseEvent
from casework.checks.models import Check
from casework.iban import make_french_iban
from config.nir import make_nir
from network.models import Membership
from network.services import membership_grant
from tests.breaches.factories import BreachFactory
from tests.casework.factories import open_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NIR_TEXT = f"Appel de l'assuré {make_nir(order=321)} ce matin"
IBAN_TEXT = f"RIB donné : {make_french_iban(account='00011122233')}"


@pytest.fixture
def manager_b(fund_b):
    user = UserFactory(username="manager_b")
    membership_grant(user=user, role=Membership.Role.MANAGER, fund=fund_b)
    return user


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- NUL bytes in query strings: one check for every route ------------------------------------------------------

@pytest.mark.parametrize("url, params", [
    ("/fuites/", {"q": "\x00"}),
    ("/fuites/", {"status": "\x00", "department": "\x00"}),
    ("/fuites/journal/", {"action": "\x00"}),
    ("/reseau/", {"q": "\x00", "department": "\x00"}),
    ("/audit/acces/", {"action": "\x00", "username": "\x00"}),
    ("/audit/acces/export.csv", {"username": "a\x00b"}),
    ("/dossiers/", {"assignee": "\x00"}),
    ("/verifications/", {"\x00": "1"}),
])
def test_a_nul_in_a_page_query_is_a_400(client_as, national, url, params):
    response = client_as(national).get(url, params)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/breaches/?q=%00", "/api/v1/funds/?department=%00",
                                 "/api/v1/cases/?assignee=%00", "/api/v1/checks/?kind=%00"])
def test_a_nul_in_an_api_query_is_a_400_in_json(api, national, url):
    api.force_authenticate(national)
    response = api.get(url)
    assert response.status_code == 400 and "caractère nul" in response.json()["detail"]


def test_a_nul_in_the_path_is_a_400(client_as, national):
    assert client_as(national).get("/fuites/BR%00/").status_code == 400


def test_ordinary_queries_still_pass(client_as, national):
    assert client_as(national).get("/fuites/", {"q": "Labo é ☃", "status": "open"}).status_code == 200


# --- assignment: numbers only, and one message for an unknown agent -------------------------------------------

def test_page_assignment_to_abc_is_an_error_not_a_500(client_as, manager_a, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    response = client_as(manager_a).post(reverse("case-assign", args=[case.pk]), {"assignee": "abc"})
    assert response.status_code == 302 and set(_messages(response)) == {"Agent inconnu."}
    bulk = client_as(manager_a).post(reverse("case-bulk-assign"), {"case": [case.pk], "assignee": "abc"})
    assert bulk.status_code == 302 and set(_messages(bulk)) == {"Agent inconnu."}
    assert Case.objects.get(pk=case.pk).assignee is None


def test_api_assignment_to_abc_is_a_400(api, manager_a, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(manager_a)
    single = api.post(f"/api/v1/cases/{case.pk}/assign/", {"assignee": "abc"}, format="json")
    assert single.status_code == 400 and single.json()["detail"] == "Agent inconnu."
    bulk = api.post("/api/v1/cases/bulk-assign/", {"cases": [case.pk], "assignee": "abc"}, format="json")
    assert bulk.status_code == 400 and "assignee" in bulk.json()["detail"]


@pytest.mark.parametrize("who", ["missing", "other_fund"])
def test_unknown_and_other_fund_agents_get_the_same_answer(api, client_as, manager_a, agent_a, agent_b, fund_a,
                                                           who):
    case = open_case(fund=fund_a, actor=agent_a)
    target = agent_b.pk if who == "other_fund" else agent_b.pk + 1000
    api.force_authenticate(manager_a)
    single = api.post(f"/api/v1/cases/{case.pk}/assign/", {"assignee": target}, format="json")
    bulk = api.post("/api/v1/cases/bulk-assign/", {"cases": [case.pk], "assignee": target}, format="json")
    assert (single.status_code, single.json()) == (400, {"detail": "Agent inconnu."})
    assert (bulk.status_code, bulk.json()) == (400, {"detail": "Agent inconnu."})
    page = client_as(manager_a).post(reverse("case-assign", args=[case.pk]), {"assignee": target})
    page_bulk = client_as(manager_a).post(reverse("case-bulk-assign"), {"case": [case.pk], "assignee": target})
    assert set(_messages(page)) == {"Agent inconnu."} and set(_messages(page_bulk)) == {"Agent inconnu."}


def test_bulk_assignment_of_foreign_cases_is_a_404_whoever_the_agent(api, manager_b, agent_a, fund_a, fund_b):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(manager_b)
    for target in (agent_a.pk, agent_a.pk + 1000):  # an existing account or none: the same answer
        response = api.post("/api/v1/cases/bulk-assign/", {"cases": [case.pk], "assignee": target}, format="json")
        assert response.status_code == 404


# --- free text: a NIR or an IBAN is refused wherever it is typed ----------------------------------------------

@pytest.mark.parametrize("text", [NIR_TEXT, IBAN_TEXT])
def test_case_comment_summary_and_share_reason_refuse_identity_data(api, client_as, agent_a, fund_a, fund_b, text):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    for url, body in [(f"/api/v1/cases/{case.pk}/comment/", {"body": text}),
                      (f"/api/v1/cases/{case.pk}/status/", {"status": "in_progress", "comment": text}),
                      (f"/api/v1/cases/{case.pk}/share/", {"fund": "291", "reason": text}),
                      ("/api/v1/cases/", {"nir": make_nir(order=5), "fund": "561", "summary": text})]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, url
        assert {"body", "comment", "reason", "summary"} & set(response.json()["detail"]), response.json()
    page = client_as(agent_a).post(reverse("case-comment", args=[case.pk]), {"body": text})
    assert page.status_code == 302 and any("retirez-le" in m for m in _messages(page))
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.COMMENT).exists()
    assert Case.objects.count() == 1


@pytest.mark.parametrize("text", [NIR_TEXT, IBAN_TEXT])
def test_check_note_refuses_identity_data(api, agent_a, fund_a, text):
    api.force_authenticate(agent_a)
    response = api.post("/api/v1/checks/", {"nir": make_nir(order=7), "kind": "identity", "channel": "phone",
                                            "outcome": "compliant", "note": text}, format="json")
    assert response.status_code == 400 and list(response.json()["detail"]) == ["note"]
    assert not Check.objects.exists()


def test_lookup_purpose_refuses_a_nir_and_writes_no_log_row(api, client_as, agent_a, fund_a):
    api.force_authenticate(agent_a)
    response = api.post("/api/v1/lookups/", {"nir": make_nir(order=9), "purpose": NIR_TEXT}, format="json")
    assert response.status_code == 400 and "purpose" in response.json()["detail"]
    page = client_as(agent_a).post(reverse("breaches:lookup"), {"nir": make_nir(order=9), "purpose": NIR_TEXT})
    assert "retirez-le" in page.content.decode()
    assert not AccessLog.objects.exists()


def test_export_purpose_refuses_a_nir_and_writes_no_log_row(client_as, manager_a, fund_a):
    response = client_as(manager_a).post(reverse("breaches:fund-export", args=["561"]), {"purpose": NIR_TEXT})
    assert response.status_code == 400 and "retirez-le" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_breach_description_refuses_a_nir(api, national):
    api.force_authenticate(national)
    response = api.post("/api/v1/breaches/", {"title": "Fuite", "discovered_on": "2026-03-02",
                                              "description": NIR_TEXT, "organisations": ["Labo", IBAN_TEXT]},
                        format="json")
    assert response.status_code == 400 and {"description", "organisations"} <= set(response.json()["detail"])


def test_attestation_comment_uses_the_same_screening(api, client_as, national, manager_a, fund_a,
                                                     django_capture_on_commit_callbacks):
    from tests.notifications.factories import issued

    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    delivery = instruction.deliveries.get(fund=fund_a)
    api.force_authenticate(manager_a)
    response = api.post(f"/api/v1/deliveries/{delivery.pk}/attest/", {"actions_done": [0, 1], "comment": IBAN_TEXT},
                        format="json")
    assert response.status_code == 400 and "comment" in response.json()["detail"]
    BreachFactory()  # the screening is not the only thing the delivery knows: nothing else changed
    delivery.refresh_from_db()
    assert delivery.attested_at is None
