"""API: the lookup (POST only, logged, throttled) and the breach registry."""

import re

from django.urls import reverse

from breaches.crypto import nir_digest
from breaches.models import AccessLog, Breach
from breaches.nir import make_nir
from tests.breaches.factories import CLEAN, FLAGGED, BreachFactory, complete_record, person
from tests.factories import UserFactory


def test_agent_lookup_finds_a_flagged_person_and_logs_it(api, agent_a, breach, fund_a):
    api.force_authenticate(agent_a)
    response = api.post(reverse("api:lookup"), {"nir": FLAGGED[:7] + " " + FLAGGED[7:], "purpose": "changement de RIB"},
                        format="json", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {
        "flagged": True, "nir_masked": f"2 77 08 ** *** *** {FLAGGED[13:]}", "fund_code": "561",
        "fund_name": "CPAM du Morbihan", "actions": [], "actions_complete": True,
        "breaches": [{"reference": breach.reference, "title": "Laboratoires de l'Ouest", "discovered_on": "2026-03-02",
                      "data_categories": ["nir", "health"], "data_category_labels": ["NIR", "Données de santé"],
                      "fund_code": "561", "fund_name": "CPAM du Morbihan"}],
    }
    log = AccessLog.objects.get()
    assert (log.user, log.fund, log.action, log.nir_digest, log.result, log.client_address, log.purpose) == (
        agent_a, fund_a, "lookup", nir_digest(FLAGGED), "signalé", "10.1.2.3", "changement de RIB")


def test_a_person_in_two_breaches_is_reported_in_both(api, agent_b, breach, fund_b):
    second = BreachFactory(title="Seconde fuite")
    person(breach=second, nir=FLAGGED, fund=fund_b)
    api.force_authenticate(agent_b)
    body = api.post(reverse("api:lookup"), {"nir": FLAGGED}, format="json").json()
    assert body["flagged"] is True
    assert {hit["reference"] for hit in body["breaches"]} == {breach.reference, second.reference}


def test_clean_nir_answers_the_same_shape_not_flagged(api, agent_a, breach):
    api.force_authenticate(agent_a)
    response = api.post(reverse("api:lookup"), {"nir": CLEAN}, format="json")
    assert response.status_code == 200
    assert response.json() == {"flagged": False, "nir_masked": f"1 91 02 ** *** *** {CLEAN[13:]}", "breaches": [],
                               "fund_code": None, "fund_name": None, "actions": [], "actions_complete": True}
    assert AccessLog.objects.get().result == "non signalé"


def test_invalid_nir_is_400_with_reason_and_logged(api, agent_a):
    api.force_authenticate(agent_a)
    response = api.post(reverse("api:lookup"), {"nir": FLAGGED[:13] + "00"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "NIR invalide : clé 00 incorrecte.", "reason": "cle"}
    assert AccessLog.objects.get().result == "NIR invalide"


def test_lookup_never_by_get_and_not_for_outsiders(api, agent_a, breach):
    api.force_authenticate(agent_a)
    assert api.get(reverse("api:lookup"), {"nir": FLAGGED}).status_code == 405
    api.force_authenticate(UserFactory(username="stranger"))
    assert api.post(reverse("api:lookup"), {"nir": FLAGGED}, format="json").status_code == 404
    api.force_authenticate(None)
    assert api.post(reverse("api:lookup"), {"nir": FLAGGED}, format="json").status_code in (401, 403)
    assert AccessLog.objects.count() == 0


def test_throttle_triggers(api, agent_a, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "3/min"}}
    api.force_authenticate(agent_a)
    codes = [api.post(reverse("api:lookup"), {"nir": CLEAN}, format="json").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert AccessLog.objects.count() == 3


def test_national_creates_and_moves_a_breach_status(api, national):
    api.force_authenticate(national)
    response = api.post(reverse("api:breach-list"), {
        "title": "Laboratoires", "discovered_on": "2026-02-01", "data_categories": ["nir", "bank"],
        "departments": ["56", "2a"], "organisations": ["Labo A", "Labo B"], "severity": "critical"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert re.fullmatch(r"BR-20\d\d-0001", body["reference"])
    assert (body["departments"], body["organisations"], body["status"]) == (["56", "2A"], ["Labo A", "Labo B"],
                                                                            "open")
    url = reverse("api:breach-set-status", args=[body["reference"]])
    assert api.post(url, {"status": "monitoring"}, format="json").json()["status_changed_by"] == "national"
    back = api.post(url, {"status": "open"}, format="json")
    assert back.status_code == 400 and "arrière" in back.json()["detail"]
    refused = api.post(url, {"status": "closed"}, format="json")
    assert refused.status_code == 400 and "ne peut pas être close" in refused.json()["detail"]
    assert "le rôle du réseau" in refused.json()["missing"]
    Breach.objects.filter(reference=body["reference"]).update(**complete_record())
    assert api.post(url, {"status": "closed"}, format="json").json()["status"] == "closed"


def test_fund_users_read_with_their_own_counts_but_cannot_write(api, agent_b, breach, fund_b, national):
    person(breach=breach, nir=CLEAN, fund=fund_b)
    person(breach=breach, nir=make_nir(order=900), fund=fund_b)
    api.force_authenticate(agent_b)
    listed = api.get(reverse("api:breach-list")).json()["results"]
    assert [(b["reference"], b["people_count"]) for b in listed] == [(breach.reference, 2)]
    assert api.post(reverse("api:breach-list"), {"title": "x", "discovered_on": "2026-01-01"},
                    format="json").status_code == 404
    assert api.post(reverse("api:breach-set-status", args=[breach.reference]), {"status": "closed"},
                    format="json").status_code == 404
    api.force_authenticate(national)
    assert api.get(reverse("api:breach-detail", args=[breach.reference])).json()["people_count"] == 3
    assert api.get(reverse("api:breach-list"), {"category": "health"}).json()["count"] == 1
    assert api.get(reverse("api:breach-list"), {"category": "bank"}).json()["count"] == 0
    api.force_authenticate(UserFactory(username="stranger"))
    assert api.get(reverse("api:breach-detail", args=[breach.reference])).status_code == 404
    assert Breach.objects.get().status == "open"
