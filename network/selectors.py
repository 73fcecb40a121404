"""Reads about the network: funds, their departments, a user's memberships."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from network.models import Fund, FundDepartment, Membership
from network.permissions import funds_of, overseen_funds
from network.regions import regions
from network.roles import VIEW_FUND


def funds_with_departments() -> QuerySet[Fund]:
    departments = FundDepartment.objects.order_by("department")
    return Fund.objects.prefetch_related(Prefetch("departments", queryset=departments))


def get_fund_for(*, user: AbstractBaseUser, code: str, perm: str = VIEW_FUND) -> Fund:
    """The only way to load a fund for a user. Missing and forbidden look the same (404)."""
    return get_object_or_404(funds_with_departments().filter(id__in=funds_of(user=user, perm=perm)), code=code)


def get_fund_page_for(*, user: AbstractBaseUser, code: str) -> Fund:
    """A fund's page: its members, national staff, and the regional coordination of its region (which reads the
    fund's picture, not its people). Missing and forbidden look the same (404)."""
    # Two IN subqueries, not a UNION: SQLite refuses a compound subquery whose parts are ordered (Fund's Meta).
    readable = Q(id__in=funds_of(user=user).values("id")) | Q(id__in=overseen_funds(user=user).values("id"))
    return get_object_or_404(funds_with_departments().filter(readable), code=code)


def regions_overseen(*, user: AbstractBaseUser) -> list[tuple[str, str]]:
    """(code, name) of the regions whose funds the user reads (overseen_funds), in code order."""
    codes = set(overseen_funds(user=user).values_list("region", flat=True)) - {""}
    return [(code, name) for code, name in regions().items() if code in codes]


def memberships_of(*, user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("fund").order_by("role", "fund__code")


def primary_fund(*, user: AbstractBaseUser) -> Fund | None:
    """The fund a fund user works for (the first, by code, when they have several)."""
    membership = memberships_of(user=user).exclude(fund=None).first()
    return membership.fund if membership else None
