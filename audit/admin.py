"""History in the admin: the history button on audited objects, and read-only history lists with CSV export."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from audit.exports import history_csv_response
from audit.models import AUDITED
from config.admin import ReadOnlyAdminMixin


def _with_history_button(model) -> None:
    """Give the admin already registered for `model` the history view (its other behaviour is kept)."""
    current = type(admin.site._registry[model]) if model in admin.site._registry else admin.ModelAdmin
    if issubclass(current, SimpleHistoryAdmin):
        return
    if model in admin.site._registry:
        admin.site.unregister(model)
    admin.site.register(model, type(f"History{current.__name__}", (SimpleHistoryAdmin, current), {}))


class HistoryRowAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["history_date", "id", "history_type", "history_user"]
    list_filter = ["history_type", "history_date"]
    search_fields = ["history_user__username"]
    list_select_related = ["history_user"]
    actions = ["export_csv"]
    kind = ""


    @admin.action(description="Exporter la sélection (CSV)")
    def export_csv(self, request, queryset):
        return history_csv_response([(self.kind, row) for row in queryset.order_by("-history_date")])


for _kind, _model in AUDITED.items():
    _with_history_button(_model)
    _row_admin = type(f"{_model.__name__}HistoryAdmin", (HistoryRowAdmin,), {"kind": _kind})
    admin.site.register(_model.history.model, _row_admin)
