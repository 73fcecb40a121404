from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.regions import region_choices


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class Fund(TimeStamped):
    """A local fund of the network (CPAM, CGSS, CSS). Its code is department + rank: never derive it."""

    class Kind(models.TextChoices):
        CPAM = "CPAM", _("CPAM")
        CGSS = "CGSS", _("CGSS")
        CSS = "CSS", _("CSS")

    code = models.CharField(_("code"), max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$")])
    name = models.CharField(_("nom"), max_length=120)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices)
    notice_emails = models.TextField(
        _("adresses de notification"), blank=True, help_text=_("Une adresse par ligne ; reçoit les consignes.")
    )
    agents_may_acknowledge = models.BooleanField(
        _("les agents peuvent accuser réception"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Derived from the departments (network.regions.region_of) by the services that load or change them.
    region = models.CharField(_("région"), max_length=2, choices=region_choices, blank=True, db_index=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("caisse")
        verbose_name_plural = _("caisses")
        permissions = [
            ("lookup_person", _("Consulter le registre des personnes exposées")),
            ("log_check", _("Consigner une vérification")),
            ("work_cases", _("Traiter les dossiers de la caisse")),
            ("manage_cases", _("Répartir les dossiers de la caisse")),
            ("acknowledge_instruction", _("Accuser réception des consignes")),
            ("export_people", _("Exporter la liste des personnes exposées de la caisse")),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def notice_addresses(self) -> list[str]:
        return [line.strip() for line in self.notice_emails.replace(",", "\n").splitlines() if line.strip()]

    @property
    def department_codes(self) -> list[str]:
        return [d.department for d in self.departments.all()]


class FundDepartment(models.Model):
    """A department a fund serves. Four departments have several funds: routing must check the count."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="departments", verbose_name=_("caisse"))
    department = models.CharField(_("département"), max_length=3, db_index=True)

    class Meta:
        ordering = ["department"]
        verbose_name = _("département desservi")
        verbose_name_plural = _("départements desservis")
        constraints = [models.UniqueConstraint(fields=["fund", "department"], name="fund_department_unique")]

    def __str__(self) -> str:
        return self.department


class Membership(TimeStamped):
    """Ties a user to the network with a role: national staff (no fund), or manager/agent of one fund."""

    class Role(models.TextChoices):
        NATIONAL = "national", _("Personnel national")
        MANAGER = "manager", _("Responsable de caisse")
        AGENT = "agent", _("Agent de caisse")
        REGIONAL = "regional", _("Coordination régionale")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("utilisateur"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
                             verbose_name=_("caisse"))
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices)
    # Only for the regional coordination: the region whose funds it reads (no fund, no case).
    region = models.CharField(_("région"), max_length=2, choices=region_choices, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("accordé par")
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("rattachement")
        verbose_name_plural = _("rattachements")
        constraints = [
            models.UniqueConstraint(fields=["user", "fund"], name="membership_one_per_fund"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(fund__isnull=True), name="membership_one_national"
            ),
            models.CheckConstraint(
                condition=(models.Q(role="national", fund__isnull=True, region="")
                           | models.Q(role__in=["manager", "agent"], fund__isnull=False, region="")
                           | (models.Q(role="regional", fund__isnull=True) & ~models.Q(region=""))),
                name="membership_fund_matches_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.fund.code if self.fund_id else (self.region or _("national"))
        return f"{self.user} · {self.get_role_display()} · {where}"


class ReferenceCounter(TimeStamped):
    """The last number given in a yearly series of references (BR-2026-0007: series "BR", year 2026, last 7).
    Changed only through network.references."""

    series = models.CharField(_("série"), max_length=8)
    year = models.PositiveSmallIntegerField(_("année"))
    last = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("compteur de références")
        verbose_name_plural = _("compteurs de références")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="reference_counter_once")]

    def __str__(self) -> str:
        return f"{self.series}-{self.year} : {self.last}"
