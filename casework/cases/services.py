"""Writes on cases. Every state change goes through here and leaves a timeline event (who, when, what)."""

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_update_with_history

from casework.cases.models import Case, CaseEvent
from casework.cases.selectors import MANAGE, WORK, case_assignees, get_case_for, today, user_can
from casework.checks.models import Check
from casework.identity import Person
from config.errors import ApplicationError, ConflictError, NotFound
from network.groups import fund_case_group
from network.models import Fund
from network.permissions import funds_of, may_act
from network.roles import MANAGE_CASES, WORK_CASES

logger = logging.getLogger(__name__)

UNKNOWN_AGENT = "Agent inconnu."
DUE_DAYS = {Case.Priority.HIGH: 2, Case.Priority.NORMAL: 7, Case.Priority.LOW: 15}
HIGH_RISK_KINDS = {Check.Kind.BANK_DETAILS, Check.Kind.ACCOUNT_RECOVERY, Check.Kind.IDENTITY}
TRANSITIONS = {
    Case.Status.NEW: {Case.Status.IN_PROGRESS, Case.Status.CLOSED},
    Case.Status.IN_PROGRESS: {Case.Status.CLOSED},
    Case.Status.CLOSED: {Case.Status.IN_PROGRESS},  # reopening, with its reason in the comment
}


def due_date(priority: int, *, start: datetime.date | None = None) -> datetime.date:
    return (start or today()) + datetime.timedelta(days=DUE_DAYS[Case.Priority(priority)])


def _locked(case: Case, *, actor: AbstractBaseUser, perm: str = WORK) -> Case:
    """Re-read the case under a row lock, through the gate: a user who may not work it gets a 404."""
    get_case_for(user=actor, case_id=case.pk, perm=perm)
    return Case.objects.select_for_update(of=("self",)).select_related("fund", "assignee").get(pk=case.pk)


def _event(case: Case, kind: str, actor: AbstractBaseUser | None, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, **fields)


@transaction.atomic
def case_open(*, fund: Fund, person: Person, actor: AbstractBaseUser, summary: str,
              origin: str = Case.Origin.MANUAL, priority: int = Case.Priority.NORMAL,
              origin_check: Check | None = None) -> Case:
    """Open a case in `fund` (the actor must work its cases). Returns the case, its 'opened' event written."""
    if not may_act(actor, fund, WORK_CASES):
        raise NotFound
    case = Case.objects.create(
        fund=fund, subject_digest=person.digest, nir_masked=person.masked, origin=origin,
        origin_check=origin_check, summary=summary[:200], priority=priority, due_on=due_date(priority),
        opened_by=actor)
    _event(case, CaseEvent.Kind.OPENED, actor, body=summary)
    if origin_check is not None:
        _event(case, CaseEvent.Kind.CHECK, actor, check_ref=origin_check)
    logger.info("case opened: case=%s fund=%s origin=%s by=%s", case.pk, fund.code, origin, actor.pk)
    return case


@transaction.atomic
def case_open_from_check(*, check: Check, actor: AbstractBaseUser) -> Case:
    """One step from an anomalous check to a case in the check's fund. A check opens at most one case."""
    if check.outcome not in (Check.Outcome.ANOMALY, Check.Outcome.ESCALATED):
        raise ApplicationError("Seule une vérification en anomalie ou transmise ouvre un dossier.")
    if Case.objects.filter(origin_check=check).exists():
        raise ConflictError("Un dossier est déjà ouvert pour cette vérification.")
    person = Person(digest=check.person_digest, masked=check.nir_masked)
    priority = Case.Priority.HIGH if check.kind in HIGH_RISK_KINDS else Case.Priority.NORMAL
    summary = f"{check.get_outcome_display()} lors d'une vérification : {check.get_kind_display().lower()}"
    return case_open(fund=check.fund, person=person, actor=actor, summary=summary, origin=Case.Origin.CHECK,
                     priority=priority, origin_check=check)


@transaction.atomic
def case_comment(*, case: Case, actor: AbstractBaseUser, body: str) -> CaseEvent:
    body = (body or "").strip()
    if not body:
        raise ApplicationError("Le commentaire est vide.")
    case = _locked(case, actor=actor)
    return _event(case, CaseEvent.Kind.COMMENT, actor, body=body)


@transaction.atomic
def case_change_status(*, case: Case, actor: AbstractBaseUser, status: str, closing_reason: str = "",
                       comment: str = "") -> Case:
    """Move a case new → in progress → closed (closing needs a reason; reopening needs a comment)."""
    case = _locked(case, actor=actor)
    if status not in TRANSITIONS.get(case.status, set()):
        raise ApplicationError(f"Passage impossible de « {case.get_status_display()} » "
                               f"à « {Case.Status(status).label if status in Case.Status.values else status} ».")
    if status == Case.Status.CLOSED and closing_reason not in Case.ClosingReason.values:
        raise ApplicationError("Indiquez le motif de clôture.")
    if case.status == Case.Status.CLOSED and not comment.strip():
        raise ApplicationError("Indiquez pourquoi le dossier est rouvert.")
    previous = case.status
    case.status = status
    case.closing_reason = closing_reason if status == Case.Status.CLOSED else ""
    case.closed_at = timezone.now() if status == Case.Status.CLOSED else None
    case.save(update_fields=["status", "closing_reason", "closed_at", "updated_at"])
    parts = [case.get_closing_reason_display() if case.closing_reason else "", comment.strip()]
    _event(case, CaseEvent.Kind.STATUS, actor, from_status=previous, to_status=status,
           body=" — ".join(part for part in parts if part))
    return case


def _check_assignee(case: Case, *, actor: AbstractBaseUser, assignee: AbstractBaseUser | None) -> None:
    if assignee is not None and not case_assignees(fund=case.fund).filter(pk=assignee.pk).exists():
        raise ApplicationError(UNKNOWN_AGENT)  # the same words as for a missing id: no oracle on accounts
    if (assignee is None or assignee.pk != actor.pk) and not user_can(user=actor, case=case, perm=MANAGE):
        raise ApplicationError("Seul un responsable de la caisse attribue un dossier à un autre agent.")


@transaction.atomic
def case_assign(*, case: Case, actor: AbstractBaseUser, assignee: AbstractBaseUser | None) -> Case:
    """Give the case to an agent of its fund ("assign to me" for anyone who works it; others for managers)."""
    case = _locked(case, actor=actor)
    _check_assignee(case, actor=actor, assignee=assignee)
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    _event(case, CaseEvent.Kind.ASSIGNMENT, actor, assignee=assignee)
    return case


@transaction.atomic
def cases_bulk_assign(*, case_ids: list[int], actor: AbstractBaseUser, assignee: AbstractBaseUser | None) -> int:
    """A manager gives several cases of their funds to one agent. All or nothing; returns how many changed.
    NotFound if a case is not theirs; an assignee that is None (no such user) or not of the fund: UNKNOWN_AGENT,
    after the cases are checked, so that the answer says nothing about which accounts exist."""
    cases = list(Case.objects.select_for_update(of=("self",)).select_related("fund").filter(
        pk__in=case_ids, fund__in=funds_of(user=actor, perm=MANAGE_CASES)))
    if len(cases) != len(set(case_ids)) or not cases:
        raise NotFound
    if assignee is None:
        raise ApplicationError(UNKNOWN_AGENT)
    for case in cases:
        _check_assignee(case, actor=actor, assignee=assignee)
    changed = [case for case in cases if case.assignee_id != assignee.pk]
    for case in changed:
        case.assignee = assignee
        case.updated_at = timezone.now()
    bulk_update_with_history(changed, Case, ["assignee", "updated_at"], default_user=actor)  # audit
    CaseEvent.objects.bulk_create([CaseEvent(case=c, kind=CaseEvent.Kind.ASSIGNMENT, actor=actor, assignee=assignee)
                                   for c in changed])
    return len(changed)


@transaction.atomic
def case_share(*, case: Case, actor: AbstractBaseUser, fund: Fund, reason: str) -> Case:
    """Let the agents of another fund (the person moved) work exactly this case. Logged on the timeline."""
    case = _locked(case, actor=actor)
    if not may_act(actor, case.fund_id, WORK_CASES):
        raise ApplicationError("Seule la caisse du dossier peut le partager.")
    if fund.pk == case.fund_id:
        raise ApplicationError("Le dossier appartient déjà à cette caisse.")
    if not reason.strip():
        raise ApplicationError("Indiquez pourquoi le dossier est partagé.")
    assign_perm("casework.work_case", fund_case_group(fund), case)
    _event(case, CaseEvent.Kind.SHARED, actor, fund=fund, body=reason.strip())
    logger.info("case shared: case=%s from=%s to=%s by=%s", case.pk, case.fund.code, fund.code, actor.pk)
    return case


def case_events_for_check(*, check: Check, actor: AbstractBaseUser) -> int:
    """Put a new check on the timeline of the person's open cases in the check's fund."""
    cases = Case.objects.filter(fund=check.fund, subject_digest=check.person_digest).exclude(
        status=Case.Status.CLOSED).exclude(origin_check=check)
    events = [CaseEvent(case=c, kind=CaseEvent.Kind.CHECK, actor=actor, check_ref=check) for c in cases]
    CaseEvent.objects.bulk_create(events)
    return len(events)
