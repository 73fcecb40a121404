"""Which models keep a history of every change (who, when, what). Their history tables live in this app.

To audit another model, add it to AUDITED below and run makemigrations audit.
"""

from simple_history import register

from breaches.models import Breach, BreachEvent, Cohort
from casework.cases.models import Case
from network.models import Fund, Membership
from notifications.models import Acknowledgement, Delivery, Instruction

# label shown to people -> model
AUDITED = {
    "caisse": Fund,
    "rattachement": Membership,
    "fuite": Breach,
    "chronologie de fuite": BreachEvent,
    "cohorte": Cohort,
    "consigne": Instruction,
    "diffusion": Delivery,
    "accusé de réception": Acknowledgement,
    "dossier": Case,
}
# Fields that change on every heartbeat or counter: kept out of the history.
NOISY_FIELDS = {"updated_at", "progress", "heartbeat_at"}


def history_author(instance, request=None, **kwargs):
    """Who made the change: the signed-in user of the request, else (commands, tasks) the actor a service set as
    `_history_user`, else a field that always names the last actor (`granted_by`); otherwise nobody ("système")."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    explicit = getattr(instance, "_history_user", None)
    if explicit is not None:
        return explicit
    if getattr(instance, "granted_by_id", None):
        return instance.granted_by
    return None


for _model in AUDITED.values():
    _excluded = [f.name for f in _model._meta.fields if f.name in NOISY_FIELDS]
    register(_model, app="audit", excluded_fields=_excluded, get_user=history_author)
