"""The data of the map's layers, per fund and per department, in a constant number of queries."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from breaches.models import AffectedPerson, Breach
from casework.models import Case, Check
from network.models import Fund, FundDepartment
from network.permissions import overseen_funds
from network.regions import departments
from notifications.models import Instruction
from notifications.selectors import board_deliveries, delivery_state

# Instruction layer: the board's states folded into five, from the worst; a department shows its worst fund.
FUND_STATES = ["overdue", "not_sent", "sent", "received", "implemented"]
FUND_STATE_LABELS = {"overdue": "En retard", "not_sent": "Non envoyée", "sent": "Envoyée", "received": "Reçue",
                     "implemented": "Mise en œuvre"}
BOARD_TO_FUND_STATE = {"pending": "not_sent", "failed": "not_sent", "sent": "sent", "received": "received",
                       "implemented": "implemented", "overdue": "overdue"}
PERIODS = {"7": 7, "30": 30, "90": 90}


@dataclass
class FundFigure:
    fund: Fund
    value: int | str


@dataclass
class DepartmentFigure:
    code: str
    name: str
    region: str
    funds: list[FundFigure] = field(default_factory=list)
    value: int | str = 0


def funds_in_view(*, user: AbstractBaseUser, region: str = "") -> QuerySet[Fund]:
    funds = overseen_funds(user=user).filter(is_active=True)
    return funds.filter(region=region) if region else funds


def _departments_of(funds: list[Fund]) -> dict[str, DepartmentFigure]:
    """The departments the funds serve, each with its funds (one query)."""
    by_id = {fund.id: fund for fund in funds}
    figures: dict[str, DepartmentFigure] = {}
    for fund_id, code in FundDepartment.objects.filter(fund_id__in=by_id).values_list("fund_id", "department"):
        known = departments().get(code)
        figure = figures.setdefault(code, DepartmentFigure(code, known.name if known else code,
                                                           known.region if known else ""))
        figure.funds.append(FundFigure(by_id[fund_id], 0))
    for figure in figures.values():
        figure.funds.sort(key=lambda f: f.fund.code)
    return dict(sorted(figures.items()))


def instruction_layer(*, user: AbstractBaseUser, instruction: Instruction, funds: list[Fund]
                      ) -> dict[str, DepartmentFigure]:
    """Each fund's state for `instruction` (funds it was not sent to are left out); a department shows the
    worst state of its funds."""
    today = timezone.localdate()
    states = {d.fund_id: BOARD_TO_FUND_STATE[delivery_state(d, instruction, today)]
              for d in board_deliveries(user=user, instruction=instruction)}
    figures = _departments_of(funds)
    for figure in figures.values():
        figure.funds = [FundFigure(f.fund, states[f.fund.id]) for f in figure.funds if f.fund.id in states]
        figure.value = min((f.value for f in figure.funds), key=FUND_STATES.index, default="")
    return {code: f for code, f in figures.items() if f.funds}


def breach_layer(*, breach: Breach, funds: list[Fund]) -> dict[str, DepartmentFigure]:
    """Exposed people per department (the department on the person's record) and per managing fund."""
    fund_ids = [fund.id for fund in funds]
    people = AffectedPerson.objects.filter(breach=breach, fund_id__in=fund_ids)
    by_department = dict(people.values_list("department").annotate(n=Count("id")).order_by())
    by_fund = dict(people.values_list("fund_id").annotate(n=Count("id")).order_by())
    figures = _departments_of(funds)
    for code, figure in figures.items():
        figure.funds = [FundFigure(f.fund, by_fund.get(f.fund.id, 0)) for f in figure.funds]
        figure.value = by_department.get(code, 0)
    return figures


def activity_layer(*, funds: list[Fund], days: int, measure: str) -> dict[str, DepartmentFigure]:
    """Checks, anomalies or open cases per fund over the last `days` days; a department sums its funds."""
    since = timezone.now() - datetime.timedelta(days=days)
    fund_ids = [fund.id for fund in funds]
    if measure == "dossiers":
        counts = dict(Case.objects.filter(fund_id__in=fund_ids).exclude(status=Case.Status.CLOSED)
                      .values_list("fund_id").annotate(n=Count("id")).order_by())
    else:
        wanted = Q(outcome=Check.Outcome.ANOMALY) if measure == "anomalies" else Q()
        counts = dict(Check.objects.filter(wanted, fund_id__in=fund_ids, created_at__gte=since)
                      .values_list("fund_id").annotate(n=Count("id")).order_by())
    figures = _departments_of(funds)
    for figure in figures.values():
        figure.funds = [FundFigure(f.fund, counts.get(f.fund.id, 0)) for f in figure.funds]
        figure.value = sum(f.value for f in figure.funds)
    return figures
