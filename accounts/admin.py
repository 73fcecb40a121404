"""Admin of account security: API tokens (list and revoke; never created here, see accounts.services); on the users,
the actions that hand out a one-time enrolment link or reset a lost second factor; the second factors themselves, in
French (created by their owner, never here); django-axes' admin with French column names."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import ApiToken, AuthenticatorApp, EnrolmentLink, RecoveryCodes
from accounts.services import api_tokens_revoke, enrolment_link_issue, second_factor_disable
from config.admin import ReadOnlyAdminMixin
from config.errors import ApplicationError

admin.site.unregister(AuthToken)  # knox's admin creates tokens for anyone, with no second factor


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every API token: whose, the start of its key, when it expires. Deleting one revokes it."""

    list_display = fields = readonly_fields = ["owner", "key_start", "created_on", "expires_on"]
    list_select_related = ["user"]
    search_fields = ["user__username", "token_key"]
    search_help_text = _("Identifiant de l'utilisateur ou début du jeton.")
    ordering = ["-created"]

    @admin.display(description=_("utilisateur"), ordering="user__username")
    def owner(self, token) -> str:
        return token.user.get_username()

    @admin.display(description=_("début du jeton"), ordering="token_key")
    def key_start(self, token) -> str:
        return token.token_key

    @admin.display(description=_("créé le"), ordering="created")
    def created_on(self, token):
        return token.created

    @admin.display(description=_("expire le"), ordering="expiry")
    def expires_on(self, token):
        return token.expiry

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        api_tokens_revoke(tokens=AuthToken.objects.filter(pk=obj.pk), actor=request.user)

    def delete_queryset(self, request, queryset):
        api_tokens_revoke(tokens=queryset, actor=request.user)


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "created_at", "issued_by", "expires_at", "used_at"]
    list_select_related = ["user", "issued_by"]
    search_fields = ["user__username"]
    exclude = ["digest"]


User = get_user_model()
_UserAdmin = type(admin.site._registry[User])  # network's, extended here
admin.site.unregister(User)


@admin.register(User)
class SecondFactorUserAdmin(_UserAdmin):
    actions = [*_UserAdmin.actions, "issue_enrolment_link", "reset_second_factor"]

    @admin.action(description="Délivrer un lien d'activation de la double authentification")
    def issue_enrolment_link(self, request, queryset):
        """The links are shown once, on this response (never stored in clear nor put in a message)."""
        issued, refused = [], []
        for user in queryset.order_by("username"):
            try:
                link, token = enrolment_link_issue(user=user, actor=request.user)
            except ApplicationError as error:
                refused.append(str(error))
                continue
            issued.append((link, settings.SITE_URL + reverse("mfa-enrol-link", args=[token])))
        context = {**self.admin_site.each_context(request), "title": "Liens d'activation", "issued": issued,
                   "refused": refused, "opts": self.model._meta}
        response = TemplateResponse(request, "admin/accounts/enrolment_links.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description="Réinitialiser la double authentification (appareil perdu)")
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            try:
                second_factor_disable(user=user, actor=request.user)
            except ApplicationError as error:
                messages.error(request, f"{user} : {error}")
            else:
                messages.success(request, f"{user} : double authentification réinitialisée ; délivrez-lui un lien "
                                          "d'activation.")


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
