import pytest

from casework.cases.models import Case
from casework.cases.services import case_share
from casework.checks.models import Check
from tests.casework.factories import flagged_nir, new_nir, open_case


def test_post_check_takes_the_nir_in_the_body(api, agent_a, fund_a):
    api.force_authenticate(agent_a)
    nir = flagged_nir(fund=fund_a)
    response = api.post("/api/v1/checks/", {"nir": nir, "kind": "account_recovery", "channel": "online",
                                            "outcome": "anomaly", "note": "Adresse e-mail inconnue",
                                            "open_case": True}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["person_flagged"] and body["case"] and body["fund"] == "561" and "nir" not in body
    assert nir not in response.content.decode()
    assert Case.objects.get().origin_check_id == body["id"]
    assert api.get("/api/v1/checks/").json()["count"] == 1


def test_post_check_errors_are_french_details(api, agent_a, fund_a):
    api.force_authenticate(agent_a)
    response = api.post("/api/v1/checks/", {"nir": "2 99 13 99 999 999 99", "kind": "identity",
                                            "channel": "phone", "outcome": "compliant"}, format="json")
    assert response.status_code == 400 and "mois" in response.json()["detail"].lower()
    bad_kind = api.post("/api/v1/checks/", {"nir": new_nir(), "kind": "x", "channel": "phone",
                                            "outcome": "compliant"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["detail"]
    other_fund = api.post("/api/v1/checks/", {"nir": new_nir(), "kind": "identity", "channel": "phone",
                                              "outcome": "compliant", "fund": "291"}, format="json")
    assert other_fund.status_code == 400 and not Check.objects.exists()


def test_checks_are_scoped(api, agent_a, agent_b, national, fund_a, fund_b):
    api.force_authenticate(agent_a)
    check_id = api.post("/api/v1/checks/", {"nir": new_nir(), "kind": "identity", "channel": "phone",
                                            "outcome": "anomaly"}, format="json").json()["id"]
    api.force_authenticate(agent_b)
    assert api.get("/api/v1/checks/").json()["count"] == 0
    assert api.get(f"/api/v1/checks/{check_id}/").status_code == 404
    assert api.post(f"/api/v1/checks/{check_id}/open-case/").status_code == 404
    api.force_authenticate(national)
    assert api.get("/api/v1/checks/").json()["count"] == 1


def test_case_list_timeline_and_actions(api, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    assert [c["id"] for c in api.get("/api/v1/cases/").json()["results"]] == [case.pk]
    api.post(f"/api/v1/cases/{case.pk}/comment/", {"body": "Appel"}, format="json")
    api.post(f"/api/v1/cases/{case.pk}/assign/", {"assignee": "me"}, format="json")
    api.post(f"/api/v1/cases/{case.pk}/status/", {"status": "in_progress"}, format="json")
    closed = api.post(f"/api/v1/cases/{case.pk}/status/", {"status": "closed", "closing_reason": "unfounded"},
                      format="json")
    assert closed.json()["status"] == "closed" and closed.json()["assignee"] == "agent_a"
    timeline = api.get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert [e["kind"] for e in timeline] == ["opened", "comment", "assignment", "status", "status"]
    assert all(e["actor"] == "agent_a" and e["created_at"] for e in timeline)
    assert api.get("/api/v1/cases/").json()["count"] == 0  # closed cases leave the default queue
    assert api.get("/api/v1/cases/", {"status": "closed"}).json()["count"] == 1


def test_bad_transition_is_a_400_detail(api, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    response = api.post(f"/api/v1/cases/{case.pk}/status/", {"status": "closed"}, format="json")
    assert response.status_code == 400 and "motif" in response.json()["detail"]


def test_agent_of_other_fund_gets_404_on_case_and_timeline(api, agent_a, agent_b, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_b)
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404
    assert api.post(f"/api/v1/cases/{case.pk}/comment/", {"body": "x"}, format="json").status_code == 404
    assert api.get("/api/v1/cases/").json()["count"] == 0


def test_shared_case_is_the_only_one_the_other_fund_gets(api, agent_a, agent_b, fund_a, fund_b):
    shared, private = open_case(fund=fund_a, actor=agent_a), open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    assert api.post(f"/api/v1/cases/{shared.pk}/share/", {"fund": "291", "reason": "Déménagement"},
                    format="json").status_code == 200
    api.force_authenticate(agent_b)
    assert [c["id"] for c in api.get("/api/v1/cases/").json()["results"]] == [shared.pk]
    assert api.get(f"/api/v1/cases/{shared.pk}/timeline/").json()[-1]["fund"] == "291"
    assert api.get(f"/api/v1/cases/{private.pk}/").status_code == 404


def test_national_reads_all_cases_and_writes_none(api, national, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(national)
    assert api.get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 200
    assert api.post(f"/api/v1/cases/{case.pk}/comment/", {"body": "x"}, format="json").status_code == 404
    assert api.post("/api/v1/cases/", {"nir": new_nir(), "fund": "561", "summary": "x"},
                    format="json").status_code == 404


def test_manual_case_and_bulk_assign(api, agent_a, manager_a, fund_a):
    api.force_authenticate(agent_a)
    created = api.post("/api/v1/cases/", {"nir": new_nir(), "fund": "561", "summary": "Signalement de l'accueil",
                                          "priority": 1}, format="json")
    assert created.status_code == 201 and created.json()["origin"] == "manual"
    case_id = created.json()["id"]
    assert api.post("/api/v1/cases/bulk-assign/", {"cases": [case_id], "assignee": agent_a.pk},
                    format="json").status_code == 404
    api.force_authenticate(manager_a)
    response = api.post("/api/v1/cases/bulk-assign/", {"cases": [case_id], "assignee": agent_a.pk}, format="json")
    assert response.json() == {"changed": 1}


def test_alerts_api_is_scoped(api, agent_b, fund_b, national, agent_a, fund_a):
    from casework.iban import make_french_iban
    from casework.risk.services import signals_ingest

    rows = [{"nir": new_nir(), "kind": "bank_details", "occurred_on": "2026-01-02", "fund": "561",
             "iban": make_french_iban()} for _ in range(2)]
    signals_ingest(actor=national, rows=rows)
    api.force_authenticate(agent_b)
    assert api.get("/api/v1/alerts/").json()["count"] == 0
    api.force_authenticate(agent_a)
    assert api.get("/api/v1/alerts/").json()["results"][0]["funds"] == ["561"]


def test_schema_builds(api, national):
    api.force_authenticate(national)
    assert api.get("/api/schema/").status_code == 200


def test_share_service_and_api_agree(agent_a, fund_a, fund_b):
    case = open_case(fund=fund_a, actor=agent_a)
    case_share(case=case, actor=agent_a, fund=fund_b, reason="déménagement")
    assert case.events.filter(kind="shared", fund=fund_b).count() == 1


@pytest.mark.parametrize("path", ["/api/v1/cases/abc/", "/api/v1/cases/abc/timeline/", "/api/v1/checks/x/",
                                  "/api/v1/alerts/1e3/", "/api/v1/instructions/abc/", "/api/v1/deliveries/abc/"])
def test_a_non_numeric_id_is_a_404_not_a_crash(api, agent_a, path):
    api.force_authenticate(agent_a)
    assert api.get(path).status_code == 404
