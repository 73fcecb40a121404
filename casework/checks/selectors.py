"""Reads about checks, scoped to the funds the user may see."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from casework.checks.models import Check
from casework.selectors import funds_of


def checks_for(*, user: AbstractBaseUser) -> QuerySet[Check]:
    """Checks of the funds the user sees (every fund for national staff), newest first, with their joins."""
    return Check.objects.filter(fund__in=funds_of(user=user)).select_related("fund", "agent", "case")


def get_check_for(*, user: AbstractBaseUser, check_id: int) -> Check:
    """The only way to load a check for a user. Missing and forbidden look the same (404)."""
    check = checks_for(user=user).filter(pk=check_id).first()
    if check is None:
        raise Http404
    return check
