"""A fund's answers to an instruction: receipt, then implementation. Both recorded with who and when."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from config.errors import ApplicationError
from network.permissions import is_national, may_act
from network.roles import ACKNOWLEDGE_INSTRUCTION, VIEW_FUND
from notifications.models import Acknowledgement, Delivery, Instruction, Notice
from notifications.rendering import reject_nir

logger = logging.getLogger(__name__)


def _locked_for_answer(delivery: Delivery, actor: AbstractBaseUser) -> Delivery:
    if not may_act(actor, delivery.fund_id, ACKNOWLEDGE_INSTRUCTION):
        raise ApplicationError("Vous n'êtes pas habilité à répondre pour cette caisse.", extra={"code": "forbidden"})
    delivery = Delivery.objects.select_for_update().select_related("instruction").get(pk=delivery.pk)
    if delivery.instruction.status != Instruction.Status.ISSUED:
        raise ApplicationError("Cette consigne n'est plus en vigueur.")
    return delivery


def _record_receipt(delivery: Delivery, actor: AbstractBaseUser) -> None:
    version = delivery.instruction.version
    Acknowledgement.objects.get_or_create(
        delivery=delivery, version=version, step=Acknowledgement.Step.RECEIPT, defaults={"user": actor})
    delivery.acknowledged_version, delivery.acknowledged_at, delivery.acknowledged_by = version, timezone.now(), actor
    delivery.save(update_fields=["acknowledged_version", "acknowledged_at", "acknowledged_by", "updated_at"])


@transaction.atomic
def delivery_acknowledge(*, delivery: Delivery, actor: AbstractBaseUser) -> Delivery:
    """Acknowledge receipt of the current version. Twice is harmless: the first answer stands."""
    delivery = _locked_for_answer(delivery, actor)
    if delivery.acknowledged_version < delivery.instruction.version:
        _record_receipt(delivery, actor)
        logger.info("instruction acknowledged: delivery=%s version=%s by=%s",
                    delivery.pk, delivery.acknowledged_version, actor.pk)
    return delivery


def _checked_actions(instruction: Instruction, actions_done: list) -> list[int]:
    count = len(instruction.required_actions)
    try:
        done = sorted({int(i) for i in actions_done})
    except (TypeError, ValueError):
        raise ApplicationError("Les actions faites sont données par leur numéro.")
    if any(i < 0 or i >= count for i in done):
        raise ApplicationError("Une action cochée n'existe pas dans cette consigne.")
    missing = [i + 1 for i in range(count) if i not in done]
    if missing:
        raise ApplicationError(
            "Cochez chaque action requise pour attester la mise en œuvre (manquantes : "
            + ", ".join(map(str, missing)) + ").", extra={"missing": missing})
    return done


@transaction.atomic
def delivery_attest(*, delivery: Delivery, actor: AbstractBaseUser, actions_done: list,
                    comment: str = "") -> Delivery:
    """Attest that every required action of the current version is in place (0-based indexes). Implies receipt."""
    delivery = _locked_for_answer(delivery, actor)
    instruction = delivery.instruction
    if not delivery.for_action:
        raise ApplicationError("Votre caisse est destinataire pour information : aucune attestation n'est attendue.")
    if delivery.attested_version >= instruction.version:
        return delivery
    done = _checked_actions(instruction, actions_done)
    reject_nir(comment=comment)
    if delivery.acknowledged_version < instruction.version:
        _record_receipt(delivery, actor)
    Acknowledgement.objects.create(delivery=delivery, version=instruction.version, user=actor,
                                   step=Acknowledgement.Step.IMPLEMENTATION, actions_done=done, comment=comment)
    delivery.attested_version, delivery.attested_at, delivery.attested_by = instruction.version, timezone.now(), actor
    delivery.actions_done, delivery.comment = done, comment.strip()
    delivery.save(update_fields=["attested_version", "attested_at", "attested_by", "actions_done", "comment",
                                 "updated_at"])
    logger.info("instruction implemented: delivery=%s version=%s by=%s", delivery.pk, instruction.version, actor.pk)
    return delivery


def notices_mark_read(*, delivery: Delivery, actor: AbstractBaseUser) -> int:
    """A fund user opened the delivery: its notices leave the unread part of the inbox."""
    if is_national(actor) or not may_act(actor, delivery.fund_id, VIEW_FUND):
        return 0
    return Notice.objects.filter(delivery=delivery, read_at__isnull=True).update(read_at=timezone.now())
