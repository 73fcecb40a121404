"""Which models keep a history of every change (who, when, what). Their history tables live in this app.

To audit another model, add it to AUDITED below and run makemigrations audit.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

from breaches.models import Breach, Cohort
from casework.cases.models import Case
from casework.models import Fund, Membership
from notifications.models import Acknowledgement, Delivery, Instruction

# label shown to people -> model
AUDITED = {
    "caisse": Fund,
    "rattachement": Membership,
    "fuite": Breach,
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


class CohortPurge(models.Model):
    """The trace a retention purge leaves: which breach, how many people were erased, when, by whom."""

    breach = models.ForeignKey("breaches.Breach", on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("fuite"))
    breach_reference = models.CharField(_("référence de la fuite"), max_length=12)
    closed_at = models.DateTimeField(_("fuite close le"))
    cohorts = models.PositiveIntegerField(_("cohortes"))
    people = models.PositiveIntegerField(_("personnes effacées"))
    reports = models.PositiveIntegerField(_("rapports de rejets effacés"), default=0)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("lancée par"))
    created_at = models.DateTimeField(_("purgée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("purge de cohortes")
        verbose_name_plural = _("purges de cohortes")

    def __str__(self) -> str:
        return f"{self.breach_reference} · {self.people} personnes · {self.created_at:%Y-%m-%d}"


class KeyRotation(models.Model):
    """Progress of a re-keying of the cohort (breaches.rotation): resumable from `last_person_id`."""

    digest_key_fingerprint = models.CharField(_("empreinte de la clé d'empreinte cible"), max_length=16)
    seal_key_id = models.CharField(_("clé de scellement cible"), max_length=16)
    last_person_id = models.BigIntegerField(_("dernière personne traitée"), default=0)
    people = models.PositiveIntegerField(_("personnes re-chiffrées"), default=0)
    merged = models.PositiveIntegerField(_("doublons fusionnés"), default=0)
    started_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("lancée par"))

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("rotation des clés")
        verbose_name_plural = _("rotations des clés")
        constraints = [
            models.UniqueConstraint(fields=["digest_key_fingerprint", "seal_key_id"],
                                    condition=models.Q(finished_at__isnull=True), name="one_open_rotation_per_target"),
        ]

    def __str__(self) -> str:
        return f"rotation vers {self.seal_key_id} · {self.people} personnes"
