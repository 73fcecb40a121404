from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import TimeStamped


class WeeklyReport(TimeStamped):
    """A weekly report built and stored once per breach and ISO week: network-wide (no fund, no region), over a
    region's funds, or a fund's digest. Counts only: it holds no NIR, no IBAN, no person-level row."""

    breach = models.ForeignKey("breaches.Breach", on_delete=models.CASCADE, related_name="weekly_reports",
                               verbose_name=_("fuite"))
    fund = models.ForeignKey("network.Fund", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("caisse"))
    region = models.CharField(_("région"), max_length=2, blank=True)
    week = models.CharField(_("semaine"), max_length=8)  # ISO week, "2026-W49"
    pdf = models.BinaryField(_("PDF"))
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        ordering = ["-week", "breach_id"]
        verbose_name = _("rapport hebdomadaire")
        verbose_name_plural = _("rapports hebdomadaires")
        constraints = [
            models.UniqueConstraint(fields=["breach", "week"], condition=models.Q(fund__isnull=True, region=""),
                                    name="weekly_report_once_per_breach_week"),
            models.UniqueConstraint(fields=["breach", "region", "week"],
                                    condition=models.Q(fund__isnull=True) & ~models.Q(region=""),
                                    name="weekly_report_once_per_region_week"),
            models.UniqueConstraint(fields=["breach", "fund", "week"], condition=models.Q(fund__isnull=False),
                                    name="weekly_digest_once_per_fund_week"),
        ]

    def __str__(self) -> str:
        return f"{self.breach_id} {self.week} {self.fund_id or self.region or 'réseau'}"
