"""Breaches, the cohorts loaded for them, the people affected (pseudonymised) and the access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from breaches.gdpr.record import GdprRecord
from network.models import Fund, TimeStamped


class DataCategory(models.TextChoices):
    NIR = "nir", _("NIR")
    IDENTITY = "identity", _("Identité (nom, prénom)")
    BIRTH_DATE = "birth_date", _("Date de naissance")
    CONTACT = "contact", _("Coordonnées (adresse, téléphone, e-mail)")
    HEALTH = "health", _("Données de santé")
    BANK = "bank", _("Coordonnées bancaires")
    INSURANCE = "insurance", _("Couverture complémentaire")


class Breach(GdprRecord, TimeStamped):
    """A breach, outside the network or where the network is controller (its GDPR record says which). Multi-valued
    codes (categories, departments) are stored comma-separated so they filter the same way on SQLite and PostgreSQL."""

    class Severity(models.TextChoices):
        LOW = "low", _("Faible")
        MEDIUM = "medium", _("Modérée")
        HIGH = "high", _("Élevée")
        CRITICAL = "critical", _("Critique")

    class Status(models.TextChoices):
        OPEN = "open", _("Ouverte")
        MONITORING = "monitoring", _("Sous surveillance")
        # With a context: Django's own catalogue translates the bare "Close" as the verb "Fermer".
        CLOSED = "closed", pgettext_lazy("statut d'une fuite", "Close")

    reference = models.CharField(_("référence"), max_length=12, unique=True, editable=False)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organisations = models.TextField(
        _("organismes à l'origine de la fuite"), blank=True, help_text=_("Un organisme par ligne (ex. laboratoires).")
    )
    discovered_on = models.DateField(_("découverte le"))
    reported_on = models.DateField(_("signalée le"), null=True, blank=True)
    data_categories = models.CharField(_("catégories de données exposées"), max_length=200, blank=True)
    departments = models.CharField(_("départements concernés"), max_length=600, blank=True)
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(_("statut modifié le"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("statut modifié par"),
    )
    regulator_reference = models.CharField(_("référence CNIL"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("créée par"),
    )

    class Meta:
        ordering = ["-discovered_on", "-id"]
        verbose_name = _("fuite de données")
        verbose_name_plural = _("fuites de données")

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def category_codes(self) -> list[str]:
        return [code for code in self.data_categories.split(",") if code]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.category_codes]

    @property
    def department_codes(self) -> list[str]:
        return [code for code in self.departments.split(",") if code]

    @property
    def organisation_list(self) -> list[str]:
        return [line.strip() for line in self.organisations.splitlines() if line.strip()]


class Cohort(TimeStamped):
    """One file imported into a breach. The counters are final once status is `done`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("fuite"))
    file_name = models.CharField(_("fichier"), max_length=255)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64)
    source_path = models.CharField(_("chemin du fichier"), max_length=500, blank=True)
    owns_source = models.BooleanField(default=False, help_text=_("Le fichier déposé est supprimé après l'import."),
                                      verbose_name=_("fichier source à supprimer"))
    allow_missing_key = models.BooleanField(_("NIR sans clé acceptés"), default=False)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    imported = models.PositiveIntegerField(_("importées"), default=0)
    rejected = models.PositiveIntegerField(_("rejetées"), default=0)
    duplicates = models.PositiveIntegerField(_("doublons"), default=0)
    unassigned = models.PositiveIntegerField(_("à répartir"), default=0)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    error_report = models.CharField(_("rapport des rejets"), max_length=255, blank=True)
    error_message = models.TextField(_("erreur"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("dernier signe de vie de l'import"))
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("importé par"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cohorte")
        verbose_name_plural = _("cohortes")
        constraints = [
            # The same file twice in a breach is refused; a failed import may be loaded again.
            models.UniqueConstraint(
                fields=["breach", "checksum"], condition=~models.Q(status="failed"), name="cohort_file_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.breach.reference} · {self.file_name}"


class AffectedPerson(TimeStamped):
    """A person hit by a breach. The NIR is never stored in clear: digest (lookups), seal (export), mask."""

    # No index of its own: the unique (breach, nir_digest) index starts with it.
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="people", verbose_name=_("fuite"),
                               db_index=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="people", verbose_name=_("cohorte"))
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="affected_people",
        verbose_name=_("caisse"), help_text=_("Vide : personne à répartir."),
    )
    # Indexed in Meta (as the access log's): db_index=True would add an unused pattern-matching index on PostgreSQL.
    nir_digest = models.CharField(_("empreinte du NIR"), max_length=64)
    nir_sealed = models.CharField(_("NIR scellé"), max_length=120)
    seal_key_id = models.CharField(_("clé de scellement"), max_length=16)
    nir_masked = models.CharField(_("NIR masqué"), max_length=24)
    last_name = models.CharField(_("nom"), max_length=120, blank=True)
    first_name = models.CharField(_("prénom"), max_length=120, blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    postcode = models.CharField(_("code postal"), max_length=10, blank=True)
    department = models.CharField(_("département"), max_length=3, blank=True)
    source = models.CharField(_("organisme source"), max_length=200, blank=True)
    sample_date = models.DateField(_("date du prélèvement"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("personne exposée")
        verbose_name_plural = _("personnes exposées")
        constraints = [
            models.UniqueConstraint(fields=["breach", "nir_digest"], name="affected_person_once_per_breach"),
        ]
        indexes = [
            models.Index(fields=["nir_digest"], name="person_nir_digest"),
            # Only the people still to route are indexed by department (the routing page and its bulk updates).
            models.Index(fields=["breach", "department"], condition=models.Q(fund__isnull=True),
                         name="person_unassigned_by_dept"),
        ]

    def __str__(self) -> str:
        return self.nir_masked


class AccessLog(models.Model):
    """Who looked up, decrypted or exported what, when and from where. Written once, never changed."""

    class Action(models.TextChoices):
        LOOKUP = "lookup", _("Vérification")
        DECRYPT = "decrypt", _("Déchiffrement")
        EXPORT = "export", _("Export")
        # Other roads to the register, through the same gate (breaches/lookup/gate.py).
        CHECK = "check", _("Vérification consignée")
        SIGNALS = "signals", _("Lot de signaux")

    # No database constraint on these two: each lookup would otherwise lock the user's and the fund's rows
    # (FOR KEY SHARE) at commit, and every agent of a fund would queue on that fund's row. Django's PROTECT
    # still refuses to delete a user or fund the log names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("utilisateur"),
        db_constraint=False, db_index=False,  # indexed with created_at, in Meta
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("caisse"),
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    purpose = models.CharField(_("motif"), max_length=200, blank=True)
    # Indexed in Meta: db_index=True would add a second, pattern-matching index on PostgreSQL that no query
    # uses, and every lookup pays for each index of this table (the same for AffectedPerson.nir_digest).
    nir_digest = models.CharField(_("empreinte du NIR"), max_length=64, blank=True)
    result = models.CharField(_("résultat"), max_length=60)
    client_address = models.GenericIPAddressField(_("adresse du poste"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["nir_digest"], name="access_log_nir_digest"),
            # A user's recent lookups: the lookup throttle's count (breaches/lookup/throttle.py).
            models.Index(fields=["user", "created_at"], name="access_log_user_recent"),
        ]
        verbose_name = _("trace d'accès")
        verbose_name_plural = _("journal des accès")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.result}"


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


# The GDPR record's timeline and clock (breaches.gdpr), registered with the app from here.
from breaches.gdpr.models import BreachEvent, ClockReminder  # noqa: E402

__all__ = ["AccessLog", "AffectedPerson", "Breach", "BreachEvent", "ClockReminder", "Cohort", "CohortPurge",
           "DataCategory", "KeyRotation"]
