from django.contrib import admin

from config.admin import ReadOnlyAdminMixin
from notifications.models import Acknowledgement, Delivery, Instruction, InstructionTemplate, InstructionVersion, Notice


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Instructions change only through their services (pages and API): the admin reads."""


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "version", "reply_by", "issued_at"]
    list_filter = ["status", "nature"]
    search_fields = ["reference", "title"]


@admin.register(InstructionVersion)
class InstructionVersionAdmin(ReadOnlyAdmin):
    list_display = ["instruction", "number", "created_at", "created_by"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["instruction", "fund", "for_action", "acknowledged_version", "attested_version"]
    list_select_related = ["instruction", "fund"]
    search_fields = ["instruction__reference", "fund__code"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["delivery", "version", "step", "user", "created_at"]


@admin.register(InstructionTemplate)
class InstructionTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "title", "reply_days", "updated_at"]
