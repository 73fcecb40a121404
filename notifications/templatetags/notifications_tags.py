from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notices(user) -> int:
    """The fund user's unread notices, for the navigation badge (one query; none for national staff)."""
    return unread_count(user=user)


@register.simple_tag
def fund_open_deliveries(user, fund) -> list:
    """The issued instructions this fund still has to answer (home page block)."""
    from django.utils import timezone

    from notifications.selectors import deliveries_visible_to, delivery_state

    today = timezone.localdate()
    rows = []
    for delivery in deliveries_visible_to(user=user).filter(fund=fund, instruction__status="issued"):
        state = delivery_state(delivery, delivery.instruction, today)
        if state != "implemented" and not (state == "received" and not delivery.for_action):
            rows.append({"delivery": delivery, "state": state})
    return rows


@register.simple_tag
def national_summary() -> dict:
    """Issued instructions and overdue answers across the network (home page block)."""
    from notifications.models import Instruction
    from notifications.selectors import escalation_rows

    return {"issued": Instruction.objects.filter(status=Instruction.Status.ISSUED).count(),
            "drafts": Instruction.objects.filter(status=Instruction.Status.DRAFT).count(),
            "overdue": len(escalation_rows())}
