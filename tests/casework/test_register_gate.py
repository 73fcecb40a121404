"""Every casework road to the register goes through breaches' gate: a check (page, API) and its IBAN, a signal load
(file, API), like a fund's export, write one access-log row and stop at the user's quota: 429 with Retry-After in
the API, a French message on the page with what was typed kept, and nothing answered or written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breaches.crypto import nir_digest
from breaches.models import AccessLog
from casework.checks.models import Check
from casework.checks.services import check_log
from casework.iban import make_french_iban
from casework.risk.models import SharedAccountAlert, SignalBatch
from casework.risk.services import signals_ingest
from config.errors import Throttled
from tests.casework.factories import flagged_nir, new_nir

TWO_DAYS_AGO = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()


@pytest.fixture
def rates(settings):
    """`rates(lookup=..., bulk=...)` sets the gate's quotas."""

    def set_rates(lookup="100/min", bulk="100/hour"):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                                   "DEFAULT_THROTTLE_RATES": {"lookup": lookup, "register_bulk": bulk}}

    return set_rates


def check(actor, nir, **fields):
    return check_log(actor=actor, nir=nir, kind=fields.pop("kind", "identity"), channel="phone",
                     outcome="compliant", **fields)


def test_a_check_writes_one_access_log_row_with_its_answer(agent_a, fund_a, fund_b):
    nir = flagged_nir(fund=fund_b)  # another fund's person: the answer is the gate's, logged like a lookup
    logged = check(agent_a, nir)
    assert logged.check.person_flagged is True
    row = AccessLog.objects.get()
    assert (row.user, row.fund, row.action, row.nir_digest, row.result) == (
        agent_a, fund_a, AccessLog.Action.CHECK, nir_digest(nir), "signalé")


def test_checks_stop_at_the_lookup_quota_with_nothing_written(agent_a, fund_a, rates):
    rates(lookup="3/min")
    for _ in range(3):
        check(agent_a, new_nir())
    with pytest.raises(Throttled):
        check(agent_a, flagged_nir(fund=fund_a))
    assert Check.objects.count() == AccessLog.objects.count() == 3


def test_the_check_api_answers_429_with_retry_after(api, agent_a, fund_a, rates):
    rates(lookup="1/min")
    api.force_authenticate(agent_a)
    body = {"nir": new_nir(), "kind": "identity", "channel": "phone", "outcome": "compliant"}
    assert api.post("/api/v1/checks/", body, format="json").status_code == 201
    refused = api.post("/api/v1/checks/", {**body, "nir": new_nir()}, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "réessayez" in refused.json()["detail"]
    assert Check.objects.count() == AccessLog.objects.count() == 1


def test_the_check_page_says_so_in_french_and_keeps_what_was_typed(client_as, agent_a, fund_a, rates):
    rates(lookup="1/min")
    client = client_as(agent_a)
    check(agent_a, new_nir())
    nir = new_nir()
    response = client.post(reverse("check-new"), {"nir": nir, "fund": fund_a.pk, "kind": "identity",
                                                   "channel": "phone", "outcome": "compliant",
                                                   "note": "Appel de l'assuré ce matin"})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Trop de consultations du registre" in content and "Appel de l&#x27;assuré ce matin" in content
    assert Check.objects.count() == 1


def test_an_iban_is_matched_only_through_the_gate_and_counts_against_the_quota(agent_a, agent_b, fund_a, rates):
    iban = make_french_iban(account="00099988877")
    check(agent_b, new_nir(), kind="bank_details", iban=iban)
    rates(lookup="1/min")
    check(agent_a, new_nir(), kind="bank_details", iban=iban)  # another person: the alert names both funds
    assert SharedAccountAlert.objects.get().funds.count() == 2
    assert AccessLog.objects.filter(user=agent_a).get().result == "non signalé, IBAN partagé"
    with pytest.raises(Throttled):  # the probe stops here: no sighting, no alert widened, no row
        check(agent_a, new_nir(), kind="bank_details", iban=make_french_iban(account="00011122233"))
    assert SharedAccountAlert.objects.get().people_count == 2
    assert AccessLog.objects.filter(user=agent_a).count() == 1


def signal(nir, fund="291", **extra):
    return {"nir": nir, "kind": "bank_details", "occurred_on": TWO_DAYS_AGO, "fund": fund, **extra}


def test_a_signal_load_is_one_access_log_row_naming_the_batch_and_its_size(national, fund_a, fund_b):
    rows = [signal(flagged_nir(fund=fund_b)), signal(new_nir()), signal(new_nir())]
    result = signals_ingest(actor=national, rows=rows)
    row = AccessLog.objects.get()
    assert (row.user, row.fund, row.action) == (national, None, AccessLog.Action.SIGNALS)
    assert row.result == f"lot n° {result.batch.pk} : 3 signaux, 1 trouvés"
    assert result.matched == SignalBatch.objects.get().matched == 1


def test_signal_loads_have_their_own_quota(national, fund_b, rates):
    rates(lookup="1/min", bulk="1/hour")
    signals_ingest(actor=national, rows=[signal(new_nir())])
    with pytest.raises(Throttled):
        signals_ingest(actor=national, rows=[signal(flagged_nir(fund=fund_b))])
    assert SignalBatch.objects.count() == AccessLog.objects.count() == 1


def test_the_signal_api_answers_429_and_the_file_page_says_so(api, client_as, national, fund_b, rates):
    rates(bulk="1/hour")
    api.force_authenticate(national)
    assert api.post("/api/v1/signals/", [signal(new_nir())], format="json").status_code == 201
    refused = api.post("/api/v1/signals/", [signal(new_nir())], format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    upload = SimpleUploadedFile("signaux.csv", f"nir,kind,occurred_on,fund\n{new_nir()},bank_details,"
                                               f"{TWO_DAYS_AGO},291\n".encode())
    page = client_as(national).post(reverse("signal-load"), {"file": upload})
    assert page.status_code == 429 and "Trop de consultations du registre" in page.content.decode()
    assert SignalBatch.objects.count() == 1


def test_a_fund_export_is_under_the_bulk_quota(client_as, manager_a, fund_a, rates):
    rates(bulk="1/hour")
    client = client_as(manager_a)
    url = reverse("breaches:fund-export", args=[fund_a.code])
    flagged_nir(fund=fund_a)
    assert client.post(url, {"purpose": "contrôle annuel"}).status_code == 200
    refused = client.post(url, {"purpose": "contrôle annuel"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1
    assert AccessLog.objects.filter(action=AccessLog.Action.DECRYPT).count() == 1
