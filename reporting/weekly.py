"""The weekly report of a breach (national staff), of one region's funds (its regional coordination) or of one fund
(its manager's digest): figures of an ISO week and of the week before, the map, the weeks since the breach, the funds
to call. Counts only: no NIR, no IBAN, no person-level row. A constant number of queries whatever the number of
funds."""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from breaches.lookup.log import FLAGGED
from breaches.models import AccessLog, AffectedPerson, Breach
from casework.models import Case, Check, SharedAccountAlert
from network.models import Fund
from network.regions import region_name
from notifications.models import Delivery, Instruction
from notifications.selectors import delivery_state


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Week":
        """'2026-W49' -> Week(2026, 49); ValueError otherwise."""
        year, _, number = text.upper().partition("-W")
        week = cls(int(year), int(number))
        week.start  # noqa: B018 — validates the week number
        return week

    @classmethod
    def of(cls, day: datetime.date) -> "Week":
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def start(self) -> datetime.date:
        return datetime.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> datetime.date:
        return self.start + datetime.timedelta(days=7)

    @property
    def previous(self) -> "Week":
        return Week.of(self.start - datetime.timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        return (datetime.datetime.combine(self.start, datetime.time(), zone),
                datetime.datetime.combine(self.end, datetime.time(), zone))


@dataclass
class Figure:
    label: str
    value: int | str
    previous: int | str | None = None

    @property
    def change(self) -> str:
        if not isinstance(self.value, int) or not isinstance(self.previous, int):
            return ""
        delta = self.value - self.previous
        return f"{delta:+d}" if delta else "="


@dataclass(frozen=True)
class Scope:
    """Whose figures: one fund's, one region's funds', or (neither) the whole network's."""

    fund: Fund | None = None
    region: str = ""

    def on(self, queryset, name: str = "fund"):
        if self.fund:
            return queryset.filter(**{name: self.fund})
        if self.region:
            return queryset.filter(**{f"{name}__region": self.region})
        return queryset

    def __str__(self) -> str:
        if self.fund:
            return f"{self.fund.code} {self.fund.name}"
        return f"région {self.region} — {region_name(self.region)}" if self.region else "réseau"


@dataclass
class Report:
    breach: Breach
    week: Week
    scope: Scope
    figures: list[Figure] = field(default_factory=list)
    late_funds: list[tuple[Fund, int]] = field(default_factory=list)  # (fund, late instructions)
    weekly: list[tuple[datetime.date, int, int]] = field(default_factory=list)  # (week, checks, anomalies)
    by_department: dict[str, int] = field(default_factory=dict)

    @property
    def fund(self) -> Fund | None:
        return self.scope.fund

    @property
    def region(self) -> str:
        return self.scope.region


def _in(week: Week, name: str = "created_at") -> Q:
    start, end = week.bounds()
    return Q(**{f"{name}__gte": start, f"{name}__lt": end})


def _activity(week: Week, scope: Scope) -> dict:
    """Checks, anomalies, lookups, hits, cases opened (on a signal too) and closed during `week` (one query per
    table)."""
    checks = scope.on(Check.objects.filter(_in(week))).aggregate(
        checks=Count("id"), anomalies=Count("id", filter=Q(outcome=Check.Outcome.ANOMALY)))
    lookups = scope.on(AccessLog.objects.filter(_in(week), action=AccessLog.Action.LOOKUP)).aggregate(
        lookups=Count("id"), hits=Count("id", filter=Q(result=FLAGGED)))
    cases = scope.on(Case.objects.all()).aggregate(
        opened=Count("id", filter=_in(week)), closed=Count("id", filter=_in(week, "closed_at")),
        signals=Count("id", filter=_in(week) & Q(signal_batch__isnull=False)))
    return {**checks, **lookups, **cases}


def _median_days_to_close(week: Week, scope: Scope) -> str:
    durations = scope.on(Case.objects.filter(_in(week, "closed_at"))).annotate(
        took=F("closed_at") - F("created_at")).values_list("took", flat=True)
    days = [d.total_seconds() / 86400 for d in durations]
    return f"{statistics.median(days):.1f} j" if days else "—"


def _instructions(breach: Breach, scope: Scope, today: datetime.date) -> tuple[dict, list[tuple[Fund, int]]]:
    """Issued instructions on the breach: deliveries, acknowledged, implemented, and the late funds."""
    deliveries = scope.on(Delivery.objects.filter(instruction__breach=breach, instruction__status="issued")
                          .select_related("instruction", "fund"))
    counts = {"deliveries": 0, "acknowledged": 0, "implemented": 0}
    late: dict[int, list] = {}
    for delivery in deliveries:
        state = delivery_state(delivery, delivery.instruction, today)
        counts["deliveries"] += 1
        counts["acknowledged"] += delivery.acknowledged_version >= delivery.instruction.version
        counts["implemented"] += state == "implemented"
        if state == "overdue":
            late.setdefault(delivery.fund_id, [delivery.fund, 0])[1] += 1
    counts["instructions"] = Instruction.objects.filter(breach=breach, status="issued").count()
    return counts, sorted(((f, n) for f, n in late.values()), key=lambda item: (-item[1], item[0].code))


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "—"


def _weekly_checks(breach: Breach, scope: Scope, until: datetime.datetime) -> list:
    since = datetime.datetime.combine(breach.discovered_on, datetime.time(), timezone.get_current_timezone())
    rows = (scope.on(Check.objects.filter(created_at__gte=since, created_at__lt=until))
            .annotate(week=TruncWeek("created_at")).values("week")
            .annotate(total=Count("id"), anomalies=Count("id", filter=Q(outcome=Check.Outcome.ANOMALY)))
            .order_by("week"))
    return [(row["week"].date() if hasattr(row["week"], "date") else row["week"], row["total"], row["anomalies"])
            for row in rows]


def report_build(*, breach: Breach, week: Week, fund: Fund | None = None, region: str = "") -> Report:
    """The figures of `week` (and the change from the week before) for `breach`: network-wide, over `region`'s
    funds, or for `fund`."""
    scope = Scope(fund=fund, region="" if fund else region)
    report = Report(breach=breach, week=week, scope=scope)
    people = scope.on(AffectedPerson.objects.filter(breach=breach))
    cohort = people.aggregate(total=Count("id"), routed=Count("id", filter=Q(fund__isnull=False)),
                              added=Count("id", filter=_in(week)))
    now, before = _activity(week, scope), _activity(week.previous, scope)
    instructions, report.late_funds = _instructions(breach, scope, min(week.end, timezone.localdate()))
    alerts = scope.on(SharedAccountAlert.objects.all(), "funds").distinct()  # a region: several funds per alert
    report.figures = [
        Figure("Personnes exposées", cohort["total"]),
        Figure("… dont rattachées à une caisse", cohort["routed"]),
        Figure("… ajoutées cette semaine", cohort["added"]),
        Figure("Consignes émises sur la fuite", instructions["instructions"]),
        Figure("Taux d'accusé de réception", _rate(instructions["acknowledged"], instructions["deliveries"])),
        Figure("Taux de mise en œuvre", _rate(instructions["implemented"], instructions["deliveries"])),
        Figure("Caisses en retard", len(report.late_funds)),
        Figure("Consultations du registre", now["lookups"], before["lookups"]),
        Figure("… dont personnes signalées", now["hits"], before["hits"]),
        Figure("Vérifications consignées", now["checks"], before["checks"]),
        Figure("… dont anomalies", now["anomalies"], before["anomalies"]),
        Figure("Dossiers ouverts", now["opened"], before["opened"]),
        Figure("Dossiers clos", now["closed"], before["closed"]),
        Figure("Délai médian de clôture", _median_days_to_close(week, scope)),
        Figure("Signaux concordants (dossiers ouverts sur signal)", now["signals"], before["signals"]),
        Figure("Alertes de compte partagé (créées dans la semaine)", alerts.filter(_in(week)).count(),
               alerts.filter(_in(week.previous)).count()),
    ]
    report.weekly = _weekly_checks(breach, scope, week.bounds()[1])
    report.by_department = dict(people.exclude(department="").values_list("department")
                                .annotate(n=Count("id")).order_by())
    return report
