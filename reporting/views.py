"""The map of the network: layers chosen by a plain GET form, the SVG drawn on the server, the same data as a
table below."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from breaches.models import Breach
from network.permissions import is_national, overseen_funds, overseer_required, region_coordinated_by
from network.regions import regions
from network.selectors import regions_overseen
from notifications.models import Instruction
from notifications.selectors import board_instructions_visible_to, get_board_instruction_for
from reporting import selectors
from reporting.maps import draw_counts, draw_states
from reporting.services import weekly_report_pdf
from reporting.weekly import Week

MEASURES = {"verifications": "vérifications", "anomalies": "anomalies", "dossiers": "dossiers ouverts"}


def _choices(request) -> dict:
    return {
        "instructions": board_instructions_visible_to(user=request.user).exclude(
            status=Instruction.Status.DRAFT).select_related(None).only("id", "reference", "title")
        .order_by("-issued_at")[:50],
        "breaches": Breach.objects.only("id", "reference", "title").order_by("-id")[:50],
        "regions": regions_overseen(user=request.user),
    }


def _layer(request, funds):
    """(figures, drawing, heading) of the layer asked for in the URL; the activity layer by default."""
    layer = request.GET.get("couche", "activite")
    if layer == "consigne" and request.GET.get("consigne", "").isdigit():
        instruction = get_board_instruction_for(user=request.user, instruction_id=int(request.GET["consigne"]))
        figures = selectors.instruction_layer(user=request.user, instruction=instruction, funds=funds)
        heading = f"État des caisses pour la consigne {instruction.reference}"
        return figures, draw_states(figures, heading), heading, "state"
    if layer == "fuite" and request.GET.get("fuite") and is_national(request.user):
        breach = get_object_or_404(Breach, reference=request.GET["fuite"])
        figures = selectors.breach_layer(breach=breach, funds=funds)
        heading = f"Personnes exposées par département, fuite {breach.reference}"
        return figures, draw_counts(figures, heading, "personnes"), heading, "count"
    measure = request.GET.get("mesure", "verifications")
    measure = measure if measure in MEASURES else "verifications"
    days = selectors.PERIODS.get(request.GET.get("periode", "30"), 30)
    figures = selectors.activity_layer(funds=funds, days=days, measure=measure)
    since = "en cours" if measure == "dossiers" else f"sur {days} jours"
    heading = f"{MEASURES[measure].capitalize()} par département ({since})"
    return figures, draw_counts(figures, heading, MEASURES[measure]), heading, "count"


@overseer_required
def network_map(request):
    region = request.GET.get("region", "")
    funds = list(selectors.funds_in_view(user=request.user, region=region if region in regions() else ""))
    figures, drawing, heading, kind = _layer(request, funds)
    shown = selectors.FUND_STATE_LABELS.get if kind == "state" else str
    for figure in figures.values():
        figure.shown = shown(figure.value)
        for fund_figure in figure.funds:
            fund_figure.shown = shown(fund_figure.value)
    svg, legend = drawing.for_template()
    context = {
        **_choices(request), "figures": list(figures.values()), "svg": svg, "legend": legend, "heading": heading,
        "kind": kind, "state_labels": selectors.FUND_STATE_LABELS, "params": request.GET,
        "measures": MEASURES, "periods": selectors.PERIODS,
    }
    return render(request, "reporting/map.html", context)


def _report_region(request) -> str:
    """The region of the report asked for: national staff choose one (or none: the network); a regional
    coordination reads its own region's only."""
    asked = request.GET.get("region", "")
    if asked and asked not in regions():
        raise Http404
    if is_national(request.user):
        return asked
    own = region_coordinated_by(request.user)
    if asked and asked != own:
        raise Http404
    return own


@overseer_required
def weekly_report(request, reference: str):
    """The weekly PDF of a breach (?semaine=2026-W49, this week by default; ?region=53 for a region's funds;
    ?caisse=561 for a fund's digest): the stored one when it exists, else built now. A regional coordination reads
    its region's report and its funds' digests only."""
    breach = get_object_or_404(Breach, reference=reference)
    try:
        week = Week.parse(request.GET["semaine"]) if request.GET.get("semaine") else Week.of(timezone.localdate())
    except ValueError as exc:
        raise Http404 from exc
    code = request.GET.get("caisse")
    fund = get_object_or_404(overseen_funds(user=request.user), code=code) if code else None
    region = "" if fund else _report_region(request)
    pdf = weekly_report_pdf(breach=breach, week=week, fund=fund, region=region)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = f"-{fund.code}" if fund else f"-region-{region}" if region else ""
    response["Content-Disposition"] = f'attachment; filename="rapport-{breach.reference}-{week}{suffix}.pdf"'
    return response
