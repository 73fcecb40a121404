from django import template

from notifications.selectors import instructions_summary, open_deliveries_of, unread_count

register = template.Library()


@register.simple_tag
def unread_notices(user) -> int:
    """The fund user's unread notices, for the navigation badge (one query; none for national staff)."""
    return unread_count(user=user)


@register.simple_tag
def fund_open_deliveries(user, fund) -> list:
    """The issued instructions this fund still has to answer (home page block)."""
    return open_deliveries_of(user=user, fund=fund)


@register.simple_tag
def national_summary() -> dict:
    """Issued instructions and overdue answers across the network (home page block)."""
    return instructions_summary()
