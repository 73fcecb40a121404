"""French names for the second-factor devices of django-otp in the admin (the package names them "TOTP device",
"static device"). Proxies only: no table of their own."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


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
