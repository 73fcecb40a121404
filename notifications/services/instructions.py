"""Drafting, issuing, amending and withdrawing an instruction."""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.errors import ApplicationError, ConflictError
from network.models import Fund, FundDepartment
from network.permissions import is_national
from network.references import reference_allocate
from notifications.models import Delivery, Instruction, InstructionVersion, Notice
from notifications.rendering import reject_foreign_content, reject_nir
from notifications.services.notices import notices_create

logger = logging.getLogger(__name__)
DRAFT_FIELDS = {"title", "body", "required_actions", "reply_by", "effective_date", "nature", "follows", "breach"}


@dataclass(frozen=True)
class TargetSpec:
    """Who an instruction goes to: every fund, the funds of some departments, or chosen funds (by code)."""

    targeting: str
    departments: list[str] = field(default_factory=list)
    funds: list[str] = field(default_factory=list)
    for_information: list[str] = field(default_factory=list)

    @classmethod
    def from_payload(cls, payload: dict) -> "TargetSpec":
        """Read the API's shape: {"all": true} | {"departments": [...]} | {"funds": [...]}, + "for_information"."""
        if not isinstance(payload, dict):
            raise ApplicationError("Les destinataires doivent être un objet.")
        info = [str(c).strip() for c in payload.get("for_information") or []]
        chosen = [k for k in ("all", "departments", "funds") if payload.get(k)]
        if len(chosen) != 1:
            raise ApplicationError("Choisissez un seul mode de destinataires : all, departments ou funds.")
        mode = chosen[0]
        values = [] if mode == "all" else [str(v).strip() for v in payload[mode]]
        return cls(targeting=mode, for_information=info,
                   departments=values if mode == "departments" else [], funds=values if mode == "funds" else [])


def _require_national(actor: AbstractBaseUser) -> None:
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national gère les consignes.")


def _funds_by_code(codes: list[str]) -> list[Fund]:
    funds = list(Fund.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {f.code for f in funds})
    if missing:
        raise ApplicationError(f"Caisse(s) inconnue(s) : {', '.join(missing)}.")
    return funds


def _check_targets(spec: TargetSpec) -> None:
    if spec.targeting == Instruction.Targeting.DEPARTMENTS:
        known = set(FundDepartment.objects.filter(department__in=spec.departments).values_list("department", flat=True))
        unknown = sorted(set(spec.departments) - known)
        if unknown:
            raise ApplicationError(f"Département(s) sans caisse : {', '.join(unknown)}.")
    elif spec.targeting == Instruction.Targeting.FUNDS:
        _funds_by_code(spec.funds)
    elif spec.targeting != Instruction.Targeting.ALL:
        raise ApplicationError("Mode de destinataires inconnu.")


def _clean_actions(actions: list[str]) -> list[str]:
    cleaned = [str(a).strip() for a in actions or [] if str(a).strip()]
    if len(cleaned) > 50:
        raise ApplicationError("Une consigne compte au plus 50 actions requises.")
    return cleaned


def _check_dates(effective_date: datetime.date | None, reply_by: datetime.date | None) -> None:
    if effective_date and reply_by and reply_by < effective_date:
        raise ApplicationError("La date de réponse attendue ne peut pas précéder la date d'effet.",
                               extra={"field": "reply_by"})


def _validate_content(*, title: str, body: str, required_actions: list[str],
                      effective_date: datetime.date | None = None, reply_by: datetime.date | None = None) -> None:
    _check_dates(effective_date, reply_by)
    if not title.strip():
        raise ApplicationError("Le titre est obligatoire.")
    if not body.strip():
        raise ApplicationError("Le texte de la consigne est obligatoire.")
    reject_nir(title=title, body=body, required_actions="\n".join(required_actions))
    reject_foreign_content(body=body, required_actions="\n".join(required_actions))


def _apply_targets(instruction: Instruction, spec: TargetSpec) -> None:
    _check_targets(spec)
    instruction.targeting = spec.targeting
    instruction.target_departments = sorted(set(spec.departments))
    instruction.save(update_fields=["targeting", "target_departments", "updated_at"])
    instruction.target_funds.set(_funds_by_code(spec.funds) if spec.funds else [])
    instruction.information_funds.set(_funds_by_code(spec.for_information) if spec.for_information else [])


@transaction.atomic
def instruction_create(*, actor: AbstractBaseUser, title: str, body: str, targets: TargetSpec,
                       required_actions: list[str] | None = None, reply_by: datetime.date | None = None,
                       effective_date: datetime.date | None = None, nature: str = Instruction.Nature.NEW,
                       follows: Instruction | None = None, **extra) -> Instruction:
    """Create a draft (national staff only). Follow-up natures must name the instruction they follow."""
    _require_national(actor)
    actions = _clean_actions(required_actions or [])
    _validate_content(title=title, body=body, required_actions=actions, effective_date=effective_date,
                      reply_by=reply_by)
    if nature != Instruction.Nature.NEW and follows is None:
        raise ApplicationError("Une consigne modificative, complémentaire ou de suivi doit citer la consigne suivie.")
    instruction = Instruction(
        title=title.strip(), body=body, required_actions=actions, reply_by=reply_by, effective_date=effective_date,
        nature=nature, follows=follows if nature != Instruction.Nature.NEW else None, author=actor,
        targeting=targets.targeting, **extra,
    )
    instruction.reference = reference_allocate(series="VIG", model=Instruction)
    instruction.save()
    _apply_targets(instruction, targets)
    logger.info("instruction drafted: id=%s by=%s", instruction.pk, actor.pk)
    return instruction


AMENDABLE_FIELDS = frozenset({"title", "body", "required_actions", "reply_by", "effective_date"})


def _apply_content(instruction: Instruction, fields: dict, *, allowed) -> None:
    """Set the changed fields on `instruction` (not saved), refusing any other field, and validate the result."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ApplicationError(f"Champ(s) non modifiable(s) : {', '.join(sorted(unknown))}.")
    if "required_actions" in fields:
        fields["required_actions"] = _clean_actions(fields["required_actions"])
    for name, value in fields.items():
        setattr(instruction, name, value)
    _validate_content(title=instruction.title, body=instruction.body, required_actions=instruction.required_actions,
                      effective_date=instruction.effective_date, reply_by=instruction.reply_by)


@transaction.atomic
def instruction_update(*, instruction: Instruction, actor: AbstractBaseUser, targets: TargetSpec | None = None,
                       **fields) -> Instruction:
    """Change a draft. Issued instructions change only through `instruction_amend`."""
    _require_national(actor)
    instruction = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if instruction.status != Instruction.Status.DRAFT:
        raise ConflictError("Seul un brouillon peut être modifié ; une consigne émise s'amende.")
    _apply_content(instruction, fields, allowed=DRAFT_FIELDS)
    instruction.save()
    if targets is not None:
        _apply_targets(instruction, targets)
    return instruction


def target_funds_resolve(*, instruction: Instruction) -> list[tuple[Fund, bool]]:
    """The active funds an instruction goes to, each with `for_action` (False: for information only).

    A fund named for information receives the instruction even when the targeting does not reach it; if the
    targeting does reach it, "for information" wins (it is the more precise choice)."""
    targeted = Q(is_active=True)
    if instruction.targeting == Instruction.Targeting.DEPARTMENTS:
        targeted &= Q(departments__department__in=instruction.target_departments)
    elif instruction.targeting == Instruction.Targeting.FUNDS:
        targeted &= Q(id__in=instruction.target_funds.values("id"))
    info_ids = set(instruction.information_funds.values_list("id", flat=True))
    funds = Fund.objects.filter(targeted | Q(is_active=True, id__in=info_ids)).distinct().order_by("code")
    return [(fund, fund.id not in info_ids) for fund in funds]


def _snapshot(instruction: Instruction, actor: AbstractBaseUser, changes: str = "") -> None:
    InstructionVersion.objects.create(
        instruction=instruction, number=instruction.version, title=instruction.title, body=instruction.body,
        required_actions=instruction.required_actions, reply_by=instruction.reply_by, changes=changes,
        created_by=actor,
    )


def _locked(instruction: Instruction, expected: str) -> Instruction:
    locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if locked.status != expected:
        messages = {"draft": "Cette consigne n'est pas un brouillon.", "issued": "Cette consigne n'est pas en vigueur."}
        raise ConflictError(messages[expected])
    return locked


@transaction.atomic
def instruction_issue(*, instruction: Instruction, actor: AbstractBaseUser) -> Instruction:
    """Issue a draft: one delivery per target fund and their notices, in this transaction; sending after commit."""
    _require_national(actor)
    instruction = _locked(instruction, Instruction.Status.DRAFT)
    targets = target_funds_resolve(instruction=instruction)
    if not targets:
        raise ApplicationError("Aucune caisse active ne correspond aux destinataires choisis.")
    instruction.status, instruction.version = Instruction.Status.ISSUED, 1
    instruction.issued_by, instruction.issued_at = actor, timezone.now()
    instruction.save(update_fields=["status", "version", "issued_by", "issued_at", "updated_at"])
    _snapshot(instruction, actor)
    bulk_create_with_history(  # audit: one history row per delivery, with its author
        [Delivery(instruction=instruction, fund=fund, for_action=for_action) for fund, for_action in targets],
        Delivery, default_user=actor,
    )
    notices_create(instruction=instruction, kind=Notice.Kind.INITIAL, actor=actor)
    logger.info("instruction issued: id=%s funds=%s by=%s", instruction.pk, len(targets), actor.pk)
    return instruction


@transaction.atomic
def instruction_amend(*, instruction: Instruction, actor: AbstractBaseUser, changes: str, **fields) -> Instruction:
    """A new version of an issued instruction; every target fund is notified and must acknowledge it again."""
    _require_national(actor)
    instruction = _locked(instruction, Instruction.Status.ISSUED)
    if not changes.strip():
        raise ApplicationError("Décrivez ce qui change dans cette nouvelle version.")
    _apply_content(instruction, fields, allowed=AMENDABLE_FIELDS)
    reject_nir(changes=changes)
    instruction.version += 1
    instruction.save()
    _snapshot(instruction, actor, changes=changes.strip())
    notices_create(instruction=instruction, kind=Notice.Kind.AMENDMENT, actor=actor)
    logger.info("instruction amended: id=%s version=%s by=%s", instruction.pk, instruction.version, actor.pk)
    return instruction


@transaction.atomic
def instruction_withdraw(*, instruction: Instruction, actor: AbstractBaseUser, reason: str) -> Instruction:
    """Withdraw an issued instruction; every target fund is told."""
    _require_national(actor)
    instruction = _locked(instruction, Instruction.Status.ISSUED)
    if not reason.strip():
        raise ApplicationError("Indiquez le motif du retrait.")
    reject_nir(reason=reason)
    instruction.status = Instruction.Status.WITHDRAWN
    instruction.withdrawn_by, instruction.withdrawn_at = actor, timezone.now()
    instruction.withdrawal_reason = reason.strip()
    instruction.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason", "updated_at"])
    notices_create(instruction=instruction, kind=Notice.Kind.WITHDRAWAL, actor=actor)
    logger.info("instruction withdrawn: id=%s by=%s", instruction.pk, actor.pk)
    return instruction
