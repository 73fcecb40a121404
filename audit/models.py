"""Which models keep a history of every change (who, when, what). Their history tables live in this app.

To audit another model, add it to AUDITED below and run makemigrations audit.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
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


# The columns simple-history adds to every history table carry no verbose name of their own (the admin would show
# "history date"): named here, on the history models this app owns.
HISTORY_FIELD_NAMES = {
    "history_id": _("n° de l'entrée"),
    "history_date": _("date de la modification"),
    "history_change_reason": _("motif de la modification"),
    "history_type": _("type de modification"),
    "history_user": _("modifié par"),
}


def _name_history_fields(history_model) -> None:
    for name, label in HISTORY_FIELD_NAMES.items():
        history_model._meta.get_field(name).verbose_name = label


for _model in AUDITED.values():
    _excluded = [f.name for f in _model._meta.fields if f.name in NOISY_FIELDS]
    # History is read by object id and date, never by a foreign key: their indexes would only slow each write (a
    # signal batch writes 20,000 case history rows at once).
    _unindexed = [f.name for f in _model._meta.fields if f.is_relation]
    register(_model, app="audit", excluded_fields=_excluded, get_user=history_author, no_db_index=_unindexed,
             verbose_name=format_lazy(_("historique — {}"), _model._meta.verbose_name),
             verbose_name_plural=format_lazy(_("historique — {}"), _model._meta.verbose_name_plural))
    _name_history_fields(_model.history.model)
