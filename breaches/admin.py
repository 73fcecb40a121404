from django.contrib import admin, messages

from breaches.gdpr.services import RECORD_FIELDS
from breaches.models import AccessLog, AffectedPerson, Breach, BreachEvent, ClockReminder, Cohort, CohortPurge
from breaches.services import EDITABLE_FIELDS, breach_create, breach_set_status, breach_update
from config.admin import ReadOnlyAdminMixin, ReadOnlyInline
from config.errors import ApplicationError
from config.screening import ScreenedModelForm


class CohortInline(ReadOnlyInline):
    model = Cohort
    fields = ["file_name", "status", "rows", "imported", "rejected", "duplicates", "unassigned", "created_by",
              "created_at"]
    show_change_link = True


class BreachEventInline(ReadOnlyInline):
    model = BreachEvent
    fields = ["occurred_at", "kind", "summary", "document_name", "created_by"]


@admin.register(Breach)
class BreachAdmin(admin.ModelAdmin):
    """The GDPR record is read-only here: it is written on the breach's "dossier RGPD" page, whose service checks
    dates and the late reason."""

    form = ScreenedModelForm
    list_display = ["reference", "title", "discovered_on", "network_role", "severity", "status", "status_changed_at"]
    list_filter = ["status", "severity", "network_role"]
    search_fields = ["reference", "title", "organisations"]
    readonly_fields = ["reference", "status_changed_at", "status_changed_by", "created_by", "created_at",
                       "updated_at", *[name for name in RECORD_FIELDS if name not in EDITABLE_FIELDS]]
    inlines = [CohortInline, BreachEventInline]
    actions = ["to_monitoring", "to_closed"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            breach_update(breach=obj, actor=request.user, **fields)
            if "status" in form.changed_data:
                breach_set_status(breach=obj, status=form.cleaned_data["status"], actor=request.user)
        else:
            obj.pk = breach_create(actor=request.user, **fields).pk
            obj.refresh_from_db()

    def _move(self, request, queryset, status):
        for breach in queryset:
            try:
                breach_set_status(breach=breach, status=status, actor=request.user)
            except ApplicationError as error:
                self.message_user(request, f"{breach.reference} : {error.message}", messages.ERROR)

    @admin.action(description="Passer sous surveillance")
    def to_monitoring(self, request, queryset):
        self._move(request, queryset, Breach.Status.MONITORING)

    @admin.action(description="Clore")
    def to_closed(self, request, queryset):
        self._move(request, queryset, Breach.Status.CLOSED)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["file_name", "breach", "status", "rows", "imported", "rejected", "duplicates", "unassigned",
                    "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["breach", "created_by"]
    search_fields = ["file_name", "breach__reference", "checksum"]
    exclude = ["source_path"]
    readonly_fields = [f.name for f in Cohort._meta.fields if f.name != "source_path"]

    def has_add_permission(self, request):
        return False


@admin.register(AffectedPerson)
class AffectedPersonAdmin(admin.ModelAdmin):
    """Masked NIR only: the digest and the seal are not shown; clear NIRs come only from a fund's logged export."""

    list_display = ["nir_masked", "last_name", "first_name", "breach", "fund", "department", "postcode"]
    list_filter = ["breach", "fund__kind"]
    list_select_related = ["breach", "fund"]
    search_fields = ["last_name", "postcode", "breach__reference", "fund__code"]
    fields = ["nir_masked", "last_name", "first_name", "birth_date", "postcode", "department", "source",
              "sample_date", "breach", "cohort", "fund"]
    readonly_fields = fields  # routing goes through the "à répartir" page (breaches.services.people_route)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only: readable, never changed nor deleted from the application."""

    list_display = ["created_at", "user", "fund", "action", "result", "purpose", "client_address"]
    list_filter = ["action", "result"]
    list_select_related = ["user", "fund"]
    search_fields = ["user__username", "fund__code", "nir_digest"]
    date_hierarchy = "created_at"


@admin.register(CohortPurge)
class CohortPurgeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "breach_reference", "closed_at", "cohorts", "people", "reports", "actor"]
    readonly_fields = list_display



@admin.register(ClockReminder)
class ClockReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["breach", "milestone", "recipients", "sent_at"]
    list_select_related = ["breach"]
