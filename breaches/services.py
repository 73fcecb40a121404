"""Writes about breaches: the registry (create, edit, status) and routing the unassigned people to a fund."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from breaches.gdpr.completeness import missing_for_closing
from breaches.gdpr.models import BreachEvent
from breaches.models import AffectedPerson, Breach, CohortPurge, DataCategory
from breaches.retention import retention_cutoff
from config.errors import ApplicationError
from network.departments import unknown_departments
from network.models import Fund
from network.references import reference_allocate

logger = logging.getLogger(__name__)

EDITABLE_FIELDS = ("title", "description", "organisations", "discovered_on", "reported_on", "data_categories",
                   "departments", "severity", "regulator_reference")
STATUS_ORDER = [Breach.Status.OPEN, Breach.Status.MONITORING, Breach.Status.CLOSED]


def _codes(values: Iterable[str] | str) -> str:
    if isinstance(values, str):
        values = values.replace(";", ",").replace(" ", ",").split(",")
    return ",".join(dict.fromkeys(value.strip().upper() for value in values if value and value.strip()))


def _clean(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.")
    cleaned = dict(fields)
    if "data_categories" in cleaned:
        cleaned["data_categories"] = _codes(cleaned["data_categories"]).lower()
        wrong = set(cleaned["data_categories"].split(",")) - set(DataCategory.values) - {""}
        if wrong:
            raise ApplicationError(f"Catégorie de données inconnue : {', '.join(sorted(wrong))}.")
    if "departments" in cleaned:
        cleaned["departments"] = _codes(cleaned["departments"])
        wrong = unknown_departments(cleaned["departments"].split(",")) if cleaned["departments"] else []
        if wrong:
            raise ApplicationError(f"Département inconnu : {', '.join(wrong)}.")
    reported, discovered = cleaned.get("reported_on"), cleaned.get("discovered_on")
    if reported and discovered and reported < discovered:
        raise ApplicationError("La date de signalement ne peut précéder la date de découverte.")
    return cleaned


@transaction.atomic
def breach_create(*, actor: AbstractBaseUser | None, **fields) -> Breach:
    """A new open breach with the next reference of the year (BR-YYYY-NNNN)."""
    cleaned = _clean(fields)
    breach = Breach.objects.create(
        reference=reference_allocate(series="BR", model=Breach), created_by=actor,
        status_changed_at=timezone.now(), status_changed_by=actor, **cleaned)
    logger.info("breach created: %s by=%s", breach.reference, actor and actor.pk)
    return breach


@transaction.atomic
def breach_update(*, breach: Breach, actor: AbstractBaseUser | None, **fields) -> Breach:
    """Change the description of a breach (not its reference nor its status)."""
    for name, value in _clean(fields).items():
        setattr(breach, name, value)
    breach.save()
    logger.info("breach updated: %s fields=%s by=%s", breach.reference, sorted(fields), actor and actor.pk)
    return breach


class IncompleteRecord(ApplicationError):
    """Closing refused: `missing` lists, in words, the required fields of the breach's role still empty."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("La fuite ne peut pas être close : il manque " + " ; ".join(missing) + ".",
                         extra={"missing": missing})


@transaction.atomic
def breach_set_status(*, breach: Breach, status: str, actor: AbstractBaseUser | None,
                      now: dt.datetime | None = None) -> Breach:
    """Move a breach forward: open -> monitoring -> closed (skipping monitoring is allowed, going back is not:
    see `breach_reopen`). Closing needs a complete GDPR record for the breach's role (IncompleteRecord lists what
    is missing), starts the cohort's retention clock and is written to the timeline."""
    if status not in Breach.Status.values:
        raise ApplicationError("Statut inconnu.")
    now = now or timezone.now()
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if STATUS_ORDER.index(status) <= STATUS_ORDER.index(locked.status):
        raise ApplicationError(f"Passage de « {locked.get_status_display()} » à "
                               f"« {Breach.Status(status).label} » impossible : un statut ne revient pas en arrière.")
    if status == Breach.Status.CLOSED and (missing := missing_for_closing(locked, now=now)):
        raise IncompleteRecord(missing)
    _set_status(locked, status, actor, now)
    if status == Breach.Status.CLOSED:
        BreachEvent.objects.create(breach=locked, kind=BreachEvent.Kind.CLOSING, occurred_at=now, created_by=actor,
                                   summary="Fuite close : le délai de conservation de la cohorte commence.")
    return locked


def _set_status(breach: Breach, status: str, actor, now: dt.datetime) -> None:
    breach.status, breach.status_changed_at, breach.status_changed_by = status, now, actor
    breach._history_user = actor
    breach.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    logger.info("breach status: %s -> %s by=%s", breach.reference, status, actor and actor.pk)


def may_reopen(breach: Breach, *, now: dt.datetime | None = None) -> bool:
    """A closed breach may be reopened while its cohort is kept: before the retention cutoff and any purge."""
    if breach.status != Breach.Status.CLOSED or breach.status_changed_at is None:
        return False
    if breach.status_changed_at < retention_cutoff(now or timezone.now()):
        return False
    return not CohortPurge.objects.filter(breach=breach).exists()


@transaction.atomic
def breach_reopen(*, breach: Breach, actor: AbstractBaseUser | None, reason: str,
                  now: dt.datetime | None = None) -> Breach:
    """Undo a closing (national staff): back to open, within the cohort's retention window only (after a purge the
    people are gone, a reopened breach would be empty). The reason goes to the timeline; the history keeps both."""
    now = now or timezone.now()
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if not reason.strip():
        raise ApplicationError("Indiquez pourquoi la fuite est rouverte.")
    if not may_reopen(locked, now=now):
        raise ApplicationError("Cette fuite ne peut plus être rouverte : elle n'est pas close, ou sa cohorte a "
                               "atteint la fin de sa durée de conservation.")
    _set_status(locked, Breach.Status.OPEN, actor, now)
    BreachEvent.objects.create(breach=locked, kind=BreachEvent.Kind.REOPENING, occurred_at=now, created_by=actor,
                               summary=f"Fuite rouverte : {reason.strip()}")
    return locked


@transaction.atomic
def people_route(*, breach: Breach, fund: Fund, actor: AbstractBaseUser | None, department: str = "",
                 postcode_prefix: str = "", person_ids: Iterable[int] = ()) -> int:
    """Route unassigned people of the breach to `fund`: by department, by postcode prefix, or by id.
    Only people still unassigned move. Returns how many were routed."""
    people = AffectedPerson.objects.filter(breach=breach, fund__isnull=True)
    ids = [int(pk) for pk in person_ids]
    if department:
        people = people.filter(department=department.strip().upper())
    elif postcode_prefix:
        if not postcode_prefix.strip().isdigit():
            raise ApplicationError("Le préfixe de code postal ne contient que des chiffres.")
        people = people.filter(postcode__startswith=postcode_prefix.strip())
    elif ids:
        people = people.filter(id__in=ids)
    else:
        raise ApplicationError("Indiquez un département, un préfixe de code postal ou des personnes.")
    if not fund.is_active:
        raise ApplicationError("Cette caisse n'est plus active.")
    routed = people.update(fund=fund, updated_at=timezone.now())
    logger.info("people routed: breach=%s fund=%s count=%s by=%s", breach.reference, fund.code, routed,
                actor and actor.pk)
    return routed
