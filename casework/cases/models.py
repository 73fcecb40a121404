from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.checks.models import Check
from network.models import Fund, TimeStamped


class SignalKind(models.TextChoices):
    """What the network's own systems report about a person. Bank details and account recovery weigh most."""

    BANK_DETAILS = "bank_details", _("Changement de coordonnées bancaires")
    ACCOUNT_RECOVERY = "account_recovery", _("Création ou récupération de compte en ligne")
    ADDRESS_CHANGE = "address_change", _("Changement d'adresse")


class Case(TimeStamped):
    """A case worked by a fund about one person (digest + masked NIR). Changed only through casework.cases.services."""

    class Origin(models.TextChoices):
        CHECK = "check", _("Vérification")
        SIGNAL = "signal", _("Signal")
        MANUAL = "manual", _("Saisie manuelle")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("Haute")
        NORMAL = 2, _("Normale")
        LOW = 3, _("Basse")

    class Status(models.TextChoices):
        NEW = "new", _("Nouveau")
        IN_PROGRESS = "in_progress", _("En cours")
        CLOSED = "closed", _("Clos")

    class ClosingReason(models.TextChoices):
        FRAUD_CONFIRMED = "fraud_confirmed", _("Fraude avérée")
        ATTEMPT_BLOCKED = "attempt_blocked", _("Tentative bloquée")
        UNFOUNDED = "unfounded", _("Sans suite")
        DUPLICATE = "duplicate", _("Doublon")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="cases", verbose_name=_("caisse"))
    subject_digest = models.CharField(_("empreinte du NIR"), max_length=64)
    nir_masked = models.CharField(_("NIR masqué"), max_length=32)
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices)
    origin_check = models.OneToOneField(Check, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="case", verbose_name=_("vérification d'origine"))
    signal_kind = models.CharField(_("type de signal"), max_length=20, choices=SignalKind.choices, blank=True)
    signal_occurred_on = models.DateField(_("date du signal"), null=True, blank=True)
    signal_batch = models.ForeignKey("casework.SignalBatch", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="cases", verbose_name=_("lot de signaux"))
    summary = models.CharField(_("objet"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("priorité"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.NEW)
    closing_reason = models.CharField(_("motif de clôture"), max_length=16, choices=ClosingReason.choices,
                                      blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_cases", verbose_name=_("agent chargé"))
    due_on = models.DateField(_("échéance"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("ouvert par"), db_index=False)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    class Meta:
        ordering = ["priority", "due_on", "id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        permissions = [("work_case", _("Traiter ce dossier (partage avec une autre caisse)"))]
        indexes = [models.Index(fields=["fund", "status", "priority", "due_on"], name="case_queue"),
                   # A plain index: digests are matched whole, never with LIKE (no varchar_pattern_ops twin).
                   models.Index(fields=["subject_digest"], name="case_subject")]
        constraints = [
            # The same person, kind and date never opens a second case, even when two loads race.
            models.UniqueConstraint(fields=["subject_digest", "signal_kind", "signal_occurred_on"],
                                    condition=models.Q(origin="signal"), name="case_signal_once"),
            models.CheckConstraint(
                condition=(models.Q(status="closed", closed_at__isnull=False) & ~models.Q(closing_reason=""))
                | (~models.Q(status="closed") & models.Q(closing_reason="", closed_at__isnull=True)),
                name="case_closed_has_reason"),
            models.CheckConstraint(
                condition=~models.Q(origin="signal")
                | (~models.Q(signal_kind="") & models.Q(signal_occurred_on__isnull=False)),
                name="case_signal_has_kind_and_date"),
        ]

    def __str__(self) -> str:
        return f"Dossier n° {self.pk} · {self.nir_masked}"

    @property
    def signal_days_ago(self) -> int | None:
        if self.signal_occurred_on is None:
            return None
        return (timezone.localdate() - self.signal_occurred_on).days


class Attachment(TimeStamped):
    """A scan (PDF, PNG, JPEG) stored under PRIVATE_ROOT, served only through the case gate."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("dossier"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("déposée par"))
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("taille"))
    sha256 = models.CharField(max_length=64, verbose_name=_("empreinte SHA-256"))
    stored_name = models.CharField(max_length=200, unique=True, verbose_name=_("nom de stockage"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when. Written only by the case services."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Ouverture")
        COMMENT = "comment", _("Commentaire")
        STATUS = "status", _("Changement de statut")
        ASSIGNMENT = "assignment", _("Attribution")
        PRIORITY = "priority", _("Priorité")
        CHECK = "check", _("Vérification")
        ATTACHMENT = "attachment", _("Pièce jointe")
        SHARED = "shared", _("Partage")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("dossier"))
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    # Only `case` is indexed: the timeline is read per case, and tens of thousands of events are written at
    # once by signal loads, so the other references stay unindexed (they are only followed from the event).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("auteur"), db_index=False)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    body = models.TextField(_("texte"), blank=True)
    from_status = models.CharField(max_length=12, choices=Case.Status.choices, blank=True,
                                   verbose_name=_("statut de départ"))
    to_status = models.CharField(max_length=12, choices=Case.Status.choices, blank=True,
                                 verbose_name=_("nouveau statut"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", db_index=False, verbose_name=_("agent attributaire"))
    check_ref = models.ForeignKey(Check, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  db_index=False, verbose_name=_("vérification"))
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                   db_index=False, verbose_name=_("pièce jointe"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             db_index=False, verbose_name=_("caisse"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("événement de dossier")
        verbose_name_plural = _("événements de dossier")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%d/%m/%Y %H:%M}"
