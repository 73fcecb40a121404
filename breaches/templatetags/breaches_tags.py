from django import template
from django.utils import timezone

from breaches.gdpr.selectors import running_clocks as _running_clocks

register = template.Library()


@register.simple_tag
def running_clocks():
    """The breaches whose 72-hour clock runs, for the national home page (national staff only: the page checks)."""
    return _running_clocks(now=timezone.now())
