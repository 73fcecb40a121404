"""The weekly report's download form (scope and week) and the activity map, for the pages of the apps below."""

import datetime

from django import template
from django.utils import timezone

from breaches.models import Breach
from network.permissions import is_national
from network.selectors import regions_overseen
from reporting.maps import draw_counts
from reporting.selectors import activity_layer, funds_in_view
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


@register.inclusion_tag("reporting/_map_figure.html", takes_context=True)
def activity_map(context, days: int = 30) -> dict:
    """The map's activity layer (checks per department over `days` days) for the national and regional views."""
    user = context["request"].user
    figures = activity_layer(funds=list(funds_in_view(user=user)), days=days, measure="verifications")
    heading = f"Vérifications par département (sur {days} jours)"
    svg, legend = draw_counts(figures, heading, "vérifications").for_template()
    return {"heading": heading, "svg": svg, "legend": legend, "days": days}
