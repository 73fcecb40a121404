"""The weekly report: its PDF's text matches the database, it carries no NIR, the command writes it, and the
Monday task stores and e-mails one report per open breach and week, not twice when run twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from breaches.models import Breach
from casework.checks.services import check_log
from reporting.models import WeeklyReport
from reporting.services import weekly_reports_send
from reporting.weekly import Week, report_build
from tests.breaches.factories import BreachFactory, CohortFactory, person
from tests.casework.factories import new_nir
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


def _report_mails() -> list:
    return [m for m in mail.outbox if m.subject.startswith("[Vigie] Rapport hebdomadaire")]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


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


def test_regional_coordination_reads_its_funds_digests_only(client, breach):
    from network.models import Membership
    from network.services import membership_grant
    from tests.factories import UserFactory

    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")
    client.force_login(coordinator)
    url = reverse("weekly-report", args=[breach.reference])
    assert client.get(url).status_code == 404  # the network-wide report is for national staff
    digest = client.get(url, {"caisse": "561"})
    assert digest.status_code == 200 and "CPAM du Morbihan" in _text(digest.content)
    other = UserFactory(username="idf")
    membership_grant(user=other, role=Membership.Role.REGIONAL, region="11")
    client.force_login(other)
    assert client.get(url, {"caisse": "561"}).status_code == 404
