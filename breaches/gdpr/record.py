"""The fields of a breach's GDPR record (article 33(5) documentation), mixed into `Breach` so that its history
(django-simple-history, audit app) keeps every change of every field."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkRole(models.TextChoices):
    CONTROLLER = "controller", _("Responsable de traitement")
    JOINT_CONTROLLER = "joint_controller", _("Responsable conjoint")
    PROCESSOR = "processor", _("Sous-traitant")
    THIRD_PARTY = "third_party", _("Tiers affecté")


# Roles in which the network itself must notify the CNIL within 72 hours (article 33(1)).
CONTROLLER_ROLES = (NetworkRole.CONTROLLER, NetworkRole.JOINT_CONTROLLER)


class Origin(models.TextChoices):
    EXTERNAL_MALICIOUS = "external_malicious", _("Acte malveillant externe")
    INTERNAL_MALICIOUS = "internal_malicious", _("Acte malveillant interne")
    ERROR = "error", _("Erreur (envoi, manipulation)")
    LOSS = "loss", _("Perte ou vol (support, équipement)")
    UNKNOWN = "unknown", _("Inconnue à ce stade")


class InformDecision(models.TextChoices):
    INFORM = "inform", _("Information individuelle des personnes")
    PUBLIC = "public", _("Communication publique")
    NONE = "none", _("Pas d'information des personnes")


class InformGround(models.TextChoices):
    HIGH_RISK = "high_risk", _("Risque élevé pour les droits et libertés des personnes")
    NO_HIGH_RISK = "no_high_risk", _("Pas de risque élevé")
    ENCRYPTED = "encrypted", _("Données inintelligibles (chiffrement)")
    MEASURES = "measures", _("Mesures prises depuis : le risque élevé n'est plus probable")
    DISPROPORTIONATE = "disproportionate", _("Efforts disproportionnés : communication publique à la place")
    NOT_CONTROLLER = "not_controller", _("Le réseau n'est pas responsable du traitement (information par celui-ci)")


class GdprRecord(models.Model):
    """Abstract: the article 33(5) documentation of a breach. Blank until the officer fills it in."""

    network_role = models.CharField(_("rôle du réseau"), max_length=20, choices=NetworkRole.choices, blank=True)
    controller_names = models.TextField(_("responsable(s) du traitement"), blank=True,
                                        help_text=_("Quand ce n'est pas le réseau : un par ligne."))
    processor_names = models.TextField(_("sous-traitant(s)"), blank=True, help_text=_("Un par ligne."))
    aware_at = models.DateTimeField(_("connaissance de la violation le"), null=True, blank=True)
    aware_how = models.TextField(_("comment le réseau en a eu connaissance"), blank=True)
    nature_confidentiality = models.BooleanField(_("atteinte à la confidentialité"), default=False)
    nature_integrity = models.BooleanField(_("atteinte à l'intégrité"), default=False)
    nature_availability = models.BooleanField(_("atteinte à la disponibilité"), default=False)
    origin = models.CharField(_("origine"), max_length=20, choices=Origin.choices, blank=True)
    people_categories = models.TextField(_("catégories de personnes concernées"), blank=True)
    people_approx = models.PositiveIntegerField(_("nombre approximatif de personnes"), null=True, blank=True)
    records_approx = models.PositiveIntegerField(_("nombre approximatif d'enregistrements"), null=True, blank=True)
    consequences = models.TextField(_("conséquences probables"), blank=True)
    measures_taken = models.TextField(_("mesures prises"), blank=True)
    measures_proposed = models.TextField(_("mesures envisagées"), blank=True)
    dpo_opinion = models.TextField(_("avis du délégué à la protection des données"), blank=True)
    cnil_notified_at = models.DateTimeField(_("notifiée à la CNIL le"), null=True, blank=True)
    late_reason = models.TextField(_("motif du retard de notification"), blank=True)
    inform_decision = models.CharField(_("information des personnes (article 34)"), max_length=10,
                                       choices=InformDecision.choices, blank=True)
    inform_ground = models.CharField(_("motif de la décision"), max_length=20, choices=InformGround.choices,
                                     blank=True)
    informed_on = models.DateField(_("personnes informées le"), null=True, blank=True)
    inform_channel = models.CharField(_("canal de la communication"), max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_controller(self) -> bool:
        return self.network_role in CONTROLLER_ROLES

    @property
    def nature_labels(self) -> list[str]:
        flags = [(self.nature_confidentiality, _("confidentialité")), (self.nature_integrity, _("intégrité")),
                 (self.nature_availability, _("disponibilité"))]
        return [str(label) for flag, label in flags if flag]

    @property
    def controller_list(self) -> list[str]:
        return [line.strip() for line in self.controller_names.splitlines() if line.strip()]

    @property
    def processor_list(self) -> list[str]:
        return [line.strip() for line in self.processor_names.splitlines() if line.strip()]
