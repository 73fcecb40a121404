"""Writes about breaches: the registry (create, edit, status) and routing the unassigned people to a fund."""

import logging
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from breaches.models import AffectedPerson, Breach, DataCategory
from config.errors import ApplicationError
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


@transaction.atomic
def breach_set_status(*, breach: Breach, status: str, actor: AbstractBaseUser | None) -> Breach:
    """Move a breach forward: open -> monitoring -> closed (skipping monitoring is allowed, going back is not)."""
    if status not in Breach.Status.values:
        raise ApplicationError("Statut inconnu.")
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if STATUS_ORDER.index(status) <= STATUS_ORDER.index(locked.status):
        raise ApplicationError(f"Passage de « {locked.get_status_display()} » à "
                               f"« {Breach.Status(status).label} » impossible : un statut ne revient pas en arrière.")
    locked.status, locked.status_changed_at, locked.status_changed_by = status, timezone.now(), actor
    locked.save(update_fields=["status", "status_changed_at", "status_changed_by", "updated_at"])
    logger.info("breach status: %s -> %s by=%s", locked.reference, status, actor and actor.pk)
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
