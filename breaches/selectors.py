"""Reads about breaches and the people they hit. Every query a user triggers is scoped by its caller's gate.
Whether a person is in a cohort is not read here: only the register's gate answers it (breaches/lookup/gate.py)."""

import re

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from breaches.models import AffectedPerson, Breach, Cohort
from network.models import Fund
from network.permissions import funds_of, is_national


def is_network_member(*, user: AbstractBaseUser) -> bool:
    return is_national(user) or funds_of(user=user).exists()


def breaches_visible_to(*, user: AbstractBaseUser) -> QuerySet[Breach]:
    """Every breach for national staff and fund users (read-only for the latter); nothing for outsiders.
    `people_count` counts the whole cohort for national staff, only the user's funds' people otherwise."""
    if not is_network_member(user=user):
        return Breach.objects.none()
    people = Q()
    if not is_national(user):
        people = Q(people__fund__in=funds_of(user=user))
    return (Breach.objects.select_related("status_changed_by")
            .annotate(people_count=Count("people", filter=people)).order_by("-discovered_on", "-id"))


def open_breaches() -> QuerySet[Breach]:
    """The breaches not closed, newest first: what the weekly reports cover (counts only, no person)."""
    return Breach.objects.exclude(status=Breach.Status.CLOSED).order_by("-discovered_on", "-id")


def get_breach_for(*, user: AbstractBaseUser, reference: str) -> Breach:
    """The only way to load a breach for a user. Missing and forbidden look the same (404)."""
    return get_object_or_404(breaches_visible_to(user=user), reference=reference)


def breach_search(queryset: QuerySet[Breach], *, query: str = "", status: str = "", severity: str = "",
                  category: str = "", department: str = "") -> QuerySet[Breach]:
    """Filters of the registry list: free text (reference, title, organisations), status, severity, category
    and department (stored comma-separated: matched as a whole item)."""
    if query:
        queryset = queryset.filter(Q(reference__icontains=query) | Q(title__icontains=query)
                                   | Q(organisations__icontains=query) | Q(description__icontains=query))
    if status:
        queryset = queryset.filter(status=status)
    if severity:
        queryset = queryset.filter(severity=severity)
    if category:
        queryset = queryset.filter(data_categories__regex=rf"(^|,){re.escape(category)}(,|$)")
    if department:
        queryset = queryset.filter(departments__regex=rf"(^|,){re.escape(department.upper())}(,|$)")
    return queryset


def cohorts_of(*, breach: Breach) -> QuerySet[Cohort]:
    return breach.cohorts.select_related("created_by").order_by("-created_at")


def counts_by_fund(*, breach: Breach, user: AbstractBaseUser) -> list[dict]:
    """[{fund__code, fund__name, count}] of the breach; fund users get their own funds' rows only."""
    people = AffectedPerson.objects.filter(breach=breach)
    if not is_national(user):
        people = people.filter(fund__in=funds_of(user=user))
    return list(people.values("fund__code", "fund__name").annotate(count=Count("id")).order_by("fund__code"))


def counts_by_department(*, breach: Breach, user: AbstractBaseUser) -> list[dict]:
    people = AffectedPerson.objects.filter(breach=breach)
    if not is_national(user):
        people = people.filter(fund__in=funds_of(user=user))
    return list(people.values("department").annotate(count=Count("id")).order_by("department"))


def unassigned_of(*, breach: Breach) -> QuerySet[AffectedPerson]:
    return AffectedPerson.objects.filter(breach=breach, fund__isnull=True).order_by("department", "postcode", "id")


def unassigned_summary(*, breach: Breach) -> list[dict]:
    """[{department, count}] of the people still to route, the biggest groups first."""
    return list(unassigned_of(breach=breach).values("department").annotate(count=Count("id"))
                .order_by("-count", "department"))


def people_of_fund(*, fund: Fund) -> QuerySet[AffectedPerson]:
    """A fund's affected people (masked), breach joined. The caller has passed the fund gate."""
    return AffectedPerson.objects.filter(fund=fund).select_related("breach").order_by("-breach__discovered_on", "id")


def get_cohort_for(*, user: AbstractBaseUser, cohort_id: int) -> Cohort:
    """Cohorts (files, reports) are national staff's business: anyone else gets 404."""
    if not is_national(user):
        raise Http404
    return get_object_or_404(Cohort.objects.select_related("breach", "created_by"), pk=cohort_id)
