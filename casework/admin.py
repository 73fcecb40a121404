from django.contrib import admin

from casework.models import Case, CaseEvent, Check, SharedAccountAlert, SignalBatch
from config.admin import ReadOnlyAdminMixin, ReadOnlyInline


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Casework is changed only through its services (audited timeline): the admin reads."""


@admin.register(Check)
class CheckAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "fund", "nir_masked", "kind", "outcome", "agent"]
    list_filter = ["kind", "outcome", "channel"]
    list_select_related = ["fund", "agent"]
    search_fields = ["fund__code"]


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "kind", "actor", "body", "from_status", "to_status", "assignee", "fund"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "fund", "nir_masked", "origin", "priority", "status", "assignee", "due_on"]
    list_filter = ["status", "origin", "priority", "closing_reason"]
    list_select_related = ["fund", "assignee"]
    search_fields = ["fund__code", "summary"]
    inlines = [CaseEventInline]


@admin.register(SignalBatch)
class SignalBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "source", "file_name", "received", "matched", "cases_opened", "loaded_by"]


@admin.register(SharedAccountAlert)
class SharedAccountAlertAdmin(ReadOnlyAdmin):
    list_display = ["id", "reference", "people_count", "created_at", "updated_at"]
