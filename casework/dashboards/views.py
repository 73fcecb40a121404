from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from breaches.selectors import open_breaches
from casework.dashboards.charts import Series, bar_chart
from casework.dashboards.selectors import fund_dashboard, national_dashboard
from config.db_router import replica_reads
from network.permissions import is_national, overseen_funds, overseer_required
from network.selectors import get_fund_for, primary_fund


@login_required
def dashboard(request):
    """Where 'Tableau de bord' leads: the national view for national staff, one's fund otherwise."""
    if is_national(request.user):
        return redirect("dashboard-national")
    fund = primary_fund(user=request.user)
    if fund is None:
        raise Http404
    return redirect("dashboard-fund", fund.code)


@replica_reads
@login_required
def dashboard_fund(request, code: str):
    fund = get_fund_for(user=request.user, code=code)
    return render(request, "casework/dashboard_fund.html", fund_dashboard(fund=fund))


@replica_reads
@overseer_required
def dashboard_national(request):
    """The national view; for a regional coordination, the same figures over its region's funds."""
    national = is_national(request.user)
    data = national_dashboard(funds=None if national else overseen_funds(user=request.user))
    data["national"] = national
    if not national:  # national staff download the reports from each breach's page
        data["open_breaches"] = open_breaches()
    labels = [week.strftime("%d/%m") for week in data["weeks"]]
    data["chart"] = bar_chart(
        labels=labels, title=_("Vérifications et anomalies par semaine"),
        series=[Series(_("Vérifications"), "#000091", [w[0] for w in data["weekly"]]),
                Series(_("Anomalies"), "#e1000f", [w[1] for w in data["weekly"]])])
    return render(request, "casework/dashboard_national.html", data)
