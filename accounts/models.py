"""Account security models: the one-time enrolment links, and French names for django-otp's second-factor devices
in the admin (the package names them "TOTP device", "static device"; proxies only, no table of their own)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken


class EnrolmentLink(models.Model):
    """A single-use, expiring link an admin gives a user to bind their authenticator app, so that the second factor
    is not bound by whoever first holds the password. Only the SHA-256 digest of its random token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links",
                             verbose_name=_("compte"))
    digest = models.CharField(_("empreinte"), max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("délivré par"))
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("délivré le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lien d'activation de la double authentification")
        verbose_name_plural = _("liens d'activation de la double authentification")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"


class AuthenticatorApp(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = _("application d'authentification")
        verbose_name_plural = _("applications d'authentification")


class RecoveryCodes(StaticDevice):
    class Meta:
        proxy = True
        verbose_name = _("jeu de codes de secours")
        verbose_name_plural = _("codes de secours")


class ApiToken(AuthToken):
    """django-rest-knox's token, under a French name in the admin (proxy only: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
