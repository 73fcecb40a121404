from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Fund, TimeStamped


class SignalBatch(TimeStamped):
    """One load of risk signals (file or API). Signals that hit nobody are kept only as these counts."""

    class Source(models.TextChoices):
        API = "api", _("API")
        FILE = "file", _("Fichier")

    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("chargé par"))
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    received = models.PositiveIntegerField(_("signaux reçus"), default=0)
    matched = models.PositiveIntegerField(_("personnes exposées"), default=0)
    cases_opened = models.PositiveIntegerField(_("dossiers ouverts"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lot de signaux")
        verbose_name_plural = _("lots de signaux")

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.received} signaux · {self.matched} concordances"


class IbanSighting(models.Model):
    """An IBAN digest seen with a person's digest in a fund (from a signal or a check): mule-account detection."""

    iban_digest = models.CharField(max_length=64, verbose_name=_("empreinte de l'IBAN"))
    person_digest = models.CharField(max_length=64, verbose_name=_("empreinte du NIR"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+", verbose_name=_("caisse"))
    first_seen_at = models.DateTimeField(auto_now_add=True, verbose_name=_("vu pour la première fois le"))

    class Meta:
        verbose_name = _("IBAN observé")
        verbose_name_plural = _("IBAN observés")
        constraints = [models.UniqueConstraint(fields=["iban_digest", "person_digest", "fund"],
                                               name="iban_sighting_once")]
        indexes = [models.Index(fields=["iban_digest"], name="iban_sighting_digest")]

    def __str__(self) -> str:
        return f"{self.iban_digest[:12]}… · {self.fund_id}"


class SharedAccountAlert(TimeStamped):
    """The same IBAN on several different people: a probable mule account. Seen by each fund concerned."""

    iban_digest = models.CharField(max_length=64, unique=True, verbose_name=_("empreinte de l'IBAN"))
    people_count = models.PositiveIntegerField(_("personnes"))
    funds = models.ManyToManyField(Fund, related_name="shared_account_alerts", verbose_name=_("caisses concernées"))

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("alerte compte partagé")
        verbose_name_plural = _("alertes comptes partagés")

    def __str__(self) -> str:
        return f"Alerte n° {self.pk} · {self.people_count} personnes"

    @property
    def reference(self) -> str:
        """A short, non-reversible handle agents can quote between funds."""
        return self.iban_digest[:10].upper()
