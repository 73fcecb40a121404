"""National staff's tracking: one instruction's board (with exports), the network view, re-sending."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from config.exports import csv_response, xlsx_response
from network.permissions import is_national, national_required, overseer_required
from network.regions import departments, regions
from network.selectors import regions_overseen
from notifications import services
from notifications.charts import acknowledgement_chart
from notifications.exports import BOARD_HEADER, board_line
from notifications.forms import NetworkFilterForm
from notifications.selectors import (
    BOARD_SORTS,
    BOARD_STATES,
    STATE_LABELS,
    BoardFilters,
    board_rows,
    escalation_rows,
    get_board_instruction_for,
    get_delivery_for,
    get_instruction_for,
    network_standing,
    overdue_deliveries,
    reminders_of,
    standings_view,
)

BOARD_PAGE_SIZE = 50


def board_filters(params) -> BoardFilters:
    """The board's filters and order from the URL (so a view can be shared); unknown values are ignored."""
    state, region, department = params.get("statut", ""), params.get("region", ""), params.get("departement", "")
    sort = params.get("tri", "code")
    return BoardFilters(
        state=state if state in BOARD_STATES else "", query=params.get("q", "").strip()[:100],
        region=region if region in regions() else "", department=department if department in departments() else "",
        overdue=params.get("retard") == "1", sort=sort if sort.lstrip("-") in BOARD_SORTS else "code",
    )


def _rows(request, instruction):
    return board_rows(user=request.user, instruction=instruction, filters=board_filters(request.GET))


def _sort_links(current: str) -> list[dict]:
    """Column headers: the URL value that sorts by each column (reversed when it is the current one)."""
    links = []
    for key, (label, _) in BOARD_SORTS.items():
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        links.append({"key": key, "label": label, "value": f"-{key}" if active and not descending else key,
                      "aria": ("descending" if descending else "ascending") if active else ""})
    return links


def _page_context(request, instruction) -> dict:
    """The rows of the requested page with their reminders, and the counts (shared by the page and its JSON)."""
    rows, counts = _rows(request, instruction)
    page = Paginator(rows, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    reminders = reminders_of(delivery_ids=[r.delivery.id for r in page])
    for row in page:
        row.reminders = reminders.get(row.delivery.id, [])
    return {"instruction": instruction, "page": page, "rows": page.object_list, "counts": counts,
            "filtered_count": len(rows), "may_chase": is_national(request.user), "matched": rows}


def _chart(request, instruction, context: dict):
    """The acknowledgements-over-time chart, over every fund whatever the filters (the page's rows are reused when
    no filter is set: no second read)."""
    if not instruction.issued_at:
        return None
    filters = board_filters(request.GET)
    unfiltered = filters == BoardFilters(sort=filters.sort)
    all_rows = context["matched"] if unfiltered else board_rows(user=request.user, instruction=instruction)[0]
    acknowledged = [r.delivery.acknowledged_at for r in all_rows if r.delivery.for_action
                    and r.delivery.acknowledged_version >= instruction.version and r.delivery.acknowledged_at]
    return acknowledgement_chart(start=instruction.issued_at, total=context["counts"]["total"],
                                 acknowledged_at=acknowledged)


@overseer_required
def board(request, instruction_id: int):
    instruction = get_board_instruction_for(user=request.user, instruction_id=instruction_id)
    context = _page_context(request, instruction)
    filters = board_filters(request.GET)
    scope_regions = regions_overseen(user=request.user)
    codes = {code for code, _ in scope_regions}
    context |= {
        "chart": _chart(request, instruction, context), "filters": filters, "sorts": _sort_links(filters.sort),
        "states": [(s, STATE_LABELS[s]) for s in BOARD_STATES],
        "regions": scope_regions, "departments": [d for d in departments().values() if d.region in codes],
        "refresh_seconds": getattr(settings, "BOARD_REFRESH_SECONDS", 30),
    }
    return render(request, "notifications/board.html", context)


@overseer_required
def board_data(request, instruction_id: int):
    """What the board's script polls: the counts, the chart and the rows of the page being looked at, rendered by
    the same templates as the page."""
    instruction = get_board_instruction_for(user=request.user, instruction_id=instruction_id)
    context = _page_context(request, instruction)
    context["chart"] = _chart(request, instruction, context)
    now = timezone.localtime()
    return JsonResponse({
        "updated_at": now.isoformat(), "updated_label": f"Mis à jour à {now:%H:%M:%S}",
        "counts": context["counts"],
        "chart": render_to_string("notifications/_board_chart.html", context, request=request),
        "tbody": render_to_string("notifications/_board_rows.html", context, request=request),
    })


@national_required
def board_chase(request, instruction_id: int):
    """"Relancer les caisses en retard": a confirmation naming the funds, then one reminder to each."""
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    if request.method == "POST":
        try:
            reminded = services.overdue_reminders_send(instruction=instruction, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{len(reminded)} caisse(s) en retard relancée(s).")
        return redirect("notifications:board", instruction.id)
    late = overdue_deliveries(instruction=instruction, today=timezone.localdate())
    return render(request, "notifications/board_chase.html", {"instruction": instruction, "late": late})


@overseer_required
def board_export(request, instruction_id: int, fmt: str):
    instruction = get_board_instruction_for(user=request.user, instruction_id=instruction_id)
    rows, _ = _rows(request, instruction)
    stamp = timezone.localdate().isoformat()
    filename = f"suivi-{instruction.reference}-{stamp}.{fmt}"
    lines = (board_line(row) for row in rows)
    if fmt == "csv":
        return csv_response(filename, BOARD_HEADER, lines)
    if fmt == "xlsx":
        return xlsx_response(filename, BOARD_HEADER, lines, title=instruction.reference)
    raise Http404


@national_required
@require_POST
def delivery_resend(request, delivery_id: int):
    delivery = get_delivery_for(user=request.user, delivery_id=delivery_id)
    try:
        services.delivery_resend(delivery=delivery, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Notification renvoyée à {delivery.fund.name}.")
    return redirect("notifications:board", delivery.instruction_id)


@national_required
def network(request):
    form = NetworkFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    standings = network_standing(department=filters.get("departement", "").upper(), region=filters.get("region", ""))
    shown = standings_view(standings, status=filters.get("statut", ""), sort=filters.get("tri", ""))
    context = {"form": form, "page": Paginator(shown, 30).get_page(request.GET.get("page")),
               "escalation": escalation_rows(standings=standings),
               "late_funds": sum(1 for s in standings if s.overdue), "sort": filters.get("tri") or "retard"}
    return render(request, "notifications/network.html", context)


@national_required
def network_chase(request):
    """The network's "Relancer les caisses en retard": a confirmation naming the funds and instructions, then one
    reminder per late delivery."""
    if request.method == "POST":
        try:
            reminded = services.network_reminders_send(actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{len(reminded)} relance(s) envoyée(s) à "
                                      f"{len({d.fund_id for d in reminded})} caisse(s) en retard.")
        return redirect("notifications:network")
    late = escalation_rows()
    return render(request, "notifications/network_chase.html",
                  {"late": late, "funds": len({row.delivery.fund_id for row in late})})
