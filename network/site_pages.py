"""The pages every site of the State carries in its footer: site map, accessibility statement, legal notice and
personal data. Public: they are reachable before signing in."""

from django.conf import settings
from django.shortcuts import render


def site_map(request):
    """The pages this user may reach: their menu (by role, from network.navigation) and the common pages."""
    return render(request, "network/site/site_map.html")


def accessibility(request):
    return render(request, "network/site/accessibility.html")


def legal_notice(request):
    return render(request, "network/site/legal_notice.html")


def personal_data(request):
    return render(request, "network/site/personal_data.html", {
        "access_log_months": round(settings.ACCESS_LOG_RETENTION_DAYS / 30.4),
        "cohort_months": settings.COHORT_RETENTION_MONTHS,
        "idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
    })
