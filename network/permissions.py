"""The gates: who may act where. Every page, endpoint and service asks these; forbidden looks like missing (404),
so ids leak nothing."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user
from rest_framework.permissions import BasePermission

from network.models import Fund, Membership
from network.roles import NATIONAL_PERMISSIONS, VIEW_FUND, codename


def is_national(user: AbstractBaseUser) -> bool:
    """National staff and superusers see the whole network. Cached on the user object for the request."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_vigie_is_national", None)
    if cached is None:
        cached = Membership.objects.filter(user=user, role=Membership.Role.NATIONAL).exists()
        user._vigie_is_national = cached
    return cached


def region_coordinated_by(user: AbstractBaseUser) -> str:
    """The region a regional coordination member reads ('' for everyone else). Cached for the request."""
    if not user.is_authenticated:
        return ""
    cached = getattr(user, "_vigie_region", None)
    if cached is None:
        membership = Membership.objects.filter(user=user, role=Membership.Role.REGIONAL).first()
        cached = membership.region if membership else ""
        user._vigie_region = cached
    return cached


def oversees(user: AbstractBaseUser) -> bool:
    """National staff, or a regional coordination: those who read the network's picture (board, map, reports)."""
    return is_national(user) or bool(region_coordinated_by(user))


def overseen_funds(*, user: AbstractBaseUser) -> QuerySet[Fund]:
    """The funds whose picture the user reads: every fund for national staff, its region's for a regional
    coordination, none otherwise. It gives no right on the funds' people or cases (see funds_of)."""
    if is_national(user):
        return Fund.objects.all()
    region = region_coordinated_by(user)
    return Fund.objects.filter(region=region) if region else Fund.objects.none()


def funds_of(*, user: AbstractBaseUser, perm: str = VIEW_FUND) -> QuerySet[Fund]:
    """The funds this user may act for with `perm`. National staff get every fund for read permissions."""
    if not user.is_authenticated:
        return Fund.objects.none()
    if codename(perm) in NATIONAL_PERMISSIONS and is_national(user):
        return Fund.objects.all()
    return get_objects_for_user(user, perm, klass=Fund, accept_global_perms=False, with_superuser=False)


def may_act(user: AbstractBaseUser, fund: Fund | int, perm: str) -> bool:
    """Whether `user` may act for `fund` (a fund or its id) with `perm`: one query."""
    fund_id = fund if isinstance(fund, int) else fund.pk
    return funds_of(user=user, perm=perm).filter(pk=fund_id).exists()


def national_required(view):
    """Page for national staff only; anyone else signed in gets a 404, anonymous users go to sign-in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_national(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def overseer_required(view):
    """Page for national staff and regional coordinations; anyone else signed in gets a 404."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not oversees(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class IsNational(BasePermission):
    """API endpoints for national staff only: anyone else gets 404."""

    def has_permission(self, request, view) -> bool:
        if not is_national(request.user):
            raise Http404
        return True


def holds_role(user: AbstractBaseUser) -> bool:
    """National staff (superusers included), or a manager or agent of some fund."""
    return is_national(user) or (user.is_authenticated and Membership.objects.filter(user=user).exists())


class HoldsRole(BasePermission):
    """The API's schema and documentation: for accounts holding a role. A signed-in account without one gets 404;
    anonymous requests are refused as unauthenticated."""

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if not holds_role(request.user):
            raise Http404
        return True
