"""Helpers to build instructions through the services (never bypassing them)."""

import datetime

from django.utils import timezone

from notifications import services
from notifications.services import TargetSpec


def draft(actor, *, targets=None, actions=None, reply_by=None, title="Vigilance RIB", **extra):
    return services.instruction_create(
        actor=actor, title=title,
        body="Suite à la fuite, **vérifiez** l'identité de tout appelant.",
        required_actions=actions if actions is not None else [
            "Vérifier que le titulaire du RIB est l'assuré avant tout changement",
            "Exiger une pièce d'identité pour toute récupération de compte",
        ],
        targets=targets or TargetSpec(targeting="all"),
        reply_by=reply_by or timezone.localdate() + datetime.timedelta(days=7),
        **extra,
    )


def issued(actor, **kwargs):
    return services.instruction_issue(instruction=draft(actor, **kwargs), actor=actor)
