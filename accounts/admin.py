"""Second factors in the admin, in French: who has which, since when, last used; removing one makes its owner enrol
again at the next sign-in. They are created by their owner (mfa-setup), never here."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthenticatorApp, RecoveryCodes

admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class SecondFactorAdmin(admin.ModelAdmin):
    list_display = ["owner", "label", "is_confirmed", "created", "last_used"]
    fields = readonly_fields = ["owner", "label", "is_confirmed", "created", "last_used", "failures"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "name"]
    search_help_text = _("Identifiant ou nom de l'utilisateur, ou nom de l'appareil.")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("utilisateur"), ordering="user__username")
    def owner(self, device) -> str:
        return device.user.get_full_name() or device.user.get_username()

    @admin.display(description=_("nom"), ordering="name")
    def label(self, device) -> str:
        return device.name

    @admin.display(description=_("confirmé"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device) -> bool:
        return device.confirmed

    @admin.display(description=_("créé le"), ordering="created_at")
    def created(self, device):
        return device.created_at

    @admin.display(description=_("dernière utilisation"), ordering="last_used_at")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description=_("échecs consécutifs"))
    def failures(self, device) -> int:
        return device.throttling_failure_count


admin.site.register(AuthenticatorApp, SecondFactorAdmin)
admin.site.register(RecoveryCodes, SecondFactorAdmin)


def _without_user_agent(names):
    return [("browser" if name == "user_agent" else name) for name in names]


def _french_axes_admin(model) -> None:
    """django-axes' own admin, with its "User Agent" column named in French (the rest is translated by axes)."""
    current = type(admin.site._registry[model])

    @admin.display(description=_("navigateur"))
    def browser(self, row) -> str:
        return row.user_agent

    attributes = {
        "browser": browser,
        "list_display": _without_user_agent(current.list_display),
        "readonly_fields": _without_user_agent(current.readonly_fields),
        "fieldsets": [(title, {**options, "fields": _without_user_agent(options["fields"])})
                      for title, options in current.fieldsets],
    }
    admin.site.unregister(model)
    admin.site.register(model, type(f"French{current.__name__}", (current,), attributes))


for _axes_model in (AccessAttempt, AccessLog, AccessFailureLog):
    _french_axes_admin(_axes_model)
