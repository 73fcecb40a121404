"""Writes of the reporting app: the weekly reports, stored once per breach (or fund) and week, and e-mailed."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from breaches.models import Breach
from breaches.selectors import open_breaches
from network.models import Fund, Membership
from reporting.models import WeeklyReport
from reporting.pdf import report_pdf
from reporting.weekly import Week, report_build

logger = logging.getLogger(__name__)


def weekly_report_store(*, breach: Breach, week: Week, fund: Fund | None = None, region: str = ""
                        ) -> tuple[WeeklyReport, bool]:
    """The stored report of `breach` for `week` (network-wide, over `region`'s funds, or `fund`'s digest): built
    once; (report, created)."""
    key = {"breach": breach, "fund": fund, "region": "" if fund else region, "week": str(week)}
    existing = WeeklyReport.objects.filter(**key).first()
    if existing:
        return existing, False
    pdf, pages = report_pdf(report_build(breach=breach, week=week, fund=fund, region=key["region"]))
    try:
        with transaction.atomic():
            return WeeklyReport.objects.create(**key, pdf=pdf, pages=pages), True
    except IntegrityError:  # another worker stored it meanwhile
        return WeeklyReport.objects.get(**key), False


def weekly_report_pdf(*, breach: Breach, week: Week, fund: Fund | None = None, region: str = "") -> bytes:
    """The report's PDF: the stored one when the Monday run made it, else built now (not stored: the week may not
    be over)."""
    region = "" if fund else region
    stored = WeeklyReport.objects.filter(breach=breach, fund=fund, region=region, week=str(week)).first()
    if stored:
        return bytes(stored.pdf)
    return report_pdf(report_build(breach=breach, week=week, fund=fund, region=region))[0]


def _claim_sending(report: WeeklyReport) -> bool:
    """Compare-and-set: only the first run e-mails a report."""
    return WeeklyReport.objects.filter(pk=report.pk, sent_at__isnull=True).update(sent_at=timezone.now()) == 1


def _link(report: WeeklyReport) -> str:
    path = reverse("weekly-report", args=[report.breach.reference])
    whose = f"&caisse={report.fund.code}" if report.fund else f"&region={report.region}" if report.region else ""
    return f"{settings.SITE_URL}{path}?semaine={report.week}{whose}"


def _national_addresses() -> list[str]:
    return sorted(set(Membership.objects.filter(role=Membership.Role.NATIONAL).exclude(user__email="")
                      .values_list("user__email", flat=True)))


def _regional_addresses() -> dict[str, list[str]]:
    """Region -> the addresses of its regional coordination (regions with nobody to read them are left out)."""
    addresses: dict[str, set[str]] = {}
    for region, email in (Membership.objects.filter(role=Membership.Role.REGIONAL).exclude(user__email="")
                          .values_list("region", "user__email")):
        addresses.setdefault(region, set()).add(email)
    return {region: sorted(emails) for region, emails in sorted(addresses.items())}


def _send(report: WeeklyReport, addresses: list[str]) -> None:
    if not addresses or not _claim_sending(report):
        return
    whose = (f"de la caisse {report.fund.code}" if report.fund else f"de la région {report.region}" if report.region
             else "du réseau")
    body = (f"Le rapport hebdomadaire {whose} pour la fuite {report.breach.reference}, semaine {report.week}, "
            f"est disponible dans Vigie ({report.pages} pages) :\n\n{_link(report)}\n\n"
            "Ce message ne contient aucune donnée de santé ni donnée nominative ; le rapport se consulte après "
            "connexion.")
    send_mail(f"[Vigie] Rapport hebdomadaire {report.breach.reference} — {report.week}", body,
              settings.DEFAULT_FROM_EMAIL, addresses)


def weekly_reports_send(*, today: datetime.date | None = None, digests: bool = True) -> int:
    """Monday's run: for each open breach, the report of the week just ended, stored and its link e-mailed to
    national staff; each region's report to its regional coordination; with `digests`, each fund's digest to its
    notice addresses. Safe to run twice (nothing is
    built or sent again). Returns the number of reports built now."""
    today = today or timezone.localdate()
    week = Week.of(today - datetime.timedelta(days=7))
    built = 0
    national, regional = _national_addresses(), _regional_addresses()
    for breach in open_breaches():
        report, created = weekly_report_store(breach=breach, week=week)
        built += created
        _send(report, national)
        for region, addresses in regional.items():
            report, created = weekly_report_store(breach=breach, week=week, region=region)
            built += created
            _send(report, addresses)
        if digests:
            for fund in Fund.objects.filter(is_active=True, affected_people__breach=breach).distinct():
                digest, created = weekly_report_store(breach=breach, week=week, fund=fund)
                built += created
                _send(digest, fund.notice_addresses)
    logger.info("weekly reports: week=%s built=%s", week, built)
    return built
