"""Notices: the e-mails telling a fund about an instruction. Created with the change, sent after commit, once."""

import datetime
import enum
import logging
import smtplib
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from config.errors import ApplicationError
from network.permissions import is_national
from notifications.emails import message_send, notice_message
from notifications.models import Delivery, Instruction, Notice
from notifications.selectors import overdue_deliveries

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (smtplib.SMTPException, OSError)


def notice_key(*, delivery: Delivery, instruction: Instruction, kind: str, suffix: str = "") -> str:
    key = f"{instruction.reference}:{delivery.fund.code}:{kind}:v{instruction.version}"
    return f"{key}:{suffix}" if suffix else key


def notices_queue(*, notice_ids: list[int]) -> int:
    """Hand notices to the broker. If it is down, stop: the sweep queues them once it is back."""
    from notifications.tasks import send_notice

    for queued, notice_id in enumerate(notice_ids):
        try:
            send_notice.apply_async((notice_id,), retry=False)
        except (OperationalError, OSError) as exc:
            logger.warning("broker unreachable, %s notices left for the sweep: %s", len(notice_ids) - queued, exc)
            return queued
    return len(notice_ids)


def _queue_after_commit(notice_ids: list[int]) -> None:
    if notice_ids:
        transaction.on_commit(lambda: notices_queue(notice_ids=notice_ids))


def notices_create(*, instruction: Instruction, kind: str, actor: AbstractBaseUser | None = None,
                   deliveries: list[Delivery] | None = None, suffix: str = "") -> list[Notice]:
    """One notice per delivery of `instruction` (or of `deliveries`), queued once the transaction commits."""
    if deliveries is None:
        deliveries = list(instruction.deliveries.select_related("fund"))
    notices = Notice.objects.bulk_create([
        Notice(delivery=d, kind=kind, version=instruction.version, requested_by=actor,
               key=notice_key(delivery=d, instruction=instruction, kind=kind, suffix=suffix))
        for d in deliveries
    ])
    _queue_after_commit([n.id for n in notices])
    return notices


class Claim(enum.Enum):
    NONE = "none"  # not due, or another worker has it
    FRESH = "fresh"
    TAKEOVER = "takeover"  # a dead worker's claim: an earlier copy may have reached the server


def notice_claim(*, notice_id: int) -> Claim:
    """Compare-and-set: only one worker moves a notice to `sending`. A stale claim (its worker died) can be taken
    over: that is a TAKEOVER, since the dead worker may have had the message accepted just before dying."""
    now = timezone.now()
    lease = now - datetime.timedelta(seconds=settings.NOTICE_SENDING_LEASE)
    due = Q(status=Notice.Status.PENDING) & (Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    stale = Q(status=Notice.Status.SENDING, claimed_at__lt=lease)
    changes = {"status": Notice.Status.SENDING, "claimed_at": now, "attempts": F("attempts") + 1, "updated_at": now}
    if Notice.objects.filter(due, id=notice_id).update(**changes):
        return Claim.FRESH
    if Notice.objects.filter(stale, id=notice_id).update(**changes):
        logger.warning("notice %s taken over after a lost claim: it is sent again and may repeat an earlier one",
                       notice_id)
        return Claim.TAKEOVER
    return Claim.NONE


def retry_delay(attempts: int) -> float:
    return min(settings.NOTICE_RETRY_BACKOFF * 2 ** max(attempts - 1, 0), settings.NOTICE_RETRY_BACKOFF_MAX)


def _record_failure(notice: Notice, error: str) -> float | None:
    """Put the notice back for a later attempt (returns the delay), or mark it failed when attempts are spent."""
    now = timezone.now()
    if notice.attempts >= settings.NOTICE_MAX_ATTEMPTS:
        Notice.objects.filter(id=notice.id, status=Notice.Status.SENDING).update(
            status=Notice.Status.FAILED, last_error=error[:1000], updated_at=now)
        logger.warning("notice failed for good: id=%s attempts=%s", notice.id, notice.attempts)
        return None
    delay = retry_delay(notice.attempts)
    Notice.objects.filter(id=notice.id, status=Notice.Status.SENDING).update(
        status=Notice.Status.PENDING, last_error=error[:1000], updated_at=now,
        retry_at=now + datetime.timedelta(seconds=delay))
    return delay


def notice_send(*, notice_id: int) -> float | None:
    """Claim and send one notice. Returns a delay when the caller should retry, None when done (or not ours)."""
    claim = notice_claim(notice_id=notice_id)
    if claim == Claim.NONE:
        return None
    notice = Notice.objects.select_related("delivery__fund", "delivery__instruction").get(id=notice_id)
    addresses = notice.delivery.fund.notice_addresses
    if not addresses:
        notice.attempts = settings.NOTICE_MAX_ATTEMPTS
        return _record_failure(notice, "La caisse n'a aucune adresse de notification.")
    message = notice_message(notice=notice, addresses=addresses, may_repeat=claim == Claim.TAKEOVER)
    # Built before sending, so that nothing but this one UPDATE sits between the server's answer and `sent`:
    # a worker killed in between is the one case in which a notice goes out twice.
    mark_sent = Notice.objects.filter(id=notice_id, status=Notice.Status.SENDING)
    try:
        message_send(message)
    except TRANSIENT_ERRORS as exc:
        logger.warning("notice %s not sent (attempt %s): %s", notice_id, notice.attempts, exc)
        return _record_failure(notice, f"{type(exc).__name__}: {exc}")
    now = timezone.now()
    mark_sent.update(status=Notice.Status.SENT, sent_at=now, addresses=addresses, last_error="", updated_at=now)
    return None


def notices_sweep() -> int:
    """Re-queue notices stuck in pending (broker lost) or in a claim nobody finished (worker killed)."""
    now = timezone.now()
    grace = now - datetime.timedelta(seconds=settings.NOTICE_PENDING_GRACE)
    lease = now - datetime.timedelta(seconds=settings.NOTICE_SENDING_LEASE)
    Notice.objects.filter(status=Notice.Status.SENDING, claimed_at__lt=lease,
                          attempts__gte=settings.NOTICE_MAX_ATTEMPTS).update(
        status=Notice.Status.FAILED, last_error="Envoi interrompu à chaque tentative.", updated_at=now)
    pending = Q(status=Notice.Status.PENDING, updated_at__lte=grace) & (
        Q(retry_at__isnull=True) | Q(retry_at__lte=grace))
    stale = Q(status=Notice.Status.SENDING, claimed_at__lt=lease)
    ids = list(Notice.objects.filter(pending | stale).order_by("id").values_list("id", flat=True)[:5000])
    if ids:
        logger.info("sweep re-queues %s notices", len(ids))
    return notices_queue(notice_ids=ids)


def _reminder_kind_for(instruction: Instruction) -> str:
    if instruction.status == Instruction.Status.WITHDRAWN:
        return Notice.Kind.WITHDRAWAL
    return Notice.Kind.AMENDMENT if instruction.version > 1 else Notice.Kind.INITIAL


@transaction.atomic
def delivery_resend(*, delivery: Delivery, actor: AbstractBaseUser) -> Notice:
    """National staff send the latest notice to one fund again (e.g. after fixing its addresses)."""
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national peut renvoyer une consigne.")
    instruction = delivery.instruction
    if instruction.status == Instruction.Status.DRAFT:
        raise ApplicationError("Un brouillon n'a pas été envoyé.")
    suffix = f"renvoi-{uuid.uuid4().hex[:8]}"
    notice, = notices_create(instruction=instruction, kind=_reminder_kind_for(instruction), actor=actor,
                             deliveries=[delivery], suffix=suffix)
    logger.info("notice re-sent: delivery=%s by=%s", delivery.pk, actor.pk)
    return notice


def _unanswered(today: datetime.date):
    return Delivery.objects.filter(  # funds named for information owe no answer: never reminded
        for_action=True, instruction__status=Instruction.Status.ISSUED, instruction__reply_by__isnull=False,
        acknowledged_version__lt=F("instruction__version"),
    ).select_related("fund", "instruction")


@transaction.atomic
def reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind funds that have not acknowledged: once before the deadline, once when overdue. Idempotent."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    notices = []
    for delivery in _unanswered(today).filter(instruction__reply_by__lte=soon):
        stage = "retard" if delivery.instruction.reply_by < today else "echeance"
        notices.append(Notice(
            delivery=delivery, kind=Notice.Kind.REMINDER, version=delivery.instruction.version,
            key=notice_key(delivery=delivery, instruction=delivery.instruction, kind="reminder", suffix=stage),
        ))
    existing = set(Notice.objects.filter(key__in=[n.key for n in notices]).values_list("key", flat=True))
    fresh = [n for n in notices if n.key not in existing]
    # ignore_conflicts: a concurrent run may have created some; the unique key keeps one of each.
    Notice.objects.bulk_create(fresh, ignore_conflicts=True)
    ids = list(Notice.objects.filter(key__in=[n.key for n in fresh], status=Notice.Status.PENDING)
               .values_list("id", flat=True))
    _queue_after_commit(ids)
    return len(ids)


@transaction.atomic
def overdue_reminders_send(*, instruction: Instruction, actor: AbstractBaseUser,
                           today: datetime.date | None = None) -> list[Delivery]:
    """National staff chase every late fund of an instruction at once: one reminder per overdue delivery. A fund
    already chased by hand today is not chased twice (the notice key carries the day). Returns the deliveries
    reminded now."""
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national relance les caisses.")
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    today = today or timezone.localdate()
    late = overdue_deliveries(instruction=instruction, today=today)
    suffix = f"manuelle-{today.isoformat()}"
    keys = {d.id: notice_key(delivery=d, instruction=instruction, kind="reminder", suffix=suffix) for d in late}
    done = set(Notice.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    fresh = [d for d in late if keys[d.id] not in done]
    notices = Notice.objects.bulk_create([
        Notice(delivery=d, kind=Notice.Kind.REMINDER, version=instruction.version, requested_by=actor,
               key=keys[d.id]) for d in fresh
    ])
    _queue_after_commit([n.id for n in notices])
    logger.info("overdue funds reminded: instruction=%s funds=%s by=%s", instruction.pk, len(fresh), actor.pk)
    return fresh


def network_reminders_send(*, actor: AbstractBaseUser, today: datetime.date | None = None) -> list[Delivery]:
    """The network view's "Relancer les caisses en retard": every issued instruction's late funds chased at once,
    through `overdue_reminders_send` (one reminder per overdue delivery, none twice the same day)."""
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national relance les caisses.")
    today = today or timezone.localdate()
    late = (Delivery.objects.filter(instruction__status=Instruction.Status.ISSUED, instruction__reply_by__lt=today,
                                    for_action=True).values_list("instruction_id", flat=True).distinct())
    reminded: list[Delivery] = []
    for instruction in Instruction.objects.filter(pk__in=late).order_by("pk"):
        reminded += overdue_reminders_send(instruction=instruction, actor=actor, today=today)
    return reminded
