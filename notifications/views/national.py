"""National staff's pages: compose with preview, issue with confirmation, amend, withdraw."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from config.errors import ApplicationError
from network.permissions import is_national, national_required
from notifications import services
from notifications.forms import AmendForm, InstructionForm, WithdrawForm, add_service_error
from notifications.models import Instruction, InstructionTemplate
from notifications.rendering import markdown_to_html
from notifications.selectors import get_instruction_for, instruction_counts, instructions_visible_to
from notifications.views.templates import compose_initial


@login_required
def instruction_list(request):
    if not is_national(request.user):
        return redirect("notifications:inbox")
    instructions = instructions_visible_to(user=request.user)
    status = request.GET.get("statut", "")
    if status in Instruction.Status.values:
        instructions = instructions.filter(status=status)
    page = Paginator(instructions, 50).get_page(request.GET.get("page"))
    counts = instruction_counts(instruction_ids=[i.id for i in page])
    for instruction in page:
        instruction.counts = counts.get(instruction.id, {"total": 0, "acknowledged": 0, "information": 0})
    return render(request, "notifications/instruction_list.html",
                  {"page": page, "status": status, "statuses": Instruction.Status.choices})


def _preview(form) -> dict:
    return {"title": form.cleaned_data["title"], "body_html": markdown_to_html(form.cleaned_data["body"]),
            "actions": form.actions()}


def _save_form(request, form, instruction=None):
    """Preview or save a draft; a domain error keeps everything typed."""
    if not form.is_valid():
        return None, None
    if "preview" in request.POST:
        return None, _preview(form)
    try:
        if instruction is None:
            instruction = services.instruction_create(actor=request.user, **form.service_kwargs())
        else:
            instruction = services.instruction_update(instruction=instruction, actor=request.user,
                                                      **form.service_kwargs())
    except ApplicationError as exc:
        add_service_error(form, exc)
        return None, None
    messages.success(request, f"Brouillon {instruction.reference} enregistré.")
    return instruction, None


@national_required
def instruction_compose(request):
    initial, template = compose_initial(request.GET.get("modele"))
    form = InstructionForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST":
        instruction, preview = _save_form(request, form)
        if instruction:
            return redirect("notifications:instruction", instruction.id)
    context = {"form": form, "preview": preview, "template": template,
               "templates": InstructionTemplate.objects.only("id", "name")}
    return render(request, "notifications/instruction_form.html", context)


@national_required
def instruction_edit(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    if instruction.status != Instruction.Status.DRAFT:
        messages.error(request, "Seul un brouillon peut être modifié ; une consigne émise s'amende.")
        return redirect("notifications:instruction", instruction.id)
    form = InstructionForm(request.POST or None, initial=InstructionForm.initial_for(instruction))
    preview = None
    if request.method == "POST":
        saved, preview = _save_form(request, form, instruction)
        if saved:
            return redirect("notifications:instruction", instruction.id)
    return render(request, "notifications/instruction_form.html",
                  {"form": form, "preview": preview, "instruction": instruction})


@national_required
def instruction_detail(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    context = {
        "instruction": instruction, "body_html": markdown_to_html(instruction.body),
        "versions": instruction.versions.select_related("created_by"),
        "target_funds": instruction.target_funds.all(), "information_funds": instruction.information_funds.all(),
    }
    return render(request, "notifications/instruction_detail.html", context)


@national_required
def instruction_issue(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    targets = services.target_funds_resolve(instruction=instruction)
    if request.method == "POST":
        try:
            services.instruction_issue(instruction=instruction, actor=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("notifications:instruction", instruction.id)
        messages.success(request, f"Consigne {instruction.reference} émise vers {len(targets)} caisses.")
        return redirect("notifications:board", instruction.id)
    context = {"instruction": instruction, "target_count": len(targets),
               "action_funds": [fund for fund, for_action in targets if for_action],
               "information_funds": [fund for fund, for_action in targets if not for_action],
               "information_count": sum(1 for _, for_action in targets if not for_action)}
    return render(request, "notifications/instruction_issue.html", context)


@national_required
def instruction_amend(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    initial = {"title": instruction.title, "body": instruction.body, "reply_by": instruction.reply_by,
               "required_actions": "\n".join(instruction.required_actions),
               "effective_date": instruction.effective_date}
    form = AmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.instruction_amend(instruction=instruction, actor=request.user, **form.service_kwargs())
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Nouvelle version de {instruction.reference} envoyée aux caisses.")
            return redirect("notifications:board", instruction.id)
    return render(request, "notifications/instruction_amend.html", {"form": form, "instruction": instruction})


@national_required
def instruction_withdraw(request, instruction_id: int):
    instruction = get_instruction_for(user=request.user, instruction_id=instruction_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.instruction_withdraw(instruction=instruction, actor=request.user,
                                          reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Consigne {instruction.reference} retirée ; les caisses sont prévenues.")
            return redirect("notifications:instruction", instruction.id)
    return render(request, "notifications/instruction_withdraw.html", {"form": form, "instruction": instruction})
