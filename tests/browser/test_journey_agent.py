"""An agent's day at the counter, in the browser, under production settings: sign in → look up a caller's NIR →
log the check (anomaly) → the case opens → comment, attachment → close it. Then an agent of another fund who tries
fund A's pages gets the 404 page."""

import pytest

from casework.cases.models import Case
from casework.checks.models import Check
from tests.casework.factories import flagged_nir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_agent_lookup_check_case_comment_attachment_close(sign_in, look, open_menu, agent_a, fund_a, tmp_path):
    nir = flagged_nir(fund=fund_a)
    page = sign_in(agent_a)
    look("01-accueil")

    open_menu(None, "Vérifier un NIR")
    page.fill("#id_nir", nir)
    page.fill("#id_purpose", "Changement de RIB par téléphone")
    page.click("button[type=submit] >> text=Vérifier")
    assert "personne exposée" in page.get_by_test_id("lookup-result").inner_text()
    look("02-resultat-consultation")

    page.get_by_test_id("lookup-check-action").locator("button").click()
    assert page.get_by_test_id("check-person").inner_text().endswith(nir[13:])
    page.select_option("#id_kind", "bank_details")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_outcome", "anomaly")
    page.fill("#id_note", "RIB au nom d'un tiers")
    if not page.locator("#id_open_case").is_checked():
        page.locator("label[for=id_open_case]").click()
    look("03-verification")
    page.click("button[type=submit] >> text=Enregistrer la vérification")

    assert "Dossier n°" in page.locator("h1").inner_text()
    page.click("button >> text=M'attribuer le dossier")
    page.fill("#id_body", "Appel de l'assuré : RIB refusé, pièce d'identité demandée.")
    page.click("button >> text=Ajouter")
    page.wait_for_load_state("load")
    attachment = tmp_path / "piece-identite.pdf"
    attachment.write_bytes(PDF)
    page.set_input_files("#id_file", str(attachment))
    page.click("button >> text=Joindre")
    page.wait_for_load_state("load")
    timeline = page.get_by_test_id("timeline")
    assert "pièce d'identité demandée" in timeline.inner_text() and "piece-identite.pdf" in timeline.inner_text()
    look("04-dossier")

    page.select_option("#id_status", "closed")
    page.select_option("#id_closing_reason", "attempt_blocked")
    page.click("button >> text=Changer le statut")
    assert page.get_by_test_id("case-status").first.text_content().strip() == "Clos"
    look("05-dossier-clos")
    assert nir not in page.content()

    case = Case.objects.get()
    assert case.status == "closed" and case.origin_check == Check.objects.get()
    assert case.attachments.count() == 1


def test_outsider_gets_the_404_page_for_another_fund_s_pages(sign_in, look, page_problems, agent_a, agent_b,
                                                             fund_a):
    from tests.casework.factories import open_case

    case = open_case(fund=fund_a, actor=agent_a)
    page_problems.allow(r"status of 404")  # the browser logs the 404 answers this test expects
    page = sign_in(agent_b)
    for url in (f"/dossiers/{case.pk}/", f"/tableau-de-bord/{fund_a.code}/",
                f"/fuites/caisses/{fund_a.code}/personnes/", f"/caisses/{fund_a.code}/"):
        response = page.goto(url)
        assert response.status == 404, url
        assert page.locator("h1").inner_text() == "Page introuvable"
    look("01-page-introuvable")
