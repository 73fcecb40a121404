"""The weekly report's download form (scope and week), on the breach page and on the regional view."""

import datetime

from django import template
from django.utils import timezone

from breaches.models import Breach
from network.permissions import is_national
from reporting.selectors import regions_overseen
from reporting.weekly import Week

register = template.Library()
WEEKS_OFFERED = 8


def _weeks(breach: Breach) -> list[Week]:
    """This week and the ones before it, back to the breach's discovery (at most WEEKS_OFFERED)."""
    first = Week.of(breach.discovered_on)
    week, weeks = Week.of(timezone.localdate()), []
    while len(weeks) < WEEKS_OFFERED and week.start >= first.start:
        weeks.append(week)
        week = Week.of(week.start - datetime.timedelta(days=7))
    return weeks or [Week.of(timezone.localdate())]


@register.inclusion_tag("reporting/_weekly_report_form.html", takes_context=True)
def weekly_report_form(context, breach: Breach) -> dict:
    user = context["request"].user
    return {"breach": breach, "weeks": _weeks(breach), "regions": regions_overseen(user=user),
            "network": is_national(user)}
