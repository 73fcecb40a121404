"""The figures of the dashboards. Each is a fixed handful of aggregate queries, whatever the volume."""

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from casework.cases.models import Case
from casework.checks.models import Check
from casework.risk.models import SharedAccountAlert
from network.models import Fund

WEEKS = 8
AGE_BUCKETS = [("lt2", 0, 2), ("lt7", 2, 7), ("lt30", 7, 30), ("ge30", 30, None)]


def week_start(now: datetime.datetime | None = None) -> datetime.datetime:
    local = timezone.localtime(now)
    monday = local - datetime.timedelta(days=local.weekday())
    return monday.replace(hour=0, minute=0, second=0, microsecond=0)


def _age_filter(now, low, high) -> Q:
    q = Q(created_at__lte=now - datetime.timedelta(days=low))
    if high is not None:
        q &= Q(created_at__gt=now - datetime.timedelta(days=high))
    return q


def open_cases_by_status_and_age(*, cases) -> dict:
    """{status: {bucket: n, "total": n}} for open cases, plus the overdue count and signals waiting; one query."""
    now, aggregates = timezone.now(), {}
    for status in (Case.Status.NEW, Case.Status.IN_PROGRESS):
        for bucket, low, high in AGE_BUCKETS:
            aggregates[f"{status}__{bucket}"] = Count("id", filter=Q(status=status) & _age_filter(now, low, high))
    aggregates["overdue"] = Count("id", filter=Q(due_on__lt=timezone.localdate()))
    aggregates["signals_waiting"] = Count("id", filter=Q(origin=Case.Origin.SIGNAL, status=Case.Status.NEW))
    row = cases.exclude(status=Case.Status.CLOSED).aggregate(**aggregates)
    table = {}
    for status in (Case.Status.NEW, Case.Status.IN_PROGRESS):
        buckets = {bucket: row[f"{status}__{bucket}"] for bucket, _, _ in AGE_BUCKETS}
        table[status.label] = {**buckets, "total": sum(buckets.values())}
    return {"table": table, "overdue": row["overdue"], "signals_waiting": row["signals_waiting"],
            "open_total": sum(r["total"] for r in table.values())}


def fund_dashboard(*, fund: Fund) -> dict:
    """Checks this week by outcome, open cases by status and age, signals waiting, alerts, latest checks."""
    checks = Check.objects.filter(fund=fund)
    counts = dict(checks.filter(created_at__gte=week_start()).values_list("outcome").annotate(n=Count("id"))
                  .values_list("outcome", "n"))
    by_outcome = [(label, counts.get(value, 0)) for value, label in Check.Outcome.choices]
    return {
        "fund": fund,
        "checks_by_outcome": by_outcome,
        "checks_this_week": sum(n for _, n in by_outcome),
        "cases": open_cases_by_status_and_age(cases=Case.objects.filter(fund=fund)),
        "alerts": SharedAccountAlert.objects.filter(funds=fund).count(),
        "latest_checks": list(checks.select_related("agent").order_by("-created_at", "-id")[:10]),
    }


def _weekly_checks(since: datetime.datetime, checks) -> list[dict]:
    return list(checks.filter(created_at__gte=since).annotate(week=TruncWeek("created_at"))
                .values("week", "fund_id").annotate(total=Count("id"), anomalies=Count(
                    "id", filter=Q(outcome=Check.Outcome.ANOMALY))).order_by())


def _week_key(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def national_dashboard(*, funds=None) -> dict:
    """Checks and anomalies by week (network) and by fund × week, funds with most open cases, time to close. With
    `funds` (a regional coordination's), the same figures over those funds only: counts, never a person."""
    scope = Q() if funds is None else Q(fund__in=funds)
    first = week_start() - datetime.timedelta(weeks=WEEKS - 1)
    weeks = [(first + datetime.timedelta(weeks=i)).date() for i in range(WEEKS)]
    totals, by_fund = defaultdict(lambda: [0, 0]), defaultdict(lambda: {w: [0, 0] for w in weeks})
    for row in _weekly_checks(first, Check.objects.filter(scope)):
        week = _week_key(row["week"])
        for target in (totals[week], by_fund[row["fund_id"]][week]):
            target[0] += row["total"]
            target[1] += row["anomalies"]
    named = {f.pk: f for f in Fund.objects.filter(pk__in=list(by_fund))}
    fund_rows = sorted(([named[fid], [cells[w] for w in weeks], sum(c[0] for c in cells.values()),
                         sum(c[1] for c in cells.values())] for fid, cells in by_fund.items()),
                       key=lambda row: (-row[2], row[0].code))
    return {"weeks": weeks, "weekly": [totals[w] for w in weeks], "fund_rows": fund_rows,
            "busiest": busiest_funds(funds=funds), "time_to_close": time_to_close(scope=scope),
            "cases": open_cases_by_status_and_age(cases=Case.objects.filter(scope)),
            "alerts": SharedAccountAlert.objects.filter(Q() if funds is None else Q(funds__in=funds))
            .distinct().count()}


def busiest_funds(limit: int = 10, days: int = 90, funds=None) -> list[dict]:
    """The funds (of `funds` if given) with most open cases, with their average time to close (cases closed in
    the last `days`)."""
    recent = Q(cases__status=Case.Status.CLOSED, cases__closed_at__gte=timezone.now() - datetime.timedelta(days=days))
    duration = ExpressionWrapper(F("cases__closed_at") - F("cases__created_at"), output_field=DurationField())
    funds = Fund.objects.all() if funds is None else funds
    rows = list(funds.annotate(open_cases=Count("cases", filter=~Q(cases__status=Case.Status.CLOSED)),
                               average=Avg(duration, filter=recent))
                .filter(open_cases__gt=0).order_by("-open_cases", "code")
                .values("code", "name", "open_cases", "average")[:limit])
    for row in rows:
        row["average_days"] = _days(row.pop("average"))
    return rows


def _days(duration: datetime.timedelta | None) -> float | None:
    return round(duration.total_seconds() / 86400, 1) if duration is not None else None


def time_to_close(days: int = 90, scope: Q | None = None) -> dict:
    """Average time from opening to closing, over the cases (within `scope`) closed in the last `days` days."""
    duration = ExpressionWrapper(F("closed_at") - F("created_at"), output_field=DurationField())
    since = timezone.now() - datetime.timedelta(days=days)
    row = (Case.objects.filter(scope or Q(), status=Case.Status.CLOSED, closed_at__gte=since)
           .aggregate(n=Count("id"), average=Avg(duration)))
    return {"closed": row["n"], "average_days": _days(row["average"]), "days": days}
