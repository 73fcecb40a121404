"""National staff's tracking: one instruction's board (with exports), the network view, re-sending."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from network.permissions import national_required
from notifications import services
from notifications.charts import acknowledgement_chart
from notifications.exports import board_csv, board_xlsx
from notifications.forms import NetworkFilterForm
from notifications.selectors import (
    BOARD_STATES,
    STATE_LABELS,
    board_rows,
    escalation_rows,
    get_delivery_for,
    get_instruction_for,
    network_standing,
    standings_view,
)


def _rows(request, instruction):
    state = request.GET.get("statut", "")
    return board_rows(user=request.user, instruction=instruction,
                      state=state if state in BOARD_STATES else "", query=request.GET.get("q", "").strip())


@national_required
def board(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    rows, counts = _rows(request, instruction)
    all_rows = rows if not request.GET else board_rows(user=request.user, instruction=instruction)[0]
    acknowledged = [r.delivery.acknowledged_at for r in all_rows if r.delivery.for_action
                    and r.delivery.acknowledged_version >= instruction.version and r.delivery.acknowledged_at]
    chart = acknowledgement_chart(start=instruction.issued_at, total=counts["total"],
                                  acknowledged_at=acknowledged) if instruction.issued_at else None
    context = {
        "instruction": instruction, "rows": rows, "counts": counts, "chart": chart,
        "states": [(s, STATE_LABELS[s]) for s in BOARD_STATES], "state": request.GET.get("statut", ""),
        "query": request.GET.get("q", ""),
    }
    return render(request, "notifications/board.html", context)


@national_required
def board_export(request, instruction_id: int, fmt: str):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    rows, _ = _rows(request, instruction)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(board_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            board_xlsx(rows, instruction.reference),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="suivi-{instruction.reference}-{stamp}.{fmt}"'
    return response


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
    standings = network_standing(department=filters.get("departement", "").upper())
    shown = standings_view(standings, status=filters.get("statut", ""), sort=filters.get("tri", ""))
    context = {"form": form, "page": Paginator(shown, 30).get_page(request.GET.get("page")),
               "escalation": escalation_rows(standings=standings),
               "late_funds": sum(1 for s in standings if s.overdue), "sort": filters.get("tri") or "retard"}
    return render(request, "notifications/network.html", context)
