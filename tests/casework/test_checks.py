import re

import pytest
from django.urls import reverse

from breaches.crypto import nir_digest
from casework.cases.models import Case
from casework.checks.models import Check
from casework.checks.services import check_log
from casework.iban import make_french_iban
from config.errors import ApplicationError
from tests.casework.factories import flagged_nir, new_nir


def test_logged_check_keeps_only_digest_and_masked_nir(agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    logged = check_log(actor=agent_a, nir=nir, kind="identity", channel="counter", outcome="compliant")
    check = Check.objects.get(pk=logged.check.pk)
    assert check.fund == fund_a and check.agent == agent_a and check.person_flagged
    assert nir not in {check.person_digest, check.nir_masked, check.note}
    assert check.nir_masked.startswith(nir[0]) and "*" in check.nir_masked
    assert logged.case is None


def test_unflagged_person_is_recorded_as_not_exposed(agent_a, fund_a):
    logged = check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant")
    assert logged.check.person_flagged is False


def test_anomalous_check_opens_a_case_in_one_step(agent_a, fund_a):
    logged = check_log(actor=agent_a, nir=flagged_nir(fund=fund_a), kind="bank_details", channel="phone",
                       outcome="anomaly", open_case=True)
    case = logged.case
    assert case.origin == Case.Origin.CHECK and case.origin_check == logged.check and case.fund == fund_a
    assert case.priority == Case.Priority.HIGH and case.status == Case.Status.NEW
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "check"]


def test_compliant_check_cannot_open_a_case(agent_a, fund_a):
    with pytest.raises(ApplicationError):
        check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant",
                  open_case=True)
    assert not Check.objects.exists()


def test_invalid_nir_is_refused_with_reason(agent_a, fund_a):
    with pytest.raises(ApplicationError) as error:
        check_log(actor=agent_a, nir="1 85 05 56 034 001 00", kind="identity", channel="phone", outcome="compliant")
    assert "clé" in error.value.message


def test_agent_cannot_log_for_another_fund(agent_a, fund_a, fund_b):
    with pytest.raises(ApplicationError):
        check_log(actor=agent_a, fund=fund_b, nir=new_nir(), kind="identity", channel="phone", outcome="compliant")


def test_national_staff_log_no_check(national, fund_a):
    with pytest.raises(ApplicationError):
        check_log(actor=national, nir=new_nir(), kind="identity", channel="phone", outcome="compliant")


def test_iban_only_for_bank_details_and_kept_as_digest(agent_a, fund_a):
    iban = make_french_iban()
    with pytest.raises(ApplicationError):
        check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant", iban=iban)
    logged = check_log(actor=agent_a, nir=new_nir(), kind="bank_details", channel="phone", outcome="compliant",
                       iban=iban)
    assert len(logged.check.iban_digest) == 64 and iban not in logged.check.iban_digest


def test_new_check_appears_on_the_person_open_case(agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    first = check_log(actor=agent_a, nir=nir, kind="identity", channel="phone", outcome="anomaly", open_case=True)
    second = check_log(actor=agent_a, nir=nir, kind="bank_details", channel="counter", outcome="refused")
    assert first.case.events.filter(kind="check", check_ref=second.check).exists()


# Pages

def test_lookup_result_posts_the_nir_to_a_prefilled_form(client_as, agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    response = client_as(agent_a).post(reverse("check-new"), {"nir": nir, "step": "prefill"})
    assert response.status_code == 200
    assert f'value="{nir}"' in response.content.decode()
    assert not Check.objects.exists()


def test_check_form_logs_the_check_and_it_appears_on_the_dashboard(client_as, agent_a, fund_a):
    client = client_as(agent_a)
    nir = flagged_nir(fund=fund_a)
    response = client.post(reverse("check-new"), {"nir": nir, "fund": fund_a.pk, "kind": "identity",
                                                  "channel": "counter", "outcome": "refused", "note": "Pièce fausse"})
    check = Check.objects.get()
    assert response.status_code == 302 and response.url == reverse("check-detail", args=[check.pk])
    dashboard = client.get(reverse("dashboard-fund", args=[fund_a.code])).content.decode()
    assert 'data-testid="kpi-checks">1<' in dashboard
    assert check.nir_masked in dashboard and "Demande refusée" in dashboard


def test_check_form_with_anomaly_and_open_case_lands_on_the_case(client_as, agent_a, fund_a):
    response = client_as(agent_a).post(reverse("check-new"), {
        "nir": flagged_nir(fund=fund_a), "fund": fund_a.pk, "kind": "bank_details", "channel": "phone",
        "outcome": "anomaly", "open_case": "on"})
    case = Case.objects.get()
    assert response.url == reverse("case-detail", args=[case.pk])


def test_open_case_button_from_an_anomalous_check(client_as, agent_a, fund_a):
    logged = check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly")
    client = client_as(agent_a)
    assert "Ouvrir un dossier" in client.get(reverse("check-detail", args=[logged.check.pk])).content.decode()
    response = client.post(reverse("check-open-case", args=[logged.check.pk]))
    assert response.url == reverse("case-detail", args=[Case.objects.get().pk])
    client.post(reverse("check-open-case", args=[logged.check.pk]))
    assert Case.objects.count() == 1


def test_bad_nir_keeps_the_input_and_names_the_reason(client_as, agent_a, fund_a):
    response = client_as(agent_a).post(reverse("check-new"), {
        "nir": "3 85 05 56 034 001", "fund": fund_a.pk, "kind": "identity", "channel": "counter",
        "outcome": "compliant", "note": "ma note"})
    content = response.content.decode()
    assert response.status_code == 400 and "ma note" in content and "3 85 05 56 034 001" in content
    assert 'data-testid="error-summary"' in content


def test_agent_of_other_fund_gets_404_on_a_check(client_as, agent_a, agent_b, fund_a):
    logged = check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly")
    client = client_as(agent_b)
    assert client.get(reverse("check-detail", args=[logged.check.pk])).status_code == 404
    assert client.post(reverse("check-open-case", args=[logged.check.pk])).status_code == 404


def test_lookup_result_hands_the_person_not_the_nir_to_the_check_form(client_as, agent_a, fund_a):
    client = client_as(agent_a)
    nir = flagged_nir(fund=fund_a)
    lookup = client.post(reverse("breaches:lookup"), {"nir": nir}).content.decode()
    token = re.search(r'name="person" value="([^"]+)"', lookup).group(1)
    assert nir not in lookup and nir not in token
    form = client.post(reverse("check-new"), {"person": token, "step": "prefill"}).content.decode()
    assert nir not in form and 'data-testid="check-person"' in form
    client.post(reverse("check-new"), {"person": token, "fund": fund_a.pk, "kind": "identity", "channel": "counter",
                                       "outcome": "compliant"})
    check = Check.objects.get()
    assert (check.person_digest, check.person_flagged) == (nir_digest(nir), True)


def test_a_tampered_lookup_reference_is_refused(client_as, agent_a, fund_a):
    response = client_as(agent_a).post(reverse("check-new"), {
        "person": "faux-jeton", "fund": fund_a.pk, "kind": "identity", "channel": "counter", "outcome": "compliant"})
    assert response.status_code == 400 and "vérifiez de nouveau le NIR" in response.content.decode()
    assert not Check.objects.exists()


def test_agent_logs_a_check_from_a_lookup_and_it_appears_on_the_dashboard(client_as, agent_a, fund_a):
    client = client_as(agent_a)
    nir = flagged_nir(fund=fund_a)
    lookup = client.post(reverse("breaches:lookup"), {"nir": nir, "purpose": "changement de RIB"})
    assert "personne exposée" in lookup.content.decode()
    prefilled = client.post(reverse("check-new"), {"nir": nir, "step": "prefill"})
    assert f'value="{nir}"' in prefilled.content.decode()
    client.post(reverse("check-new"), {"nir": nir, "fund": fund_a.pk, "kind": "bank_details", "channel": "phone",
                                       "outcome": "anomaly", "note": "RIB d'un tiers"})
    dashboard = client.get(reverse("dashboard-fund", args=["561"])).content.decode()
    assert 'data-testid="kpi-checks">1<' in dashboard and Check.objects.get().nir_masked in dashboard
