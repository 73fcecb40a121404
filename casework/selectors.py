"""Reads about the network and who may act where. Every page and endpoint goes through these."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from guardian.shortcuts import get_objects_for_user

from casework.models import Fund, FundDepartment, Membership
from casework.roles import NATIONAL_PERMISSIONS, short_name


def is_national(user: AbstractBaseUser) -> bool:
    """National staff and superusers see the whole network."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_vigie_is_national", None)
    if cached is None:
        cached = Membership.objects.filter(user=user, role=Membership.Role.NATIONAL).exists()
        user._vigie_is_national = cached
    return cached


def funds_with_departments() -> QuerySet[Fund]:
    departments = FundDepartment.objects.order_by("department")
    return Fund.objects.prefetch_related(Prefetch("departments", queryset=departments))


def funds_of(*, user: AbstractBaseUser, perm: str = "casework.view_fund") -> QuerySet[Fund]:
    """The funds this user may act for with `perm`. National staff get every fund for read permissions."""
    if not user.is_authenticated:
        return Fund.objects.none()
    if short_name(perm) in NATIONAL_PERMISSIONS and is_national(user):
        return Fund.objects.all()
    return get_objects_for_user(user, perm, klass=Fund, accept_global_perms=False, with_superuser=False)


def fund_ids_of(*, user: AbstractBaseUser, perm: str = "casework.view_fund") -> list[int]:
    return list(funds_of(user=user, perm=perm).values_list("id", flat=True))


def get_fund_for(*, user: AbstractBaseUser, code: str, perm: str = "casework.view_fund") -> Fund:
    """The only way to load a fund for a user. Missing and forbidden look the same (404)."""
    return get_object_or_404(funds_with_departments().filter(id__in=funds_of(user=user, perm=perm)), code=code)


def memberships_of(*, user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("fund").order_by("role", "fund__code")


def primary_fund(*, user: AbstractBaseUser) -> Fund | None:
    """The fund a fund user works for (the first, by code, when they have several)."""
    membership = memberships_of(user=user).exclude(fund=None).first()
    return membership.fund if membership else None


def funds_for_department(*, department: str) -> QuerySet[Fund]:
    return Fund.objects.filter(departments__department=department, is_active=True)
