"""Pages of the GDPR record (national staff only, 404 for anyone else): the record form, the timeline and its
documents, closing with confirmation, reopening, and the register with its exports."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from breaches.gdpr.clock import clock_of
from breaches.gdpr.completeness import missing_for_closing
from breaches.gdpr.forms import EventForm, RecordForm, ReopenForm
from breaches.gdpr.pdf import html_to_pdf
from breaches.gdpr.selectors import (
    REGISTER_HEADER,
    ROLE_FILTERS,
    get_event_for,
    register_breaches,
    register_row,
    register_years,
)
from breaches.gdpr.services import breach_event_add, breach_record_update, document_path
from breaches.models import Breach
from breaches.selectors import get_breach_for
from breaches.services import IncompleteRecord, breach_reopen, breach_set_status, may_reopen
from config.errors import ApplicationError
from config.exports import csv_response, xlsx_response
from network.permissions import national_required


@national_required
def breach_record(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    initial = RecordForm.initial_for(breach, people_from_cohort=breach.people_count)
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            breach_record_update(breach=breach, actor=request.user, **form.to_service())
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Dossier RGPD de %(ref)s enregistré.") % {"ref": breach.reference})
            return redirect("breaches:breach-detail", reference=breach.reference)
    return render(request, "breaches/gdpr/record_form.html", {"form": form, "breach": breach})


@require_POST
@national_required
def breach_event_create(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    form = EventForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Événement non ajouté : indiquez son type, sa date et un résumé."))
        return redirect("breaches:breach-detail", reference=breach.reference)
    try:
        breach_event_add(breach=breach, actor=request.user, kind=form.cleaned_data["kind"],
                         occurred_at=form.cleaned_data["occurred_at"], summary=form.cleaned_data["summary"],
                         upload=form.cleaned_data["document"])
    except ApplicationError as error:
        messages.error(request, _("Événement non ajouté : %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _("Événement ajouté à la chronologie."))
    return redirect("breaches:breach-detail", reference=breach.reference)


@national_required
def breach_event_document(request, reference: str, event_id: int):
    breach = get_breach_for(user=request.user, reference=reference)
    event = get_event_for(breach=breach, event_id=event_id)
    if event is None or not event.document_stored or not document_path(event).exists():
        raise Http404
    return FileResponse(document_path(event).open("rb"), content_type=event.document_type, as_attachment=True,
                        filename=event.document_name)


@national_required
def breach_close(request, reference: str):
    """Closing asks for confirmation and says what follows; it is refused while the record is incomplete."""
    breach = get_breach_for(user=request.user, reference=reference)
    if breach.status == Breach.Status.CLOSED:
        return redirect("breaches:breach-detail", reference=breach.reference)
    missing = missing_for_closing(breach, now=timezone.now())
    if request.method == "POST" and not missing:
        try:
            breach_set_status(breach=breach, status=Breach.Status.CLOSED, actor=request.user)
        except IncompleteRecord as error:
            missing = error.missing
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Fuite %(ref)s close.") % {"ref": breach.reference})
            return redirect("breaches:breach-detail", reference=breach.reference)
    return render(request, "breaches/gdpr/close_confirm.html", {
        "breach": breach, "missing": missing, "retention_months": settings.COHORT_RETENTION_MONTHS})


@national_required
def breach_reopen_view(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    if not may_reopen(breach):
        raise Http404
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach_reopen(breach=breach, actor=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Fuite %(ref)s rouverte.") % {"ref": breach.reference})
            return redirect("breaches:breach-detail", reference=breach.reference)
    return render(request, "breaches/gdpr/reopen.html", {"breach": breach, "form": form})


def _register_filters(request) -> dict:
    year = request.GET.get("year", "").strip()
    return {"year": int(year) if year.isdigit() else None,
            "role": request.GET.get("role", "").strip() if request.GET.get("role") in dict(ROLE_FILTERS) else "",
            "status": request.GET.get("status", "") if request.GET.get("status") in Breach.Status.values else ""}


@national_required
def breach_register(request):
    filters = _register_filters(request)
    breaches = list(register_breaches(**filters))
    now = timezone.now()
    return render(request, "breaches/gdpr/register.html", {
        "rows": [(breach, clock_of(breach, now=now)) for breach in breaches], "filters": filters,
        "years": register_years(), "roles": ROLE_FILTERS, "statuses": Breach.Status.choices,
        "query": request.GET.urlencode(),
    })


def _export_name(filters: dict, extension: str) -> str:
    return f"registre-violations{'-' + str(filters['year']) if filters['year'] else ''}.{extension}"


@national_required
def breach_register_export(request, fmt: str):
    """The register as CSV or XLSX (formulas neutralised by config.exports) or as a PDF for the annual review."""
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    filters = _register_filters(request)
    now = timezone.now()
    breaches = list(register_breaches(**filters))
    rows = [register_row(breach, now=now) for breach in breaches]
    if fmt == "csv":
        return csv_response(_export_name(filters, "csv"), REGISTER_HEADER, rows)
    if fmt == "xlsx":
        return xlsx_response(_export_name(filters, "xlsx"), REGISTER_HEADER, rows, title="Registre des violations")
    html = render_to_string("breaches/gdpr/register_pdf.html", {
        "rows": [(breach, list(zip(REGISTER_HEADER, row, strict=True))[2:]) for breach, row in zip(breaches, rows,
                                                                                                    strict=True)],
        "filters": filters, "printed_at": now, "role_label": dict(ROLE_FILTERS).get(filters["role"], ""),
        "status_label": dict(Breach.Status.choices).get(filters["status"], "")})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(filters, "pdf")}"'
    return response
