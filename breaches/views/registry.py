from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from breaches.forms import BreachForm, CohortUploadForm
from breaches.gdpr.clock import clock_of
from breaches.gdpr.completeness import missing_for_closing
from breaches.gdpr.forms import EventForm
from breaches.gdpr.selectors import people_estimate, timeline_of
from breaches.models import Breach, DataCategory
from breaches.selectors import (
    breach_search,
    breaches_visible_to,
    cohorts_of,
    counts_by_department,
    counts_by_fund,
    get_breach_for,
    is_network_member,
    unassigned_of,
)
from breaches.services import breach_create, breach_set_status, breach_update, may_reopen
from config.errors import ApplicationError
from network.permissions import is_national, national_required

FILTERS = ("q", "status", "severity", "category", "department")


@login_required
def breach_list(request):
    if not is_network_member(user=request.user):
        raise Http404
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    breaches = breach_search(breaches_visible_to(user=request.user), query=filters["q"], status=filters["status"],
                             severity=filters["severity"], category=filters["category"],
                             department=filters["department"])
    page = Paginator(breaches, 25).get_page(request.GET.get("page"))
    return render(request, "breaches/breach_list.html", {
        "page": page, "filters": filters, "national": is_national(request.user),
        "statuses": Breach.Status.choices, "severities": Breach.Severity.choices, "categories": DataCategory.choices,
    })


def _service_fields(form: BreachForm) -> dict:
    return dict(form.cleaned_data)


@national_required
def breach_create_view(request):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            breach = breach_create(actor=request.user, **_service_fields(form))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Fuite %(ref)s enregistrée.") % {"ref": breach.reference})
            return redirect("breaches:breach-detail", reference=breach.reference)
    return render(request, "breaches/breach_form.html", {"form": form, "breach": None})


@national_required
def breach_edit(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    form = BreachForm(request.POST or None, initial=BreachForm.initial_for(breach))
    if request.method == "POST" and form.is_valid():
        try:
            breach_update(breach=breach, actor=request.user, **_service_fields(form))
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Fuite %(ref)s modifiée.") % {"ref": breach.reference})
            return redirect("breaches:breach-detail", reference=breach.reference)
    return render(request, "breaches/breach_form.html", {"form": form, "breach": breach})


@login_required
def breach_detail(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    national = is_national(request.user)
    context = {
        "breach": breach, "national": national,
        "by_fund": counts_by_fund(breach=breach, user=request.user),
        "by_department": counts_by_department(breach=breach, user=request.user),
    }
    if national:
        now = timezone.now()
        context.update(
            cohorts=cohorts_of(breach=breach), upload_form=CohortUploadForm(),
            unassigned_count=unassigned_of(breach=breach).count(),
            may_monitor=breach.status == Breach.Status.OPEN, may_reopen=may_reopen(breach, now=now),
            clock=clock_of(breach, now=now), timeline=timeline_of(breach), event_form=EventForm(),
            missing=missing_for_closing(breach, now=now) if breach.status != Breach.Status.CLOSED else [],
            people_estimate=people_estimate(breach),
        )
    return render(request, "breaches/breach_detail.html", context)


@require_POST
@national_required
def breach_status(request, reference: str):
    breach = get_breach_for(user=request.user, reference=reference)
    status = request.POST.get("status", "")
    if status == Breach.Status.CLOSED and not request.POST.get("confirm"):
        return redirect("breaches:breach-close", reference=breach.reference)  # closing asks for confirmation
    try:
        breach = breach_set_status(breach=breach, status=status, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Statut : %(status)s.") % {"status": breach.get_status_display()})
    return redirect("breaches:breach-detail", reference=breach.reference)
