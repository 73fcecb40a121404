"""The timeline of a breach (dated events, each with an optional document) and the 72-hour clock's reminders."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import TimeStamped


class BreachEvent(TimeStamped):
    """One dated event of a breach, optionally with a document checked by its content (PDF, image, e-mail)."""

    class Kind(models.TextChoices):
        DISCOVERY = "discovery", _("Découverte")
        ANALYSIS = "analysis", _("Analyse")
        LETTER_IN = "letter_in", _("Courrier reçu")
        LETTER_OUT = "letter_out", _("Courrier envoyé")
        INSTRUCTION = "instruction", _("Consigne diffusée")
        COHORT = "cohort", _("Cohorte chargée")
        COMMUNICATION = "communication", _("Communication")
        CNIL = "cnil", _("Notification à la CNIL")
        CNIL_FOLLOWUP = "cnil_followup", _("Notification complémentaire à la CNIL")
        CLOSING = "closing", _("Clôture")
        REOPENING = "reopening", _("Réouverture")
        OTHER = "other", _("Autre")

    breach = models.ForeignKey("breaches.Breach", on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("fuite"))
    occurred_at = models.DateTimeField(_("date"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("résumé"))
    document_name = models.CharField(_("document"), max_length=200, blank=True)
    document_type = models.CharField(_("type du document"), max_length=80, blank=True)
    document_size = models.PositiveIntegerField(_("taille du document"), null=True, blank=True)
    document_sha256 = models.CharField(_("empreinte SHA-256 du document"), max_length=64, blank=True)
    document_stored = models.CharField(_("fichier stocké"), max_length=255, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("saisi par"))

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("événement de fuite")
        verbose_name_plural = _("chronologie des fuites")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_kind_display()}"


class ClockReminder(models.Model):
    """A reminder of the 72-hour clock sent to national staff: one row per breach and milestone, so that a beat
    task running twice (or two workers at once) sends it once."""

    breach = models.ForeignKey("breaches.Breach", on_delete=models.CASCADE, related_name="clock_reminders",
                               verbose_name=_("fuite"))
    milestone = models.PositiveSmallIntegerField(_("échéance (heures)"))
    recipients = models.PositiveIntegerField(_("destinataires"), default=0)
    sent_at = models.DateTimeField(_("envoyé le"))

    class Meta:
        ordering = ["breach", "milestone"]
        verbose_name = _("rappel du délai de 72 heures")
        verbose_name_plural = _("rappels du délai de 72 heures")
        constraints = [models.UniqueConstraint(fields=["breach", "milestone"], name="clock_reminder_once")]

    def __str__(self) -> str:
        return f"{self.breach_id} · {self.milestone} h"
