from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Fund, TimeStamped


class Check(TimeStamped):
    """A vigilance check an agent made on a person. Stores the person's digest and masked NIR, never the NIR."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Vérification d'identité")
        BANK_DETAILS = "bank_details", _("Concordance des coordonnées bancaires")
        ACCOUNT_RECOVERY = "account_recovery", _("Récupération de compte en ligne")
        ADDRESS_CHANGE = "address_change", _("Changement d'adresse")
        OTHER = "other", _("Autre")

    class Channel(models.TextChoices):
        COUNTER = "counter", _("Accueil")
        PHONE = "phone", _("Téléphone")
        MAIL = "mail", _("Courrier")
        ONLINE = "online", _("En ligne")

    class Outcome(models.TextChoices):
        COMPLIANT = "compliant", _("Conforme")
        ANOMALY = "anomaly", _("Anomalie")
        REFUSED = "refused", _("Demande refusée")
        ESCALATED = "escalated", _("Transmise")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="checks", verbose_name=_("caisse"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checks",
                              verbose_name=_("agent"))
    person_digest = models.CharField(_("empreinte du NIR"), max_length=64)
    nir_masked = models.CharField(_("NIR masqué"), max_length=32)
    person_flagged = models.BooleanField(_("personne exposée"), default=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    iban_digest = models.CharField(_("empreinte de l'IBAN"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("vérification")
        verbose_name_plural = _("vérifications")
        indexes = [models.Index(fields=["fund", "created_at"], name="check_fund_created"),
                   models.Index(fields=["person_digest"], name="check_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.nir_masked} · {self.get_outcome_display()}"
