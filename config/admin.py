"""Admin pieces shared by the apps."""


class ReadOnlyAdminMixin:
    """For rows that change only through services (audited) or never: the admin reads, it does not write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
