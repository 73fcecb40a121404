"""Instruction templates: national staff save and reuse them; a draft starts from one."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from config.errors import ApplicationError
from network.permissions import is_national
from notifications.models import InstructionTemplate
from notifications.rendering import reject_nir

logger = logging.getLogger(__name__)
TEMPLATE_FIELDS = ("name", "title", "body", "required_actions", "reply_days")


def _check(actor: AbstractBaseUser, fields: dict) -> dict:
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national gère les modèles de consigne.")
    unknown = set(fields) - set(TEMPLATE_FIELDS)
    if unknown:
        raise ApplicationError(f"Champ(s) inconnu(s) : {', '.join(sorted(unknown))}.")
    actions = [str(a).strip() for a in fields.get("required_actions") or [] if str(a).strip()]
    if len(actions) > 50:
        raise ApplicationError("Un modèle compte au plus 50 actions requises.")
    if not str(fields.get("name", "")).strip() or not str(fields.get("title", "")).strip():
        raise ApplicationError("Le nom du modèle et le titre sont obligatoires.")
    if not str(fields.get("body", "")).strip():
        raise ApplicationError("Le texte du modèle est obligatoire.")
    reject_nir(name=fields["name"], title=fields["title"], body=fields["body"], required_actions="\n".join(actions))
    return {**fields, "required_actions": actions}


@transaction.atomic
def template_save(*, actor: AbstractBaseUser, template: InstructionTemplate | None = None,
                  **fields) -> InstructionTemplate:
    """Create a template (template=None) or change one. National staff only; no NIR in any text."""
    fields = _check(actor, fields)
    if InstructionTemplate.objects.filter(name=fields["name"]).exclude(pk=getattr(template, "pk", None)).exists():
        raise ApplicationError("Un modèle porte déjà ce nom.")
    template = template or InstructionTemplate(created_by=actor)
    for name, value in fields.items():
        setattr(template, name, value)
    template.save()
    logger.info("instruction template saved: id=%s by=%s", template.pk, actor.pk)
    return template


@transaction.atomic
def template_delete(*, actor: AbstractBaseUser, template: InstructionTemplate) -> None:
    """Delete a template; instructions drafted from it keep their text."""
    if not is_national(actor):
        raise ApplicationError("Seul le personnel national gère les modèles de consigne.")
    logger.info("instruction template deleted: id=%s by=%s", template.pk, actor.pk)
    template.delete()
