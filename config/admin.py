"""Admin pieces shared by the apps."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """For rows that change only through services (audited) or never: the admin reads, it does not write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows shown under their parent in the admin, read only: set `model` and `fields` (all read only)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
