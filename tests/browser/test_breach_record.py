"""National staff document a breach where the network is controller, in Chromium: record, clock, timeline with a
document, closing refused then confirmed, the register. Any console error or page error fails the journey."""

import datetime as dt
import os

import pytest
from django.utils import timezone

from breaches.models import Breach
from tests.breaches.factories import BreachFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("VIGIE_SCREENSHOTS", "")  # a directory: screenshots of each step at 1366 and 390 px


def _shot(page, name):
    if not SHOTS:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_national_documents_closes_and_registers_a_controller_breach(sign_in, national, tmp_path, settings):
    settings.PRIVATE_ROOT = tmp_path
    aware = timezone.localtime(timezone.now() - dt.timedelta(hours=30)).replace(second=0, microsecond=0)
    breach = BreachFactory(title="Hameçonnage du compte en ligne", network_role="controller", aware_at=aware)
    page = sign_in(national)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(error.stack))

    page.goto(f"/fuites/{breach.reference}/")
    assert "encore 41 h" in page.get_by_test_id("breach-clock").inner_text()
    _shot(page, "breach-detail")
    page.get_by_role("link", name="Compléter le dossier RGPD").click()
    page.fill("#id_aware_how", "Alerte du centre de sécurité")
    page.get_by_label("Confidentialité (divulgation, accès non autorisé)").check(force=True)
    page.select_option("#id_origin", "external_malicious")
    page.fill("#id_people_approx", "1200")
    _shot(page, "record-form")
    page.get_by_role("button", name="Enregistrer le dossier").click()
    assert "Dossier RGPD" in page.get_by_test_id("gdpr-record").inner_text()

    page.select_option("#id_event_kind", "analysis")
    page.fill("#id_event_occurred_at", aware.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_event_summary", "Analyse des journaux de connexion")
    page.set_input_files("#id_event_document", files=[{"name": "analyse.pdf", "mimeType": "application/pdf",
                                                       "buffer": b"%PDF-1.4\n%%EOF\n"}])
    page.get_by_role("button", name="Ajouter à la chronologie").click()
    assert "analyse.pdf" in page.get_by_test_id("breach-timeline").inner_text()

    page.get_by_role("link", name="Clore la fuite…").click()
    assert "la date de notification à la CNIL" in page.get_by_test_id("close-missing").inner_text()
    _shot(page, "close-refused")
    assert Breach.objects.get().status == "open"

    page.goto("/fuites/registre/")
    page.select_option("#role", "controller")
    page.get_by_role("button", name="Filtrer").click()
    assert breach.reference in page.get_by_test_id("register-table").inner_text()
    _shot(page, "register")
    assert errors == []
