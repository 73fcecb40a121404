"""National staff's instruction templates: list, create, change, delete; a draft starts from one."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from config.errors import ApplicationError
from network.permissions import national_required
from notifications import services
from notifications.forms import TemplateForm
from notifications.models import InstructionTemplate


def compose_initial(template_id: str | None) -> tuple[dict, InstructionTemplate | None]:
    """The compose form's first values from a template (reply-by = today + its delay)."""
    template = InstructionTemplate.objects.filter(pk=template_id).first() if str(template_id).isdigit() else None
    if template is None:
        return {}, None
    return {"title": template.title, "body": template.body, "required_actions": "\n".join(template.required_actions),
            "reply_by": timezone.localdate() + datetime.timedelta(days=template.reply_days)}, template


@national_required
def template_list(request):
    return render(request, "notifications/template_list.html", {"templates": InstructionTemplate.objects.all()})


@national_required
def template_edit(request, template_id: int | None = None):
    template = get_object_or_404(InstructionTemplate, pk=template_id) if template_id else None
    initial = TemplateForm.initial_for(template) if template else None
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.template_save(actor=request.user, template=template, **form.service_kwargs())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Modèle « {saved.name} » enregistré.")
            return redirect("notifications:templates")
    return render(request, "notifications/template_form.html", {"form": form, "template": template})


@national_required
def template_delete(request, template_id: int):
    template = get_object_or_404(InstructionTemplate, pk=template_id)
    if request.method == "POST":
        services.template_delete(actor=request.user, template=template)
        messages.success(request, f"Modèle « {template.name} » supprimé.")
        return redirect("notifications:templates")
    return render(request, "notifications/template_delete.html", {"template": template})
