"""Reads about checks, scoped to the funds the user may see."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from casework.checks.models import Check
from network.permissions import funds_of
from network.roles import VIEW_FUND


def checks_for(*, user: AbstractBaseUser, perm: str = VIEW_FUND) -> QuerySet[Check]:
    """Checks of the funds where the user holds `perm` (every fund for national staff, for reading), newest
    first, with their joins."""
    return Check.objects.filter(fund__in=funds_of(user=user, perm=perm)).select_related("fund", "agent", "case")


def get_check_for(*, user: AbstractBaseUser, check_id: int, perm: str = VIEW_FUND) -> Check:
    """The only way to load a check for a user. Missing and forbidden look the same (404)."""
    check = checks_for(user=user, perm=perm).filter(pk=check_id).first()
    if check is None:
        raise Http404
    return check
