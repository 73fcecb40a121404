"""Pages of the GDPR record: the form, the timeline and its documents, closing with confirmation and reopening,
the register's filters and exports, the national home's clocks; fund users see none of it (404)."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from breaches.models import Breach
from tests.breaches.factories import BreachFactory, complete_record
from tests.breaches.test_gdpr_record import EML


def _ref(name, breach, **kwargs):
    return reverse(f"breaches:{name}", kwargs={"reference": breach.reference, **kwargs})


def test_national_fills_the_record_with_the_people_count_from_the_cohort(client_as, national, breach):
    client = client_as(national)
    page = client.get(_ref("breach-record", breach)).content.decode()
    assert 'name="people_approx" value="1"' in page and "La cohorte compte 1 personnes" in page
    response = client.post(_ref("breach-record", breach), {
        "network_role": "controller", "aware_at": "2026-03-02T09:30", "aware_how": "Alerte du SOC",
        "nature": ["confidentiality", "integrity"], "origin": "error", "people_approx": "40"})
    assert response.status_code == 302
    breach.refresh_from_db()
    assert (breach.network_role, breach.people_approx, breach.nature_labels) == (
        "controller", 40, ["confidentialité", "intégrité"])
    assert timezone.localtime(breach.aware_at).strftime("%d/%m/%Y %H:%M") == "02/03/2026 09:30"
    assert Breach.history.filter(id=breach.pk).first().people_approx == 40
    bad = client.post(_ref("breach-record", breach), {"network_role": "controller", "people_approx": "-3",
                                                      "aware_how": "gardé"}).content.decode()
    assert 'data-testid="error-summary"' in bad and "gardé" in bad


def test_the_breach_page_shows_the_clock_and_the_national_home_and_view_list_it(client_as, national, db):
    aware = timezone.now() - dt.timedelta(hours=30)
    breach = BreachFactory(network_role="controller", aware_at=aware, title="Hameçonnage du compte en ligne")
    client = client_as(national)
    page = client.get(_ref("breach-detail", breach)).content.decode()
    assert 'data-testid="breach-clock"' in page and "encore 41 h" in page
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-clocks"' in home and breach.reference in home
    national_view = client.get(reverse("dashboard-national")).content.decode()
    assert 'data-testid="home-clocks"' in national_view and "encore 41 h" in national_view
    Breach.objects.filter(pk=breach.pk).update(aware_at=aware - dt.timedelta(hours=50))
    assert "En retard" in client.get(_ref("breach-detail", breach)).content.decode()


def test_closing_asks_for_confirmation_lists_what_is_missing_and_can_be_undone(client_as, national, db):
    breach = BreachFactory(**complete_record(dpo_opinion=""))
    client = client_as(national)
    one_click = client.post(_ref("breach-status", breach), {"status": "closed"})
    assert one_click.url == _ref("breach-close", breach)
    page = client.get(_ref("breach-close", breach)).content.decode()
    assert 'data-testid="close-missing"' in page and "avis du délégué" in page
    client.post(_ref("breach-close", breach))
    assert Breach.objects.get().status == "open"
    Breach.objects.filter(pk=breach.pk).update(dpo_opinion="Favorable")
    page = client.get(_ref("breach-close", breach)).content.decode()
    assert "délai de conservation de la cohorte commence" in page
    assert client.post(_ref("breach-close", breach)).status_code == 302
    breach.refresh_from_db()
    assert breach.status == "closed" and breach.get_status_display() == "Close"
    detail = client.get(_ref("breach-detail", breach)).content.decode()
    assert "Rouvrir" in detail and "Clôture" in detail
    assert client.post(_ref("breach-reopen", breach), {"reason": ""}).status_code == 200
    client.post(_ref("breach-reopen", breach), {"reason": "Clôture par erreur"})
    assert Breach.objects.get().status == "open"
    assert client.get(_ref("breach-reopen", breach)).status_code == 404  # open again: nothing to reopen


def test_timeline_takes_documents_checked_by_content_and_serves_them_to_national_staff(client_as, national,
                                                                                       agent_a, breach):
    client = client_as(national)
    client.post(_ref("breach-event-create", breach), {
        "kind": "letter_in", "occurred_at": "2021-03-31T10:00", "summary": "Lettre du directeur général",
        "document": SimpleUploadedFile("lettre.eml", EML)})
    refused = client.post(_ref("breach-event-create", breach), {
        "kind": "other", "occurred_at": "2021-04-01T10:00", "summary": "Exécutable",
        "document": SimpleUploadedFile("note.pdf", b"MZ\x90\x00")}, follow=True).content.decode()
    assert "Événement non ajouté" in refused
    event = breach.events.get()
    page = client.get(_ref("breach-detail", breach)).content.decode()
    assert "Lettre du directeur général" in page and "lettre.eml" in page
    document = client.get(_ref("breach-event-document", breach, event_id=event.pk))
    assert b"".join(document.streaming_content) == EML
    client.force_login(agent_a)
    assert client.get(_ref("breach-event-document", breach, event_id=event.pk)).status_code == 404
    assert "Lettre du directeur général" not in client.get(_ref("breach-detail", breach)).content.decode()


@pytest.fixture
def register(db):
    return [
        BreachFactory(title="Laboratoires 2021", discovered_on=dt.date(2021, 3, 1), network_role="third_party",
                      controller_names="=HYPERLINK(\"http://x\")"),
        BreachFactory(title="Publipostage", discovered_on=dt.date(2026, 1, 5), network_role="controller",
                      status="closed"),
        BreachFactory(title="À qualifier", discovered_on=dt.date(2026, 2, 5)),
    ]


def test_register_filters_by_year_role_and_status(client_as, national, register):
    client = client_as(national)
    url = reverse("breaches:breach-register")

    def titles(**query):
        page = client.get(url, query).content.decode()
        return [b.title for b in register if f">{b.reference}<" in page]

    assert titles() == ["Laboratoires 2021", "Publipostage", "À qualifier"]
    assert titles(year=2021) == ["Laboratoires 2021"]
    assert titles(role="controller") == ["Publipostage"]
    assert titles(role="none") == ["À qualifier"]
    assert titles(year=2026, status="open") == ["À qualifier"]


def test_register_exports_csv_xlsx_and_pdf_with_formulas_neutralised(client_as, national, register):
    client = client_as(national)
    response = client.get(reverse("breaches:breach-register-export", args=["csv"]), {"year": 2021})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Référence", "Titre", "Statut", "Rôle du réseau"] and len(rows) == 2
    assert rows[1][3:5] == ["Tiers affecté", "'=HYPERLINK(\"http://x\")"]
    response = client.get(reverse("breaches:breach-register-export", args=["xlsx"]), {"role": "controller"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][:3] == [register[1].reference, "Publipostage", "Close"]
    assert sheet.max_row == 2
    pdf = client.get(reverse("breaches:breach-register-export", args=["pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get(reverse("breaches:breach-register-export", args=["docx"])).status_code == 404


def test_fund_agents_see_nothing_of_the_record(client_as, agent_a, breach):
    client = client_as(agent_a)
    for url in [_ref("breach-record", breach), _ref("breach-close", breach), _ref("breach-reopen", breach),
                reverse("breaches:breach-register"), reverse("breaches:breach-register-export", args=["csv"]),
                reverse("breaches:breach-register-export", args=["pdf"])]:
        assert client.get(url).status_code == 404, url
    assert client.post(_ref("breach-event-create", breach), {"kind": "other"}).status_code == 404
    page = client.get(_ref("breach-detail", breach)).content.decode()
    assert 'data-testid="gdpr-record"' not in page and "Registre des violations" not in page


def test_breach_form_accepts_real_departments_only_and_keeps_the_input(client_as, national):
    client = client_as(national)
    data = {"title": "Départements", "discovered_on": "2026-02-01", "severity": "high",
            "departments": "99, XYZ, 2C, 56"}
    page = client.post(reverse("breaches:breach-create"), data).content.decode()
    assert "Département inconnu : 99, XYZ, 2C" in page and 'value="99, XYZ, 2C, 56"' in page
    assert not Breach.objects.exists()
    response = client.post(reverse("breaches:breach-create"), {**data, "departments": "2A, 2b, 971, 976, 01"})
    assert response.status_code == 302
    assert Breach.objects.get().department_codes == ["2A", "2B", "971", "976", "01"]
