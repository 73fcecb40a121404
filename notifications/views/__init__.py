from notifications.views.board import (
    board,
    board_chase,
    board_data,
    board_export,
    delivery_resend,
    network,
    network_chase,
)
from notifications.views.fund import delivery_acknowledge, delivery_attest, delivery_detail, inbox
from notifications.views.national import (
    instruction_amend,
    instruction_compose,
    instruction_detail,
    instruction_edit,
    instruction_issue,
    instruction_list,
    instruction_withdraw,
)
from notifications.views.templates import template_delete, template_edit, template_list

__all__ = [
    "board", "board_chase", "board_data", "board_export",
    "delivery_acknowledge", "delivery_attest", "delivery_detail", "delivery_resend",
    "inbox", "instruction_amend", "instruction_compose", "instruction_detail", "instruction_edit",
    "instruction_issue", "instruction_list", "instruction_withdraw", "network", "network_chase",
    "template_delete", "template_edit", "template_list",
]
