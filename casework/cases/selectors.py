"""Reads about cases. The gate `get_case_for` is the only way to load a case for a user."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from casework.cases.models import Case, CaseEvent
from casework.search import search
from network.groups import fund_case_group_name
from network.models import Fund
from network.permissions import funds_of, is_national
from network.roles import MANAGE_CASES, WORK_CASES

VIEW, WORK, MANAGE = "view", "work", "manage"


def _shared_with(user: AbstractBaseUser) -> QuerySet[Case]:
    """Cases shared with one of the user's funds (guardian group permission on the case itself)."""
    return get_objects_for_user(user, "casework.work_case", klass=Case, use_groups=True,
                                accept_global_perms=False, with_superuser=False)


def cases_for(*, user: AbstractBaseUser, perm: str = VIEW) -> QuerySet[Case]:
    """Cases the user may see (VIEW: national staff see all), work (WORK: own funds' and shared cases) or
    distribute (MANAGE: funds where they hold manage_cases). Joins for the queue are made."""
    if not user.is_authenticated:
        return Case.objects.none()
    if perm == MANAGE:
        cases = Case.objects.filter(fund__in=funds_of(user=user, perm=MANAGE_CASES))
    elif perm == VIEW and is_national(user):
        cases = Case.objects.all()
    else:
        own = Q(fund__in=funds_of(user=user, perm=WORK_CASES))
        cases = Case.objects.filter(own | Q(pk__in=_shared_with(user).values("pk")))
    return cases.select_related("fund", "assignee")


def get_case_for(*, user: AbstractBaseUser, case_id: int, perm: str = VIEW) -> Case:
    """The only way to load a case for a user. Missing and forbidden look the same (404)."""
    case = cases_for(user=user, perm=perm).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def user_can(*, user: AbstractBaseUser, case: Case, perm: str) -> bool:
    return cases_for(user=user, perm=perm).filter(pk=case.pk).exists()


def case_timeline(*, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "assignee", "check_ref", "attachment", "fund").order_by(
        "created_at", "id")


def user_from_input(value, *, me: AbstractBaseUser | None = None) -> AbstractBaseUser | None:
    """The user a form or API value names ("me", or an id), else None (not a number, or no such user)."""
    text = str(value if value is not None else "").strip()
    if text == "me" and me is not None:
        return me
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return get_user_model().objects.filter(pk=int(text)).first()


def case_assignees(*, fund: Fund) -> QuerySet:
    """The users who may be given a case of this fund: those who work its cases."""
    users = get_user_model().objects.filter(groups__name=fund_case_group_name(fund.code), is_active=True)
    return users.order_by("last_name", "first_name", "username")


def queue_assignees(*, user: AbstractBaseUser) -> list:
    """Who the user's queue can be filtered on or handed to: those who work the cases of the user's funds."""
    codes = funds_of(user=user, perm=WORK_CASES).values_list("code", flat=True)
    users = get_user_model().objects.filter(groups__name__in=[fund_case_group_name(c) for c in codes],
                                            is_active=True)
    return list(users.distinct().order_by("last_name", "username"))


def my_cases(*, user: AbstractBaseUser) -> QuerySet[Case]:
    """"Mes dossiers": the open cases assigned to the user (in funds they still work for), soonest due first."""
    return (cases_for(user=user, perm=WORK).filter(assignee=user).exclude(status=Case.Status.CLOSED)
            .order_by("due_on", "priority", "id"))


def queue_filter(cases: QuerySet[Case], *, user: AbstractBaseUser, status: str = "", assignee: str = "",
                 priority: str = "", origin: str = "", overdue: bool = False, query: str = "") -> QuerySet[Case]:
    """The queue's filters. `assignee` is "me", "none" or a user id; the default hides closed cases; `query` a
    case number or a masked NIR (see casework.search)."""
    cases = search(cases, query)
    if status == "open" or not status:
        cases = cases.exclude(status=Case.Status.CLOSED)
    elif status in Case.Status.values:
        cases = cases.filter(status=status)
    if assignee == "me":
        cases = cases.filter(assignee=user)
    elif assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    elif assignee.isdigit():
        cases = cases.filter(assignee_id=int(assignee))
    if priority.isdigit():
        cases = cases.filter(priority=int(priority))
    if origin in Case.Origin.values:
        cases = cases.filter(origin=origin)
    if overdue:
        cases = cases.exclude(status=Case.Status.CLOSED).filter(due_on__lt=today())
    return cases.order_by("priority", "due_on", "id")


def today() -> datetime.date:
    return timezone.localdate()
