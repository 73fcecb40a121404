from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from breaches.forms import CohortUploadForm, RouteForm
from breaches.importing import cohort_import_retry, cohort_retryable, cohort_upload, report_file
from breaches.selectors import get_breach_for, get_cohort_for, unassigned_of, unassigned_summary
from breaches.services import people_route
from config.errors import ApplicationError
from config.uploads import upload_limit, upload_refusal
from network.models import Fund
from network.permissions import national_required


@upload_limit("COHORT_UPLOAD_MAX_BYTES")
@require_POST
@national_required
def cohort_create(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    form = CohortUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, upload_refusal(request) or _("Choisissez un fichier CSV ou XLSX."))
        return redirect("breaches:breach-detail", reference=reference)
    try:
        cohort = cohort_upload(actor=request.user, breach=breach, uploaded_file=form.cleaned_data["file"],
                               allow_missing_key=form.cleaned_data["allow_missing_key"])
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("breaches:breach-detail", reference=reference)
    messages.info(request, _("Fichier reçu : l'import est lancé."))
    return redirect("breaches:cohort-detail", pk=cohort.pk)


def _progress(cohort) -> dict:
    return {"status": cohort.status, "status_label": str(cohort.get_status_display()), "progress": cohort.progress,
            "rows": cohort.rows, "imported": cohort.imported, "rejected": cohort.rejected,
            "duplicates": cohort.duplicates, "unassigned": cohort.unassigned, "error": cohort.error_message}


@national_required
def cohort_detail(request, pk: int):
    cohort = get_cohort_for(user=request.user, cohort_id=pk)
    return render(request, "breaches/cohort_detail.html", {
        "cohort": cohort, "progress": _progress(cohort), "retryable": cohort_retryable(cohort)})


@require_POST
@national_required
def cohort_retry(request, pk: int):
    cohort = get_cohort_for(user=request.user, cohort_id=pk)
    try:
        cohort_import_retry(actor=request.user, cohort=cohort)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("L'import est relancé sur le fichier déposé."))
    return redirect("breaches:cohort-detail", pk=cohort.pk)


@national_required
def cohort_progress(request, pk: int):
    return JsonResponse(_progress(get_cohort_for(user=request.user, cohort_id=pk)))


@national_required
def cohort_report(request, pk: int):
    cohort = get_cohort_for(user=request.user, cohort_id=pk)
    path = report_file(cohort)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"rejets-cohorte-{cohort.pk}.csv",
                        content_type="text/csv; charset=utf-8")


@national_required
def unassigned(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    form = RouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fund = Fund.objects.filter(code=form.cleaned_data["fund"].strip()).first()
        try:
            if fund is None:
                raise ApplicationError(_("Caisse inconnue."))
            routed = people_route(breach=breach, fund=fund, actor=request.user,
                                  department=form.cleaned_data["department"],
                                  postcode_prefix=form.cleaned_data["postcode_prefix"], person_ids=form.person_ids())
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s personne(s) confiée(s) à la caisse %(code)s.")
                             % {"n": routed, "code": fund.code})
            return redirect("breaches:unassigned", reference=reference)
    page = Paginator(unassigned_of(breach=breach), 50).get_page(request.GET.get("page"))
    return render(request, "breaches/unassigned.html", {
        "breach": breach, "form": form, "summary": unassigned_summary(breach=breach), "page": page,
        "funds": Fund.objects.filter(is_active=True).order_by("code"),
    })
