"""National pages: search the access log by user, fund and date, and export it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from audit.access_log import AccessLogFilter, access_log_search
from audit.forms import AccessLogFilterForm
from config.db_router import replica_reads
from config.exports import csv_response
from network.permissions import national_required

HEADER = ["date", "utilisateur", "caisse", "action", "motif", "résultat", "empreinte du NIR", "adresse du poste"]


def _filters(request) -> tuple[AccessLogFilterForm, AccessLogFilter]:
    form = AccessLogFilterForm(request.GET or None)
    if form.is_valid():
        return form, AccessLogFilter(**form.cleaned_data)
    return form, AccessLogFilter()


@national_required
def access_log_list(request):
    form, filters = _filters(request)
    page = Paginator(access_log_search(filters=filters), 50).get_page(request.GET.get("page"))
    return render(request, "audit/access_log.html", {"form": form, "page": page, "sort": filters.sort})


def _lines(rows):
    for row in rows.iterator(chunk_size=2000):
        yield [
            timezone.localtime(row.created_at).isoformat(timespec="seconds"), row.user.username,
            row.fund.code if row.fund else "", row.get_action_display(), row.purpose, row.result,
            row.nir_digest, row.client_address or "",
        ]


@replica_reads
@national_required
def access_log_export(request):
    _form, filters = _filters(request)
    return csv_response("journal-des-acces.csv", HEADER, _lines(access_log_search(filters=filters)))
