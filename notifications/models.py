"""Vigilance instructions, their deliveries to the funds, the notices e-mailed and the acknowledgements."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import Fund, TimeStamped


class Instruction(TimeStamped):
    """A vigilance instruction from national staff to some funds. Drafted, issued, amended, withdrawn."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        ISSUED = "issued", _("Émise")
        WITHDRAWN = "withdrawn", _("Retirée")

    class Nature(models.TextChoices):
        NEW = "new", _("Nouvelle")
        AMENDING = "amending", _("Modificative")
        COMPLEMENTARY = "complementary", _("Complémentaire")
        FOLLOW_UP = "follow_up", _("De suivi")

    class Targeting(models.TextChoices):
        ALL = "all", _("Toutes les caisses")
        DEPARTMENTS = "departments", _("Caisses de départements choisis")
        FUNDS = "funds", _("Caisses choisies")

    reference = models.CharField(_("référence"), max_length=16, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte (Markdown)"))
    required_actions = models.JSONField(_("actions requises"), default=list, blank=True)
    breach = models.ForeignKey(
        "breaches.Breach", on_delete=models.PROTECT, null=True, blank=True, related_name="instructions",
        verbose_name=_("fuite"),
    )
    nature = models.CharField(_("nature"), max_length=16, choices=Nature.choices, default=Nature.NEW)
    follows = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="followers",
        verbose_name=_("consigne suivie"),
    )
    targeting = models.CharField(_("destinataires"), max_length=12, choices=Targeting.choices)
    target_departments = models.JSONField(_("départements visés"), default=list, blank=True)
    target_funds = models.ManyToManyField(Fund, blank=True, related_name="+", verbose_name=_("caisses visées"))
    information_funds = models.ManyToManyField(
        Fund, blank=True, related_name="+", verbose_name=_("caisses destinataires pour information")
    )
    effective_date = models.DateField(_("date d'effet"), null=True, blank=True)
    reply_by = models.DateField(_("réponse attendue le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(_("version"), default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("rédigée par"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("émise par")
    )
    issued_at = models.DateTimeField(_("émise le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("retirée par")
    )
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motif du retrait"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consigne")
        verbose_name_plural = _("consignes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(nature="new") | models.Q(follows__isnull=False),
                name="instruction_follow_up_names_its_instruction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class InstructionVersion(models.Model):
    """What was issued: version 1 at issue, one more per amendment, with what changed."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="versions",
                                    verbose_name=_("consigne"))
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    required_actions = models.JSONField(_("actions requises"), default=list)
    reply_by = models.DateField(_("réponse attendue le"), null=True, blank=True)
    changes = models.TextField(_("modifications"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("créée par"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["instruction", "number"]
        verbose_name = _("version de consigne")
        verbose_name_plural = _("versions de consigne")
        constraints = [
            models.UniqueConstraint(fields=["instruction", "number"], name="instruction_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instruction_id} v{self.number}"


class Delivery(TimeStamped):
    """An instruction sent to one fund. Acknowledgement fields are the latest state; the audit is Acknowledgement."""

    instruction = models.ForeignKey(Instruction, on_delete=models.CASCADE, related_name="deliveries",
                                    verbose_name=_("consigne"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("caisse"))
    for_action = models.BooleanField(_("pour action"), default=True)
    acknowledged_version = models.PositiveIntegerField(_("version reçue"), default=0)
    acknowledged_at = models.DateTimeField(_("reçue le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("réception accusée par")
    )
    attested_version = models.PositiveIntegerField(_("version mise en œuvre"), default=0)
    attested_at = models.DateTimeField(_("mise en œuvre attestée le"), null=True, blank=True)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("mise en œuvre attestée par")
    )
    actions_done = models.JSONField(_("actions faites"), default=list, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        ordering = ["fund__code"]
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [models.UniqueConstraint(fields=["instruction", "fund"], name="delivery_one_per_fund")]

    def __str__(self) -> str:
        return f"{self.instruction_id} → {self.fund_id}"


class Notice(TimeStamped):
    """One e-mail to a fund's notice addresses. `key` makes each notice unique and is the idempotency key."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Émission")
        AMENDMENT = "amendment", _("Modification")
        REMINDER = "reminder", _("Relance")
        WITHDRAWAL = "withdrawal", _("Retrait")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyée")
        FAILED = "failed", _("Échec")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="notices", verbose_name=_("envoi"))
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    key = models.CharField(_("clé d'idempotence"), max_length=80, unique=True)
    message_id = models.UUIDField(default=uuid.uuid4, editable=False, verbose_name=_("identifiant du message"))
    status = models.CharField(_("statut"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("pris en charge le"))
    retry_at = models.DateTimeField(null=True, blank=True, verbose_name=_("nouvel essai le"))
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    addresses = models.JSONField(_("adresses"), default=list, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("demandé par")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "updated_at"], name="notice_status_updated")]

    def __str__(self) -> str:
        return self.key


class Acknowledgement(models.Model):
    """The audit of a fund's answer: receipt, then implementation, of one version."""

    class Step(models.TextChoices):
        RECEIPT = "receipt", _("Accusé de réception")
        IMPLEMENTATION = "implementation", _("Attestation de mise en œuvre")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="acknowledgements",
                                 verbose_name=_("envoi"))
    version = models.PositiveIntegerField(_("version"))
    step = models.CharField(_("étape"), max_length=16, choices=Step.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("utilisateur"))
    actions_done = models.JSONField(_("actions faites"), default=list, blank=True)
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("accusé")
        verbose_name_plural = _("accusés")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "version", "step"], name="acknowledgement_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_id} v{self.version} {self.step}"


class InstructionTemplate(TimeStamped):
    """A reusable instruction that national staff start a draft from: its text, actions and reply-by delay."""

    name = models.CharField(_("nom du modèle"), max_length=120, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    required_actions = models.JSONField(_("actions requises"), default=list, blank=True)
    reply_days = models.PositiveSmallIntegerField(_("délai de réponse (jours)"), default=7)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créé par")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("modèle de consigne")
        verbose_name_plural = _("modèles de consigne")
        constraints = [models.CheckConstraint(condition=models.Q(reply_days__lte=365), name="template_reply_days")]

    def __str__(self) -> str:
        return self.name
