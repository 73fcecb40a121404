"""Writes to a breach's GDPR record: its fields, its timeline (with documents) and the 72-hour clock's reminders."""

import datetime as dt
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from breaches.gdpr.clock import NOTIFY_WITHIN, clock_of, milestone_due
from breaches.gdpr.models import BreachEvent, ClockReminder
from breaches.gdpr.record import CONTROLLER_ROLES, InformDecision, InformGround, NetworkRole, Origin
from breaches.models import Breach
from config.errors import ApplicationError
from config.uploads import CONTENT_TYPES, MB, store_upload, upload_check

logger = logging.getLogger(__name__)

RECORD_FIELDS = ("network_role", "controller_names", "processor_names", "aware_at", "aware_how",
                 "nature_confidentiality", "nature_integrity", "nature_availability", "origin", "people_categories",
                 "people_approx", "records_approx", "consequences", "measures_taken", "measures_proposed",
                 "dpo_opinion", "cnil_notified_at", "regulator_reference", "late_reason", "inform_decision",
                 "inform_ground", "informed_on", "inform_channel")
CHOICES = {"network_role": NetworkRole, "origin": Origin, "inform_decision": InformDecision,
           "inform_ground": InformGround}
_NULLABLE = {"aware_at", "people_approx", "records_approx", "cnil_notified_at", "informed_on"}
DOCUMENT_KINDS = {"pdf", "png", "jpeg", "eml"}
DOCUMENT_MAX_BYTES = 20 * MB


def _check_choices(fields: dict) -> None:
    for name, choices in CHOICES.items():
        if fields.get(name) and fields[name] not in choices.values:
            raise ApplicationError(f"Valeur inconnue pour « {name} » : {fields[name]}.")


def _check_dates(breach: Breach, now: dt.datetime) -> None:
    if breach.aware_at and breach.aware_at > now:
        raise ApplicationError("La prise de connaissance ne peut pas être dans le futur.")
    if breach.cnil_notified_at and breach.cnil_notified_at > now:
        raise ApplicationError("La notification à la CNIL ne peut pas être dans le futur.")
    if breach.cnil_notified_at and breach.aware_at and breach.cnil_notified_at < breach.aware_at:
        raise ApplicationError("La notification à la CNIL ne peut précéder la prise de connaissance.")


def _check_late_reason(breach: Breach) -> None:
    """Article 33(1): a notification made after 72 hours states the reasons for the delay."""
    if breach.network_role not in CONTROLLER_ROLES or not (breach.cnil_notified_at and breach.aware_at):
        return
    if breach.cnil_notified_at > breach.aware_at + NOTIFY_WITHIN and not breach.late_reason.strip():
        raise ApplicationError("La notification a été faite après le délai de 72 heures : indiquez le motif du "
                               "retard (article 33, paragraphe 1, du RGPD).")


@transaction.atomic
def breach_record_update(*, breach: Breach, actor: AbstractBaseUser | None, now: dt.datetime | None = None,
                         **fields) -> Breach:
    """Change fields of the breach's GDPR record (national staff: the caller has passed the gate). Refuses unknown
    fields and values, dates in the future, and a late CNIL notification without its reason. The first recording
    of the CNIL notification adds it to the timeline. Every change lands in the breach's history."""
    now = now or timezone.now()
    unknown = set(fields) - set(RECORD_FIELDS)
    if unknown:
        raise ApplicationError(f"Champs non modifiables : {', '.join(sorted(unknown))}.")
    _check_choices(fields)
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    newly_notified = locked.cnil_notified_at is None and fields.get("cnil_notified_at") is not None
    for name, value in fields.items():
        setattr(locked, name, "" if value is None and name not in _NULLABLE else value)
    _check_dates(locked, now)
    _check_late_reason(locked)
    locked._history_user = actor
    locked.save()
    if newly_notified:
        _event(locked, BreachEvent.Kind.CNIL, actor, locked.cnil_notified_at,
               f"Notification à la CNIL (référence {locked.regulator_reference or 'à compléter'}).")
    logger.info("breach record updated: %s fields=%s by=%s", locked.reference, sorted(fields), actor and actor.pk)
    return locked


def _event(breach: Breach, kind: str, actor, occurred_at: dt.datetime, summary: str, **document) -> BreachEvent:
    return BreachEvent.objects.create(breach=breach, kind=kind, occurred_at=occurred_at, summary=summary,
                                      created_by=actor, **document)


def documents_root() -> Path:
    return Path(settings.PRIVATE_ROOT) / "breach-documents"


def _store_document(breach: Breach, upload) -> dict:
    kind = upload_check(upload, allowed=DOCUMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES)
    stored = f"{breach.reference}/{uuid.uuid4().hex}{Path(upload.name).suffix.lower()}"
    path = documents_root() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    sha256 = store_upload(upload, path, exclusive=True)
    return {"document_name": Path(upload.name).name[:200], "document_type": CONTENT_TYPES[kind],
            "document_size": upload.size, "document_sha256": sha256, "document_stored": stored}


@transaction.atomic
def breach_event_add(*, breach: Breach, actor: AbstractBaseUser | None, kind: str, occurred_at: dt.datetime,
                     summary: str, upload=None, now: dt.datetime | None = None) -> BreachEvent:
    """Add a dated event to the breach's timeline, with an optional document checked by its content (PDF, PNG,
    JPEG or e-mail file .eml; the name's extension must match). National staff: the caller has passed the gate."""
    if kind not in BreachEvent.Kind.values:
        raise ApplicationError("Type d'événement inconnu.")
    if not summary.strip():
        raise ApplicationError("Décrivez l'événement.")
    if occurred_at > (now or timezone.now()):
        raise ApplicationError("Un événement de la chronologie ne peut pas être dans le futur.")
    document = _store_document(breach, upload) if upload else {}
    try:
        event = _event(breach, kind, actor, occurred_at, summary.strip(), **document)
    except Exception:
        if document:  # no orphan file when the row is not written
            (documents_root() / document["document_stored"]).unlink(missing_ok=True)
        raise
    logger.info("breach event added: %s kind=%s document=%s by=%s", breach.reference, kind, bool(document),
                actor and actor.pk)
    return event


def document_path(event: BreachEvent) -> Path:
    return documents_root() / event.document_stored


def _national_addresses() -> list[str]:
    users = get_user_model().objects.filter(memberships__role="national", is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _remind(breach: Breach, milestone: int, now: dt.datetime) -> int:
    """Claim the milestone (one row per breach and milestone) and send its e-mail in the same transaction: a second
    run finds the row (or waits for the first run's commit on its unique index) and sends nothing."""
    with transaction.atomic():
        reminder, created = ClockReminder.objects.get_or_create(breach=breach, milestone=milestone,
                                                               defaults={"sent_at": now})
        if not created:
            return 0
        addresses = _national_addresses()
        clock = clock_of(breach, now=now)
        context = {"breach": breach, "milestone": milestone, "clock": clock, "late": milestone >= 72,
                   "url": settings.SITE_URL + reverse("breaches:breach-detail", args=[breach.reference])}
        subject = (f"[Vigie] {breach.reference} : délai de 72 heures dépassé" if milestone >= 72 else
                   f"[Vigie] {breach.reference} : {milestone} h depuis la prise de connaissance, notification CNIL")
        if addresses:
            EmailMessage(subject=subject, body=render_to_string("breaches/email/clock_reminder.txt", context),
                         to=addresses).send()
        reminder.recipients = len(addresses)
        reminder.save(update_fields=["recipients"])
    logger.info("clock reminder: %s milestone=%sh recipients=%s", breach.reference, milestone, len(addresses))
    return 1


def clock_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind national staff of each running 72-hour clock at 24 h, 48 h and 66 h, and once when it is late (72 h).
    Only the latest milestone reached is sent (a clock first seen at 50 h gets the 48 h reminder, not 24 h too).
    Idempotent: returns how many reminders this run sent."""
    now = now or timezone.now()
    candidates = (Breach.objects.filter(network_role__in=CONTROLLER_ROLES, aware_at__isnull=False,
                                        cnil_notified_at__isnull=True)
                  .exclude(status=Breach.Status.CLOSED))
    sent = 0
    for breach in candidates:
        milestone = milestone_due(breach, now=now)
        if milestone is not None:
            sent += _remind(breach, milestone, now)
    return sent
