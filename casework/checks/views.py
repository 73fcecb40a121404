"""Check pages: the form (reached from a lookup with the NIR in the POST body), a check, the fund's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases.services import case_open_from_check
from casework.cases.views import masked_redirect
from casework.checks.forms import CheckFilterForm, CheckForm
from casework.checks.models import Check
from casework.checks.selectors import checks_for, get_check_for
from casework.checks.services import check_log
from casework.identity import person_from_lookup
from casework.search import search
from config.errors import ApplicationError, Throttled
from network.permissions import funds_of, may_act
from network.roles import LOG_CHECK, WORK_CASES


def _log_funds(user):
    funds = list(funds_of(user=user, perm=LOG_CHECK).order_by("code"))
    if not funds:
        raise Http404
    return funds


@login_required
def check_new(request):
    """GET: empty form. POST with step=prefill (from the lookup result): form holding the NIR. POST: log it."""
    funds = _log_funds(request.user)
    if request.method != "POST" or request.POST.get("step") == "prefill":
        return render(request, "casework/check_form.html",
                      _form_context(CheckForm(initial=_prefill(request.POST, funds), funds=funds), request.user))
    form = CheckForm(request.POST, funds=funds)
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = person_from_lookup(data["person"], user=request.user) if data["person"] else None
            logged = check_log(actor=request.user, fund=data["fund"], nir=data["nir"], person=person, kind=data["kind"],
                               channel=data["channel"], outcome=data["outcome"], note=data["note"],
                               iban=data["iban"], open_case=data["open_case"] and data["outcome"] == "anomaly",
                               client_address=request.META.get("REMOTE_ADDR") or None)
        except Throttled as error:  # the form keeps what was typed
            form.add_error(None, error.message)
            return render(request, "casework/check_form.html", _form_context(form, request.user), status=429)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Vérification consignée."))
            if logged.case is not None:
                messages.success(request, _("Dossier n° %(id)s ouvert.") % {"id": logged.case.pk})
                return redirect("case-detail", logged.case.pk)
            return redirect("check-detail", logged.check.pk)
    return render(request, "casework/check_form.html", _form_context(form, request.user), status=400)


def _prefill(posted, funds) -> dict:
    """The form as the lookup left it: the person, the request's kind and channel (from the lookup's motive), and
    "open a case on anomaly" ticked, so an anomaly is not logged without its case by accident."""
    initial = {"nir": posted.get("nir", ""), "person": posted.get("person", ""), "fund": funds[0].pk,
               "open_case": True}
    if posted.get("kind") in Check.Kind.values:
        initial["kind"] = posted["kind"]
    if posted.get("channel") in Check.Channel.values:
        initial["channel"] = posted["channel"]
    return initial


def _form_context(form: CheckForm, user) -> dict:
    """The masked NIR of the person looked up, when the form comes from a lookup (shown instead of the NIR)."""
    token = form["person"].value()
    try:
        masked = person_from_lookup(token, user=user).masked if token else ""
    except ApplicationError as error:
        form.add_error(None, error.message)
        masked = ""
    return {"form": form, "person_masked": masked}


@login_required
def check_detail(request, check_id: int):
    check = get_check_for(user=request.user, check_id=check_id)
    can_open = (check.outcome in ("anomaly", "escalated") and not hasattr(check, "case")
                and may_act(request.user, check.fund_id, WORK_CASES))
    return render(request, "casework/check_detail.html", {"check": check, "can_open_case": can_open})


@login_required
@require_POST
def check_open_case(request, check_id: int):
    check = get_check_for(user=request.user, check_id=check_id, perm=WORK_CASES)
    try:
        case = case_open_from_check(check=check, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("check-detail", check.pk)
    messages.success(request, _("Dossier n° %(id)s ouvert.") % {"id": case.pk})
    return redirect("case-detail", case.pk)


@login_required
def check_list(request):
    if redirect_to := masked_redirect(request):
        return redirect_to
    form = CheckFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    checks = search(checks_for(user=request.user), filters.get("q", ""))
    if filters.get("outcome"):
        checks = checks.filter(outcome=filters["outcome"])
    if filters.get("kind"):
        checks = checks.filter(kind=filters["kind"])
    page = Paginator(checks.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "casework/check_list.html", {"page": page, "form": form})
