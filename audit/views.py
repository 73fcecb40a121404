"""National pages: the change history of audited objects, readable and exportable."""

from django.core.paginator import Paginator
from django.shortcuts import render

from audit.exports import history_csv_response
from audit.forms import HistoryFilterForm
from audit.selectors import CHANGE_TYPES, HistoryFilter, MergedHistory, changed_fields, history_rows
from config.db_router import replica_reads
from network.permissions import national_required

PAGE_ROWS = 50


def _filters(request) -> tuple[HistoryFilterForm, HistoryFilter]:
    form = HistoryFilterForm(request.GET or None)
    if form.is_valid():
        return form, HistoryFilter(**form.cleaned_data)
    return form, HistoryFilter()


@national_required
def history_list(request):
    form, filters = _filters(request)
    page = Paginator(MergedHistory(filters), PAGE_ROWS).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    changes = changed_fields(rows)
    entries = [
        {"kind": kind, "row": row, "operation": CHANGE_TYPES.get(row.history_type),
         "changed": changes.get(row.history_id)}
        for kind, row in rows
    ]
    return render(request, "audit/history_list.html", {"form": form, "entries": entries, "page": page,
                                                       "sort": filters.sort})


@replica_reads
@national_required
def history_export(request):
    _form, filters = _filters(request)
    return history_csv_response(history_rows(user=request.user, filters=filters))
