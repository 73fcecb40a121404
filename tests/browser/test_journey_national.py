"""National staff's day, in the browser, under production settings: sign in with the second factor → a breach →
upload its cohort and watch the import progress live (a real Celery worker imports it) → write and issue an
instruction → its board → export the board."""

import datetime

import pytest
from django.utils import timezone

from breaches.models import AffectedPerson, Cohort
from breaches.nir import make_nir
from notifications.models import Delivery, Instruction
from tests.breaches.factories import BreachFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROWS = 200


def _cohort_file(path):
    lines = ["nir;code postal"] + [f"{make_nir(sex=1 + n % 2, year=70 + n % 20, order=n + 1)};56100"
                                   for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_national_breach_cohort_instruction_board_export(sign_in, look, open_menu, national, fund_a, fund_b,
                                                         tmp_path):
    breach = BreachFactory(title="Fuite chez un prestataire d'impression")
    page = sign_in(national)
    look("01-accueil")

    open_menu("Fuites", "Fuites de données")
    look("02-fuites")
    page.get_by_role("link", name=breach.reference).first.click()
    page.set_input_files("#id_file", str(_cohort_file(tmp_path / "cohorte.csv")))
    page.click("button >> text=Charger la cohorte")

    # The cohort page follows the import by itself (static script polling the progress endpoint), then reloads.
    progress = page.locator("#cohort-progress")
    progress.locator("[data-field=status_label]").filter(has_text="Terminé").wait_for(timeout=45_000)
    assert progress.locator("[data-field=imported]").inner_text() == str(ROWS)
    look("03-cohorte-importee")
    cohort = Cohort.objects.get()
    assert cohort.status == "done" and AffectedPerson.objects.filter(fund=fund_a).count() == ROWS

    open_menu("Consignes", "Rédiger une consigne")
    page.fill("#id_title", "Vigilance sur les changements de RIB")
    page.fill("#id_body", "Suite à la fuite, **vérifiez** l'identité de tout appelant.\n\n- pièce d'identité\n- rappel")
    page.fill("#id_required_actions", "Vérifier l'identité avant tout changement de RIB")
    page.fill("#id_reply_by", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    look("04-redaction")
    page.click("button >> text=Enregistrer le brouillon")
    page.get_by_role("link", name="Émettre").click()
    look("05-confirmation-emission")
    page.click("button >> text=Confirmer l'émission")

    page.get_by_test_id("board").wait_for()
    assert page.locator("[data-testid=board] tbody tr").count() == 2
    look("06-suivi")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert fund_a.code in content and fund_b.code in content
    instruction = Instruction.objects.get()
    assert instruction.status == "issued" and Delivery.objects.filter(instruction=instruction).count() == 2

    open_menu("Dossiers", "Vue nationale")
    page.get_by_test_id("view-map").locator('[data-department="2A"]').wait_for()
    look("07-vue-nationale")


def test_instruction_list_filter_works_without_inline_script(sign_in, national, fund_a):
    from tests.notifications.factories import draft, issued

    issued(national, title="Consigne émise")
    draft(national, title="Consigne en brouillon")
    page = sign_in(national)
    page.goto("/consignes/")
    page.select_option("#statut", "draft")
    page.get_by_test_id("status-filter").get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**statut=draft**")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1 and "Consigne en brouillon" in rows.inner_text()
