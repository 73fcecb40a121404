from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils import timezone
from guardian.admin import GuardedModelAdmin

from config.admin import ReadOnlyInline
from config.screening import ScreenedFormMixin, ScreenedModelForm
from network.models import Fund, FundDepartment, Membership
from network.services import fund_region_sync, fund_update, membership_grant, membership_revoke


class FundDepartmentInline(admin.TabularInline):
    model = FundDepartment
    form = ScreenedModelForm
    extra = 0


@admin.register(Fund)
class FundAdmin(GuardedModelAdmin):
    form = ScreenedModelForm
    list_display = ["code", "name", "kind", "region", "departments_list", "is_active", "agents_may_acknowledge"]
    list_filter = ["kind", "region", "is_active", "agents_may_acknowledge"]
    readonly_fields = ["region"]
    search_fields = ["code", "name", "departments__department"]
    inlines = [FundDepartmentInline]

    @admin.display(description="départements")
    def departments_list(self, fund: Fund) -> str:
        return ", ".join(fund.department_codes)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        if change:
            fund_update(fund=obj, actor=request.user, **fields)
        else:
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        fund_region_sync(fund=form.instance)  # the region follows the departments just saved


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = ScreenedModelForm
    # Short columns: the table fits a 1366 px screen beside the filters (the fund by its code, dates without time).
    list_display = ["user", "full_name", "role", "fund_code", "region", "granted_by", "since"]
    list_filter = ["role", "region", "fund__kind"]
    search_fields = ["user__username", "user__last_name", "fund__code", "fund__name"]
    autocomplete_fields = ["user", "fund"]
    list_select_related = ["user", "fund", "granted_by"]
    readonly_fields = ["granted_by", "created_at", "updated_at"]
    actions = ["revoke_selected"]

    @admin.display(description="nom", ordering="user__last_name")
    def full_name(self, membership: Membership) -> str:
        return membership.user.get_full_name()

    @admin.display(description="caisse", ordering="fund__code")
    def fund_code(self, membership: Membership) -> str:
        return membership.fund.code if membership.fund_id else "national"

    @admin.display(description="depuis le", ordering="created_at")
    def since(self, membership: Membership) -> str:
        return timezone.localtime(membership.created_at).strftime("%d/%m/%Y")

    def save_model(self, request, obj, form, change):
        if change and "fund" in form.changed_data:
            membership_revoke(membership=Membership.objects.get(pk=obj.pk), actor=request.user)
        saved = membership_grant(user=obj.user, role=obj.role, fund=obj.fund, region=obj.region, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "fund"):
            membership_revoke(membership=membership, actor=request.user)

    @admin.action(description="Révoquer les rattachements sélectionnés")
    def revoke_selected(self, request, queryset):
        self.delete_queryset(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MembershipReadOnlyInline(ReadOnlyInline):
    model = Membership
    fk_name = "user"
    fields = ["role", "fund", "created_at"]
    show_change_link = True


User = get_user_model()
admin.site.unregister(User)


class ScreenedUserChangeForm(ScreenedFormMixin, UserChangeForm):
    pass


class ScreenedUserCreationForm(ScreenedFormMixin, AdminUserCreationForm):
    unscreened_fields = ("password1", "password2")


@admin.register(User)
class VigieUserAdmin(UserAdmin):
    form = ScreenedUserChangeForm
    add_form = ScreenedUserCreationForm
    inlines = [MembershipReadOnlyInline]
    list_filter = UserAdmin.list_filter + ("memberships__role",)
