from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from breaches.forms import ExportForm, LookupForm
from breaches.lookup import throttle
from breaches.lookup.export import EXPORT_HEADER, MOTIVE_REQUIRED, export_fund_for, people_export
from breaches.lookup.history import lookup_history
from breaches.lookup.http import client_address, request_caller
from breaches.lookup.service import person_lookup
from breaches.selectors import people_of_fund
from config.errors import ApplicationError, Throttled
from config.exports import csv_response
from network.permissions import may_act, national_required
from network.roles import EXPORT_PEOPLE
from network.selectors import get_fund_for


@login_required
def lookup(request):
    """The agent's page: the NIR goes in a POST body, the answer is rendered, nothing lands in the URL."""
    caller = request_caller(request).require_access()
    form = LookupForm(request.POST or None)
    result, history, prefill = None, {}, {}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if not throttle.allowed(caller):  # early refusal; the gate's count under its lock is the one that holds
                raise Throttled(throttle.retry_after(caller))
            result = person_lookup(caller=caller, nir=form.cleaned_data["nir"],
                                   purpose=form.access_purpose(), client_address=client_address(request))
        except Throttled as error:  # the form keeps what was typed
            messages.error(request, error.message)
            status = 429
        except ApplicationError as error:
            form.add_error("nir", error.message)
            status = 400
        else:
            history = lookup_history(digest=result.digest, fund=caller.fund())
            prefill = {"kind": form.cleaned_data["motive"], "channel": form.cleaned_data["channel"]}
    context = {"form": LookupForm() if result else form, "result": result, "history": history, "prefill": prefill}
    return render(request, "breaches/lookup.html", context, status=status)


@login_required
def fund_people(request, code: str):
    """A fund's affected people, masked. Another fund's users get 404."""
    fund = get_fund_for(user=request.user, code=code)
    page = Paginator(people_of_fund(fund=fund), 50).get_page(request.GET.get("page"))
    can_export = may_act(request.user, fund, EXPORT_PEOPLE)
    return render(request, "breaches/fund_people.html", {"fund": fund, "page": page, "can_export": can_export,
                                                         "export_form": ExportForm()})


@require_POST
@login_required
def fund_export(request, code: str):
    fund = export_fund_for(user=request.user, code=code)
    form = ExportForm(request.POST)
    if not form.is_valid():
        reason = form.errors.get("purpose", [MOTIVE_REQUIRED])[0] if form.data.get("purpose") else MOTIVE_REQUIRED
        return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")
    try:
        rows = people_export(user=request.user, fund=fund, purpose=form.cleaned_data["purpose"],
                             client_address=client_address(request))
    except ApplicationError as error:  # Throttled included (429), with when to retry
        response = HttpResponse(error.message, status=error.status_code, content_type="text/plain; charset=utf-8")
        if isinstance(error, Throttled):
            response["Retry-After"] = str(error.retry_after)
        return response
    response = csv_response(f"personnes-exposees-{fund.code}.csv", EXPORT_HEADER, rows)
    response["Cache-Control"] = "no-store"
    return response


@national_required
def access_log(request):
    """The former second page of the same log: one "Journal des accès" now (audit's search), filters kept."""
    query = request.GET.urlencode()
    return redirect(reverse("access-log-list") + (f"?{query}" if query else ""), permanent=True)
