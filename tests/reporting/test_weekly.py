"""The weekly report: its PDF's text matches the database, it carries no NIR, the command writes it, and the
Monday task stores and e-mails one report per open breach and week, not twice when run twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from breaches.models import Breach
from casework.checks.services import check_log
from reporting.models import WeeklyReport
from reporting.pdf import report_pdf
from reporting.services import weekly_reports_send
from reporting.weekly import Week, report_build
from tests.breaches.factories import BreachFactory, CohortFactory, person
from tests.casework.factories import new_nir
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


def _report_mails() -> list:
    return [m for m in mail.outbox if m.subject.startswith("[Vigie] Rapport hebdomadaire")]


def _text(pdf: bytes) -> str:
    """The PDF's words, one space apart: a label may wrap in its cell (the columns' widths follow the week's
    dates), and what is checked is the content, not the layout."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


@pytest.fixture
def breach(fund_a, fund_b, agent_a, national, django_capture_on_commit_callbacks):
    breach = BreachFactory(title="Laboratoires de l'Ouest")
    cohort = CohortFactory(breach=breach)
    nirs = []
    for index in range(7):
        nir = new_nir()
        nirs.append(nir)
        person(breach=breach, nir=nir, cohort=cohort, fund=fund_a if index < 5 else fund_b,
               department="56" if index < 5 else "29")
    for outcome in ("anomaly", "anomaly", "compliant"):
        check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome=outcome, fund=fund_a)
    with django_capture_on_commit_callbacks(execute=True):
        issued(national, breach=breach, reply_by=timezone.localdate() - datetime.timedelta(days=1))
    breach.nirs = nirs
    return breach


def test_report_text_matches_the_database_and_holds_no_nir(client_as, national, breach):
    week = Week.of(timezone.localdate())
    response = client_as(national).get(reverse("weekly-report", args=[breach.reference]), {"semaine": str(week)})
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    report = report_build(breach=breach, week=week)
    figures = {f.label: f for f in report.figures}
    assert figures["Personnes exposées"].value == 7 and figures["… dont anomalies"].value == 2
    assert "Personnes exposées 7" in text and "… dont anomalies 2" in text and "Vérifications consignées 3" in text
    assert "Caisses en retard 2" in text and "561 — CPAM du Morbihan" in text and "291 — CPAM du Finistère" in text
    assert breach.reference in text and str(week) in text
    compact = text.replace(" ", "")
    assert not any(nir[:13] in compact for nir in breach.nirs)


def test_fund_digest_is_scoped_to_the_fund(breach, fund_a):
    report = report_build(breach=breach, week=Week.of(timezone.localdate()), fund=fund_a)
    figures = {f.label: f.value for f in report.figures}
    assert figures["Personnes exposées"] == 5 and [f.code for f, _ in report.late_funds] == ["561"]


def test_command_writes_the_pdf(breach, tmp_path):
    output = tmp_path / "rapport.pdf"
    call_command("weekly_report", "--breach", breach.reference, "--week", "2026-W49", "--output", str(output))
    text = _text(output.read_bytes())
    assert "Semaine 2026-W49" in text and "Rapport hebdomadaire" in text


def test_monday_task_sends_one_report_per_open_breach_and_week(breach, national, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    national.email = "national@test.invalid"
    national.save()
    BreachFactory(status=Breach.Status.CLOSED)
    monday = datetime.date(2026, 12, 7)
    weekly_reports_send(today=monday, digests=False)
    weekly_reports_send(today=monday, digests=False)  # run twice: nothing more
    reports = WeeklyReport.objects.filter(fund=None)
    assert [(r.breach_id, r.week) for r in reports] == [(breach.id, "2026-W49")]
    assert len(_report_mails()) == 1 and _report_mails()[0].to == ["national@test.invalid"]
    message = _report_mails()[0].body
    assert f"/rapports/{breach.reference}/hebdomadaire.pdf?semaine=2026-W49" in message
    assert not any(nir[:5] in message for nir in breach.nirs)


def test_digests_go_to_the_funds_notice_addresses(breach, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    weekly_reports_send(today=datetime.date(2026, 12, 7))
    digests = WeeklyReport.objects.exclude(fund=None)
    assert sorted(d.fund.code for d in digests) == ["291", "561"]
    assert sorted(m.to[0] for m in _report_mails()) == [
        "national@test.invalid", "vigilance.291@test.invalid", "vigilance.561@test.invalid"]


def test_report_queries_do_not_grow_with_the_funds(breach, national, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import FundFactory

    week = Week.of(timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        report_build(breach=breach, week=week)
    for code in ("221", "351", "751", "131", "594"):
        fund = FundFactory(code=code, departments=[code[:2]])
        person(breach=breach, nir=new_nir(), fund=fund, department=code[:2])
    with django_capture_on_commit_callbacks(execute=True):
        issued(national, breach=breach, reply_by=timezone.localdate() - datetime.timedelta(days=1), title="Autre")
    with CaptureQueriesContext(connection) as many:
        report = report_build(breach=breach, week=week)
    assert len(report.late_funds) == 7 and len(many) == len(few)


def _coordinator(username: str, region: str, email: str = ""):
    from network.models import Membership
    from network.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory(username=username, email=email)
    membership_grant(user=user, role=Membership.Role.REGIONAL, region=region)
    return user


@pytest.fixture
def paris(breach):
    """A fund of another region (Île-de-France, 11) with two exposed people and a check."""
    from tests.factories import FundFactory

    fund = FundFactory(code="751", name="CPAM de Paris", departments=["75"])
    for _ in range(2):
        person(breach=breach, nir=new_nir(), fund=fund, department="75")
    return fund


def test_region_report_counts_its_funds_only(breach, paris, agent_a):
    week = Week.of(timezone.localdate())
    bretagne = {f.label: f.value for f in report_build(breach=breach, week=week, region="53").figures}
    ile_de_france = report_build(breach=breach, week=week, region="11")
    figures = {f.label: f.value for f in ile_de_france.figures}
    assert bretagne["Personnes exposées"] == 7 and bretagne["… dont anomalies"] == 2
    assert bretagne["Caisses en retard"] == 2
    assert figures["Personnes exposées"] == 2 and figures["… dont anomalies"] == 0
    assert figures["Caisses en retard"] == 0 and ile_de_france.by_department == {"75": 2}
    network = {f.label: f.value for f in report_build(breach=breach, week=week).figures}
    assert network["Personnes exposées"] == 9


def test_national_staff_download_a_region_report(client_as, national, breach, paris):
    url = reverse("weekly-report", args=[breach.reference])
    response = client_as(national).get(url, {"region": "11"})
    text = _text(response.content)
    assert response.status_code == 200 and "région 11 — Île-de-France" in text
    assert "Personnes exposées 2" in text and "561" not in text
    assert "region-11" in response["Content-Disposition"]
    assert client_as(national).get(url, {"region": "99"}).status_code == 404


def test_breach_page_offers_the_report_by_region_and_week(client_as, national, breach, paris):
    page = client_as(national).get(reverse("breaches:breach-detail", args=[breach.reference])).content.decode()
    form = page[page.index('data-testid="weekly-report-form"'):]
    form = form[:form.index("</form>")]
    assert '<option value="">Tout le réseau</option>' in form
    assert '<option value="11">11 — Île-de-France</option>' in form and '<option value="53">' in form
    assert f'<option value="{Week.of(timezone.localdate())}">' in form


def test_regional_coordination_reads_its_region_report_and_funds_digests_only(client, breach, paris):
    client.force_login(_coordinator("bretagne", "53"))
    url = reverse("weekly-report", args=[breach.reference])
    own = client.get(url)
    assert own.status_code == 200 and "région 53 — Bretagne" in _text(own.content)
    assert "Personnes exposées 7" in _text(own.content)
    assert client.get(url, {"region": "11"}).status_code == 404  # another region's report
    digest = client.get(url, {"caisse": "561"})
    assert digest.status_code == 200 and "CPAM du Morbihan" in _text(digest.content)
    assert client.get(url, {"caisse": "751"}).status_code == 404
    view = client.get(reverse("dashboard-national")).content.decode()
    assert breach.reference in view and 'data-testid="weekly-report-form"' in view
    assert "Tout le réseau" not in view and '<option value="11">' not in view
    client.force_login(_coordinator("idf", "11"))
    assert client.get(url, {"caisse": "561"}).status_code == 404


def test_monday_task_sends_each_region_its_report(breach, paris, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _coordinator("bretagne", "53", email="coord.bretagne@test.invalid")
    _coordinator("idf", "11", email="coord.idf@test.invalid")
    monday = datetime.date(2026, 12, 7)
    weekly_reports_send(today=monday, digests=False)
    weekly_reports_send(today=monday, digests=False)
    stored = {r.region: r for r in WeeklyReport.objects.filter(fund=None)}
    assert sorted(stored) == ["", "11", "53"]
    assert "Personnes exposées 2" in _text(bytes(stored["11"].pdf))
    sent = {m.to[0]: m.body for m in _report_mails()}
    assert sorted(sent) == ["coord.bretagne@test.invalid", "coord.idf@test.invalid", "national@test.invalid"]
    assert "semaine=2026-W49&region=11" in sent["coord.idf@test.invalid"]


def test_command_writes_a_region_report(breach, paris, tmp_path):
    output = tmp_path / "rapport.pdf"
    call_command("weekly_report", "--breach", breach.reference, "--region", "11", "--output", str(output))
    assert "région 11 — Île-de-France" in _text(output.read_bytes())
    with pytest.raises(CommandError, match="Région inconnue"):
        call_command("weekly_report", "--breach", breach.reference, "--region", "99", "--output", str(output))


def test_report_counts_the_signals_that_matched(breach, national, fund_a):
    from casework.risk.services import signals_ingest

    today = timezone.localdate().isoformat()
    rows = [{"nir": breach.nirs[0], "kind": "bank_details", "occurred_on": today, "fund": fund_a.code},
            {"nir": new_nir(), "kind": "bank_details", "occurred_on": today, "fund": fund_a.code}]
    assert signals_ingest(actor=national, rows=rows).matched == 1
    week = Week.of(timezone.localdate())
    label = "Signaux concordants (dossiers ouverts sur signal)"
    assert {f.label: f.value for f in report_build(breach=breach, week=week).figures}[label] == 1
    assert {f.label: f.value for f in report_build(breach=breach, week=week, region="11").figures}[label] == 0
    assert f"{label} 1" in _text(report_pdf(report_build(breach=breach, week=week))[0])
