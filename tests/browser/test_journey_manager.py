"""A fund manager's day, in the browser, under production settings: the inbox → acknowledge an instruction →
attest it → assign the fund's cases to an agent → export the fund's exposed people with a motive."""

import pytest

from breaches.models import AccessLog
from casework.cases.models import Case
from notifications.models import Delivery
from tests.breaches.factories import BreachFactory, person
from tests.casework.factories import open_case
from tests.notifications.factories import issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_inbox_acknowledge_attest_assign_export(sign_in, look, open_menu, national, manager_a, agent_a,
                                                         fund_a, fund_b):
    issued(national)
    cases = [open_case(fund=fund_a, actor=agent_a, summary=f"Dossier {n}") for n in range(2)]
    person(breach=BreachFactory(), fund=fund_a)
    page = sign_in(manager_a)
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    look("01-accueil")

    open_menu(None, "Consignes reçues 1")
    look("02-consignes-recues")
    page.get_by_role("link", name="Vigilance RIB").first.click()
    page.get_by_role("button", name="Accuser réception").click()
    assert "Réception de la consigne accusée." in page.content()
    for box in page.locator("input[name=actions_done]").all():
        box.check(force=True)
    page.fill("textarea[name=comment]", "Diffusée aux accueils")
    look("03-consigne-a-attester")
    page.get_by_role("button", name="Attester la mise en œuvre").click()
    assert "Mise en œuvre attestée" in page.get_by_test_id("answer").inner_text()
    delivery = Delivery.objects.get(fund=fund_a)
    assert delivery.attested_by == manager_a and delivery.comment == "Diffusée aux accueils"

    open_menu("Dossiers", "Dossiers")
    for case in cases:
        page.locator(f"input[name=case][value='{case.pk}']").check()
    page.select_option("#bulk-assignee", str(agent_a.pk))
    look("04-dossiers-a-attribuer")
    page.locator("button[form=bulk-assign]").click()
    page.wait_for_load_state("load")
    assert set(Case.objects.values_list("assignee", flat=True)) == {agent_a.pk}

    open_menu("Fuites", "Personnes exposées")
    look("05-personnes-exposees")
    page.fill("#id_purpose", "Courrier d'information aux assurés exposés")
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter la liste en clair (CSV)").click()
    assert download.value.suggested_filename == f"personnes-exposees-{fund_a.code}.csv"
    assert AccessLog.objects.filter(action="export", user=manager_a).exists()
