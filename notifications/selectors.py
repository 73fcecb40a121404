"""Reads about instructions and deliveries, scoped to what the user may see. Joins made here (no N+1)."""

import datetime
import functools
import json
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from breaches.lookup.db import lookup_cursor
from breaches.models import Breach
from network.models import Fund, FundDepartment
from network.permissions import funds_of, is_national, overseen_funds
from network.roles import VIEW_FUND
from notifications.models import Delivery, Instruction, Notice


def instructions_visible_to(*, user: AbstractBaseUser) -> QuerySet[Instruction]:
    """National staff: every instruction. Fund users: the issued or withdrawn ones sent to one of their funds."""
    instructions = Instruction.objects.select_related("author", "issued_by", "follows", "breach")
    if is_national(user):
        return instructions
    fund_ids = funds_of(user=user).values("id")
    return instructions.exclude(status=Instruction.Status.DRAFT).filter(
        id__in=Delivery.objects.filter(fund_id__in=fund_ids).values("instruction_id"))


def get_instruction_for(*, user: AbstractBaseUser, instruction_id: int) -> Instruction:
    """The only way to load an instruction for a user: missing and forbidden are both 404."""
    return get_object_or_404(instructions_visible_to(user=user), id=instruction_id)


def _with_notice_state(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    latest = Notice.objects.filter(delivery=OuterRef("pk")).order_by("-created_at", "-id")
    first_sent = Notice.objects.filter(delivery=OuterRef("pk"), sent_at__isnull=False).order_by("sent_at")
    return deliveries.annotate(
        last_notice_status=Subquery(latest.values("status")[:1]),
        last_notice_error=Subquery(latest.values("last_error")[:1]),
        last_notice_attempts=Subquery(latest.values("attempts")[:1]),
        last_notice_retry_at=Subquery(latest.values("retry_at")[:1]),
        first_sent_at=Subquery(first_sent.values("sent_at")[:1]),
    )


def deliveries_visible_to(*, user: AbstractBaseUser, perm: str = VIEW_FUND) -> QuerySet[Delivery]:
    """Deliveries of issued/withdrawn instructions to the funds the user may act for with `perm`."""
    return _with_notice_state(
        Delivery.objects.filter(fund__in=funds_of(user=user, perm=perm))
        .exclude(instruction__status=Instruction.Status.DRAFT)
        .select_related("fund", "instruction__breach", "acknowledged_by", "attested_by")
    ).order_by("-instruction__issued_at", "fund__code")


def get_delivery_for(*, user: AbstractBaseUser, delivery_id: int, perm: str = VIEW_FUND) -> Delivery:
    """The only way to load a delivery: another fund's delivery is a 404, for reading as for answering."""
    return get_object_or_404(deliveries_visible_to(user=user, perm=perm), id=delivery_id)


def deliveries_of(*, user: AbstractBaseUser, instruction: Instruction) -> QuerySet[Delivery]:
    """An instruction's deliveries: every fund for national staff, the user's own funds otherwise."""
    return deliveries_visible_to(user=user).filter(instruction=instruction)


BOARD_STATES = ["pending", "sent", "failed", "received", "implemented", "overdue", "information"]
STATE_LABELS = {
    "pending": "En attente d'envoi", "sent": "Envoyée", "failed": "Échec d'envoi", "received": "Reçue",
    "implemented": "Mise en œuvre", "overdue": "En retard", "information": "Pour information",
}


def _notice_state(delivery: Delivery) -> str:
    status = getattr(delivery, "last_notice_status", None)
    if status == Notice.Status.FAILED:
        return "failed"
    return "sent" if status == Notice.Status.SENT else "pending"


def delivery_state(delivery: Delivery, instruction: Instruction, today: datetime.date) -> str:
    """Board status: the fund's answer first, then lateness, then the notice's fate. A fund named for information
    owes no answer: once its notice is sent it is "information", never late."""
    if not delivery.for_action:
        notice_state = _notice_state(delivery)
        return "information" if notice_state == "sent" or delivery.acknowledged_version else notice_state
    version = instruction.version
    if delivery.attested_version >= version:
        return "implemented"
    if instruction.reply_by and instruction.reply_by < today and instruction.status == Instruction.Status.ISSUED:
        return "overdue"
    if delivery.acknowledged_version >= version:
        return "received"
    return _notice_state(delivery)


def notice_retry(delivery: Delivery) -> str:
    """"nouvel essai n° 3 à 14:05 — dernière erreur : …" while the latest notice waits for another attempt after a
    failed one; empty otherwise. Needs the annotations of `deliveries_visible_to`."""
    status = getattr(delivery, "last_notice_status", None)
    error = getattr(delivery, "last_notice_error", "")
    if status != Notice.Status.PENDING or not error:
        return ""
    retry_at = getattr(delivery, "last_notice_retry_at", None)
    at = timezone.localtime(retry_at).strftime("%H:%M") if retry_at else _("dès que possible")
    return _("nouvel essai n° %(attempt)s à %(at)s — dernière erreur : %(error)s") % {
        "attempt": (getattr(delivery, "last_notice_attempts", 0) or 0) + 1, "at": at, "error": error[:200]}


@dataclass
class BoardRow:
    delivery: Delivery
    state: str
    days_late: int

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def retry(self) -> str:
        return notice_retry(self.delivery)


BOARD_SORTS = {
    # URL value -> (label, key); a leading "-" in the URL reverses the order.
    "code": ("Code de la caisse", lambda r: r.delivery.fund.code),
    "nom": ("Nom de la caisse", lambda r: r.delivery.fund.name.lower()),
    "statut": ("Statut", lambda r: (BOARD_STATES.index(r.state), r.delivery.fund.code)),
    "retard": ("Retard", lambda r: (r.days_late, r.delivery.fund.code)),
    "region": ("Région", lambda r: (r.delivery.fund.region, r.delivery.fund.code)),
}


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: filters and order, as read from the URL (validated by the page)."""

    state: str = ""
    query: str = ""
    region: str = ""
    department: str = ""
    overdue: bool = False
    sort: str = "code"


def board_instructions_visible_to(*, user: AbstractBaseUser) -> QuerySet[Instruction]:
    """Instructions whose board the user reads: every one for national staff; for a regional coordination, the
    issued or withdrawn ones sent to a fund of its region."""
    instructions = Instruction.objects.select_related("author", "issued_by", "follows", "breach")
    if is_national(user):
        return instructions
    return instructions.exclude(status=Instruction.Status.DRAFT).filter(
        id__in=Delivery.objects.filter(fund__in=overseen_funds(user=user)).values("instruction_id"))


def get_board_instruction_for(*, user: AbstractBaseUser, instruction_id: int) -> Instruction:
    """An instruction for its board: missing and forbidden are both 404."""
    return get_object_or_404(board_instructions_visible_to(user=user), id=instruction_id)


def board_deliveries(*, user: AbstractBaseUser, instruction: Instruction) -> QuerySet[Delivery]:
    """The deliveries of an instruction to the funds whose picture the user reads (national: all; regional
    coordination: its region's), with their notice state."""
    return _with_notice_state(
        Delivery.objects.filter(instruction=instruction, fund__in=overseen_funds(user=user))
        .select_related("fund", "acknowledged_by", "attested_by")
    ).order_by("fund__code")


def _matches(row: BoardRow, filters: BoardFilters, departments: dict[int, set[str]]) -> bool:
    fund = row.delivery.fund
    q = filters.query.lower()
    return ((not filters.state or row.state == filters.state)
            and (not filters.overdue or row.days_late > 0)
            and (not filters.region or fund.region == filters.region)
            and (not filters.department or filters.department in departments.get(fund.id, set()))
            and (not q or q in fund.code or q in fund.name.lower()))


def board_rows(*, user: AbstractBaseUser, instruction: Instruction, filters: BoardFilters | None = None,
               today: datetime.date | None = None, state: str = "", query: str = "",
               ) -> tuple[list[BoardRow], dict[str, int]]:
    """The target funds of an instruction the user reads, with their state, filtered and sorted, and the counts
    per state (unfiltered: the whole picture the user may see). Two queries."""
    filters = filters or BoardFilters(state=state, query=query)
    today = today or timezone.localdate()
    rows = []
    for delivery in board_deliveries(user=user, instruction=instruction):
        delivery_state_ = delivery_state(delivery, instruction, today)
        late = (today - instruction.reply_by).days if delivery_state_ == "overdue" else 0
        rows.append(BoardRow(delivery=delivery, state=delivery_state_, days_late=late))
    counts = board_counts(rows, instruction)
    departments: dict[int, set[str]] = {}
    if filters.department:
        for fund_id, code in FundDepartment.objects.filter(
                fund_id__in=[r.delivery.fund_id for r in rows]).values_list("fund_id", "department"):
            departments.setdefault(fund_id, set()).add(code)
    rows = [r for r in rows if _matches(r, filters, departments)]
    key = BOARD_SORTS.get(filters.sort.lstrip("-"), BOARD_SORTS["code"])[1]
    return sorted(rows, key=key, reverse=filters.sort.startswith("-")), counts


def overdue_deliveries(*, instruction: Instruction, today: datetime.date) -> list[Delivery]:
    """Every delivery of `instruction` that is late today (the board's "En retard"), by fund code. One query."""
    deliveries = _with_notice_state(instruction.deliveries.select_related("fund")).order_by("fund__code")
    return [d for d in deliveries if delivery_state(d, instruction, today) == "overdue"]


def reminders_of(*, delivery_ids: list[int]) -> dict[int, list[Notice]]:
    """Each delivery's reminders, oldest first: automatic ones (no author) and those national staff asked for."""
    reminders: dict[int, list[Notice]] = {}
    for notice in (Notice.objects.filter(delivery_id__in=delivery_ids, kind=Notice.Kind.REMINDER)
                   .select_related("requested_by").order_by("created_at", "id")):
        reminders.setdefault(notice.delivery_id, []).append(notice)
    return reminders


def board_counts(rows: list[BoardRow], instruction: Instruction) -> dict[str, int]:
    """The board's figures. Funds named for information are counted apart: "total", "acknowledged" and the
    per-state counts are about the funds that must act; "information" counts the others."""
    action = [r for r in rows if r.delivery.for_action]
    counts = {s: sum(1 for r in action if r.state == s) for s in BOARD_STATES}
    counts["information"] = len(rows) - len(action)
    counts["total"] = len(action)
    counts["acknowledged"] = sum(1 for r in action if r.delivery.acknowledged_version >= instruction.version)
    return counts


@dataclass
class FundStanding:
    fund: Fund
    open_rows: list[BoardRow]

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.open_rows if r.state == "overdue")

    @property
    def days_late(self) -> int:
        return max((r.days_late for r in self.open_rows), default=0)


def _is_answered(delivery: Delivery, state: str) -> bool:
    """Nothing more is expected of the fund: implemented, or it was named for information only."""
    return state == "implemented" or not delivery.for_action


def network_standing(*, today: datetime.date | None = None, department: str = "", region: str = ""
                     ) -> list[FundStanding]:
    """For each active fund (of `department` and `region` if given), the issued instructions it has not finished
    answering, and how late it is; the latest first."""
    today = today or timezone.localdate()
    deliveries = _with_notice_state(
        Delivery.objects.filter(instruction__status=Instruction.Status.ISSUED).select_related("instruction", "fund")
    ).order_by("instruction__reply_by", "instruction_id")
    if department:
        deliveries = deliveries.filter(fund__departments__department=department)
    if region:
        deliveries = deliveries.filter(fund__region=region)
    by_fund: dict[int, list[BoardRow]] = {}
    for delivery in deliveries:
        state = delivery_state(delivery, delivery.instruction, today)
        if _is_answered(delivery, state):
            continue
        late = (today - delivery.instruction.reply_by).days if state == "overdue" else 0
        by_fund.setdefault(delivery.fund_id, []).append(BoardRow(delivery=delivery, state=state, days_late=late))
    funds = Fund.objects.filter(is_active=True).order_by("code")
    if department:
        funds = funds.filter(departments__department=department).distinct()
    if region:
        funds = funds.filter(region=region)
    standings = [FundStanding(fund=f, open_rows=by_fund.get(f.id, [])) for f in funds]
    return sorted(standings, key=lambda s: (-s.days_late, -len(s.open_rows), s.fund.code))


STANDING_FILTERS = {
    "late": lambda s: s.overdue > 0,
    "open": lambda s: bool(s.open_rows),
    "up_to_date": lambda s: not s.open_rows,
}
STANDING_SORTS = {
    "retard": lambda s: (-s.days_late, -len(s.open_rows), s.fund.code),
    "ouvertes": lambda s: (-len(s.open_rows), -s.days_late, s.fund.code),
    "caisse": lambda s: s.fund.code,
}


def standings_view(standings: list[FundStanding], *, status: str = "", sort: str = "") -> list[FundStanding]:
    """The network view's list: kept by `status` (late, open, up_to_date; all otherwise), in `sort` order
    (retard — the default —, ouvertes, caisse)."""
    keep = STANDING_FILTERS.get(status)
    kept = [s for s in standings if keep(s)] if keep else list(standings)
    return sorted(kept, key=STANDING_SORTS.get(sort, STANDING_SORTS["retard"]))


def escalation_rows(*, today: datetime.date | None = None, standings: list[FundStanding] | None = None
                    ) -> list[BoardRow]:
    """Overdue deliveries across the network (or across `standings`), the latest first to be chased."""
    standings = network_standing(today=today) if standings is None else standings
    rows = [r for s in standings for r in s.open_rows if r.state == "overdue"]
    return sorted(rows, key=lambda r: (-r.days_late, r.delivery.fund.code))


def open_deliveries_of(*, user: AbstractBaseUser, fund: Fund) -> list[dict]:
    """The issued instructions `fund` still has to answer, as {"delivery", "state"} (fund home page). Scoped to
    what `user` sees: nothing for a fund out of their reach."""
    today = timezone.localdate()
    deliveries = deliveries_visible_to(user=user).filter(fund=fund, instruction__status=Instruction.Status.ISSUED)
    rows = [{"delivery": d, "state": delivery_state(d, d.instruction, today)} for d in deliveries]
    return [row for row in rows if not _is_answered(row["delivery"], row["state"])]


def instructions_summary() -> dict[str, int]:
    """Across the network: instructions issued, drafts, and overdue answers (national home page; the page is
    for national staff)."""
    counts = Instruction.objects.aggregate(issued=Count("id", filter=Q(status=Instruction.Status.ISSUED)),
                                           drafts=Count("id", filter=Q(status=Instruction.Status.DRAFT)))
    return {**counts, "overdue": len(escalation_rows())}


def inbox_notices(*, user: AbstractBaseUser) -> QuerySet[Notice]:
    """The notices to the user's funds, unread first, newest first."""
    return (Notice.objects.filter(delivery__fund__in=funds_of(user=user))
            .exclude(delivery__instruction__status=Instruction.Status.DRAFT)
            .select_related("delivery__instruction", "delivery__fund")
            .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id"))


def unread_count(*, user: AbstractBaseUser) -> int:
    if not user.is_authenticated or is_national(user):
        return 0
    return inbox_notices(user=user).filter(read_at__isnull=True).count()


def instruction_counts(*, instruction_ids: list[int]) -> dict[int, dict]:
    """Per instruction: deliveries for action, acknowledged (current version), and those for information apart
    — one query for a list page."""
    rows = (Delivery.objects.filter(instruction_id__in=instruction_ids).values("instruction_id")
            .annotate(total=Count("id", filter=Q(for_action=True)),
                      information=Count("id", filter=Q(for_action=False)),
                      acknowledged=Count("id", filter=Q(for_action=True,
                                                        acknowledged_version__gte=F("instruction__version")))))
    return {r["instruction_id"]: r for r in rows}


@functools.cache
def _lookup_actions_sql(count: int) -> str:
    deliveries, instructions = Delivery._meta.db_table, Instruction._meta.db_table
    marks = ", ".join(["%s"] * count)
    return (f"SELECT d.id, i.reference, i.title, i.required_actions FROM {deliveries} d "
            f"JOIN {instructions} i ON i.id = d.instruction_id JOIN {Breach._meta.db_table} b ON b.id = i.breach_id "
            f"WHERE d.fund_id = %s AND i.status = %s AND b.reference IN ({marks}) ORDER BY i.issued_at, i.id")


def lookup_actions_for(*, breach_references: list[str], fund: Fund) -> list[dict]:
    """For the NIR lookup (registered in NotificationsConfig.ready): the required actions of the issued
    instructions on these breaches that target `fund`, as {"label", "instruction", "url"}. One plain query (it
    runs on every flagged lookup)."""
    with lookup_cursor() as cursor:
        cursor.execute(_lookup_actions_sql(len(breach_references)),
                       [fund.pk, Instruction.Status.ISSUED.value, *breach_references])
        rows = cursor.fetchall()
    return [
        {"label": action, "instruction": f"{reference} — {title}",
         "url": reverse("notifications:delivery", args=[delivery_id])}
        for delivery_id, reference, title, actions in rows for action in _json_list(actions)
    ]


def _json_list(value) -> list:
    """A JSON column read by plain SQL: text on SQLite (and with Django's PostgreSQL loaders), a list otherwise."""
    return json.loads(value) if isinstance(value, str) else value
