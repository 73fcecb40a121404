"""An agent's day: a flagged person calls to change bank details → lookup → check (anomaly) → case → closed."""

import pytest

from casework.cases.models import Case
from casework.checks.models import Check
from tests.casework.factories import flagged_nir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_then_case_then_close(page, nir):
    page.select_option("#id_kind", "bank_details")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_outcome", "anomaly")
    page.fill("#id_note", "RIB au nom d'un tiers")
    if not page.is_checked("#id_open_case"):  # ticked by default since the counter work (issue 12)
        page.locator("label[for=id_open_case]").click()
    page.click("button[type=submit] >> text=Enregistrer la vérification")

    assert "Dossier n°" in page.locator("h1").inner_text()
    assert page.get_by_test_id("case-status").first.text_content().strip() == "Nouveau"
    page.click("button >> text=M'attribuer le dossier")
    page.select_option("#id_status", "in_progress")
    page.click("button >> text=Changer le statut")
    assert page.get_by_test_id("case-status").first.text_content().strip() == "En cours"
    page.select_option("#id_status", "closed")
    page.select_option("#id_closing_reason", "attempt_blocked")
    page.click("button >> text=Changer le statut")
    assert page.get_by_test_id("case-status").first.text_content().strip() == "Clos"
    assert page.get_by_test_id("closing-reason").inner_text() == "Tentative bloquée"
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("Ouverture", "Vérification", "Attribution", "Changement de statut"):
        assert step in timeline
    assert nir not in page.content()


def test_check_case_close(sign_in, agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    page = sign_in(agent_a)
    page.click("a.fr-nav__link >> text=Vérifications")
    page.click("a >> text=Consigner une vérification")
    page.fill("#id_nir", nir)
    _check_then_case_then_close(page, nir)
    case = Case.objects.get()
    assert case.status == "closed" and case.origin_check == Check.objects.get()
    assert Check.objects.get().person_flagged


def test_lookup_check_case_close(sign_in, agent_a, fund_a):
    nir = flagged_nir(fund=fund_a)
    page = sign_in(agent_a)
    page.click("a.fr-nav__link >> text=Vérifier un NIR")
    page.fill("#id_nir", nir)
    page.fill("#id_purpose", "Changement de RIB par téléphone")
    page.click("button[type=submit] >> text=Vérifier")
    assert "personne exposée" in page.get_by_test_id("lookup-result").inner_text()
    page.get_by_test_id("lookup-check-action").locator("button").click()
    assert page.get_by_test_id("check-person").inner_text().endswith(nir[13:])
    assert nir not in page.content()  # the form works on the person looked up, the NIR is not echoed
    _check_then_case_then_close(page, nir)
    assert Check.objects.get().nir_masked.endswith(nir[13:])
    assert Case.objects.get().status == "closed"
