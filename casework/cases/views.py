"""Case pages: the fund's queue, a case with its timeline, and the actions on it (all through services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.cases import services
from casework.cases.attachments import attachment_path, case_attach
from casework.cases.forms import AssignForm, AttachmentForm, CommentForm, QueueFilterForm, ShareForm, StatusForm
from casework.cases.selectors import (
    MANAGE,
    WORK,
    case_assignees,
    case_timeline,
    cases_for,
    get_case_for,
    queue_assignees,
    queue_filter,
    today,
    user_can,
    user_from_input,
)
from casework.cases.selectors import my_cases as cases_mine
from casework.search import masked_query
from config.errors import ApplicationError
from config.uploads import upload_limit, upload_refusal
from network.permissions import funds_of, may_act
from network.roles import MANAGE_CASES, WORK_CASES


def masked_redirect(request):
    """The search forms are posted, so a full NIR typed in the box never stands in a URL (nor in the server's
    logs): the filters come back as a shareable GET address, the query in its masked form. A GET holding a full
    NIR (a hand-typed address) is sent to its masked form too."""
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "")
    if request.method != "POST" and not (query and masked_query(query) != query.strip()):
        return None
    params = source.copy()
    params.pop("csrfmiddlewaretoken", None)
    params.pop("page", None)
    if query:
        params["q"] = masked_query(query)
    return redirect(f"{request.path}?{params.urlencode()}")


@login_required
def my_cases(request):
    page = Paginator(cases_mine(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "casework/my_cases.html", {"page": page, "today": today()})


@login_required
def case_queue(request):
    if redirect_to := masked_redirect(request):
        return redirect_to
    assignees = queue_assignees(user=request.user)
    form = QueueFilterForm(request.GET or None, assignees=assignees)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = queue_filter(cases_for(user=request.user), user=request.user, status=filters.get("status", ""),
                         assignee=filters.get("assignee", ""), priority=filters.get("priority", ""),
                         origin=filters.get("origin", ""), overdue=filters.get("overdue", False),
                         query=filters.get("q", ""))
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    can_manage = funds_of(user=request.user, perm=MANAGE_CASES).exists()
    own_funds = set(funds_of(user=request.user, perm=WORK_CASES).values_list("id", flat=True))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "casework/case_queue.html", {
        "page": page, "form": form, "can_manage": can_manage, "assignees": assignees, "today": today(),
        "own_funds": own_funds,
        "query": query.urlencode()})


@login_required
@require_POST
def case_bulk_assign(request):
    if not funds_of(user=request.user, perm=MANAGE_CASES).exists():
        raise Http404  # managers only, before anything is read
    ids = [int(i) for i in request.POST.getlist("case") if i.isascii() and i.isdigit() and len(i) <= 18]
    if not ids:
        messages.error(request, _("Choisissez des dossiers et un agent."))
        return redirect("case-queue")
    assignee = user_from_input(request.POST.get("assignee"))
    try:
        changed = services.cases_bulk_assign(case_ids=ids, actor=request.user, assignee=assignee)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(n)s dossier(s) attribué(s).") % {"n": changed})
    return redirect("case-queue")


@login_required
def case_detail(request, case_id: int):
    case = get_case_for(user=request.user, case_id=case_id)
    can_work = user_can(user=request.user, case=case, perm=WORK)
    context = {"case": case, "events": case_timeline(case=case), "can_work": can_work, "today": today()}
    if can_work:
        assignees = list(case_assignees(fund=case.fund))
        context.update(
            comment_form=CommentForm(), attachment_form=AttachmentForm(),
            status_form=StatusForm(allowed=services.TRANSITIONS.get(case.status, set())),
            share_form=ShareForm(), assign_form=AssignForm(assignees=assignees),
            can_manage=user_can(user=request.user, case=case, perm=MANAGE),
            is_owner_fund=may_act(request.user, case.fund_id, WORK_CASES))
    return render(request, "casework/case_detail.html", context)


def _gate(request, case_id: int):
    """The case the user may work on, else 404 — before any form is read, so an outsider learns nothing."""
    return get_case_for(user=request.user, case_id=case_id, perm=WORK)


def _refuse(request, case, form) -> object:
    """Back to the case with each field's error (e.g. a NIR typed in a comment) as a message."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label} : {error}" if label else error)
    return redirect("case-detail", case.pk)


def _act(request, case, action, success: str = "") -> object:
    try:
        action(case)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect("case-detail", case.pk)


@login_required
@require_POST
def case_comment(request, case_id: int):
    case = _gate(request, case_id)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _refuse(request, case, form)
    body = form.cleaned_data["body"]
    return _act(request, case, lambda case: services.case_comment(case=case, actor=request.user, body=body),
                success=_("Commentaire ajouté."))


@login_required
@require_POST
def case_status(request, case_id: int):
    case = _gate(request, case_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _refuse(request, case, form)
    data = form.cleaned_data
    return _act(request, case, lambda case: services.case_change_status(
        case=case, actor=request.user, status=data["status"], closing_reason=data["closing_reason"],
        comment=data["comment"]))


@login_required
@require_POST
def case_assign(request, case_id: int):
    case = _gate(request, case_id)
    assignee = user_from_input(request.POST.get("assignee"), me=request.user)
    if assignee is None:
        messages.error(request, services.UNKNOWN_AGENT)
        return redirect("case-detail", case.pk)
    result = _act(request, case, lambda case: services.case_assign(case=case, actor=request.user,
                                                                       assignee=assignee))
    if request.POST.get("next") == "queue":
        return redirect("case-queue")
    return result


@login_required
@require_POST
def case_share(request, case_id: int):
    case = _gate(request, case_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _refuse(request, case, form)
    data = form.cleaned_data
    return _act(request, case, lambda case: services.case_share(case=case, actor=request.user,
                                                                    fund=data["fund"], reason=data["reason"]))


@upload_limit("CASE_ATTACHMENT_MAX_BYTES")
@login_required
@require_POST
def case_attachment_add(request, case_id: int):
    case = _gate(request, case_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, upload_refusal(request) or _("Choisissez un fichier."))
        return redirect("case-detail", case.pk)
    upload = form.cleaned_data["file"]
    return _act(request, case, lambda case: case_attach(case=case, actor=request.user, upload=upload),
                success=_("Pièce jointe « %(name)s » ajoutée.") % {"name": upload.name})


@login_required
def case_attachment(request, case_id: int, attachment_id: int):
    """The only way to a stored scan: through the case gate (404 for anyone who may not see the case)."""
    case = get_case_for(user=request.user, case_id=case_id)
    attachment = case.attachments.filter(pk=attachment_id).first()
    if attachment is None or not attachment_path(attachment).exists():
        raise Http404
    response = FileResponse(attachment_path(attachment).open("rb"), content_type=attachment.content_type,
                            as_attachment=True, filename=attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
