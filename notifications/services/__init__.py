"""Writes about instructions. Pages, API, admin, commands and tasks all call these."""

from notifications.services.acknowledgements import delivery_acknowledge, delivery_attest, notices_mark_read
from notifications.services.instructions import (
    TargetSpec,
    instruction_amend,
    instruction_create,
    instruction_issue,
    instruction_update,
    instruction_withdraw,
    target_funds_resolve,
)
from notifications.services.notices import (
    delivery_resend,
    network_reminders_send,
    notice_send,
    notices_queue,
    notices_sweep,
    overdue_reminders_send,
    reminders_send,
)
from notifications.services.templates import template_delete, template_save

__all__ = [
    "TargetSpec",
    "delivery_acknowledge",
    "delivery_attest",
    "delivery_resend",
    "instruction_amend",
    "instruction_create",
    "instruction_issue",
    "instruction_update",
    "instruction_withdraw",
    "network_reminders_send",
    "notice_send",
    "notices_mark_read",
    "notices_queue",
    "notices_sweep",
    "overdue_reminders_send",
    "reminders_send",
    "target_funds_resolve",
    "template_delete",
    "template_save",
]
