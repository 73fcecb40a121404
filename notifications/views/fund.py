"""Fund users' pages: the inbox, a received instruction, acknowledging and attesting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from config.errors import ApplicationError
from network.permissions import may_act
from network.roles import ACKNOWLEDGE_INSTRUCTION
from notifications import services
from notifications.forms import AttestForm
from notifications.rendering import markdown_to_html
from notifications.selectors import delivery_state, get_delivery_for, inbox_notices


@login_required
def inbox(request):
    page = Paginator(inbox_notices(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


def _render_delivery(request, delivery, form=None):
    instruction = delivery.instruction
    may_answer = may_act(request.user, delivery.fund_id, ACKNOWLEDGE_INSTRUCTION)
    context = {
        "delivery": delivery, "instruction": instruction, "body_html": markdown_to_html(instruction.body),
        "may_answer": may_answer and instruction.status == instruction.Status.ISSUED,
        "received": delivery.acknowledged_version >= instruction.version,
        "implemented": delivery.attested_version >= instruction.version,
        "state": delivery_state(delivery, instruction, timezone.localdate()),
        "versions": list(instruction.versions.all()),
        "form": form or AttestForm(actions=instruction.required_actions),
    }
    return render(request, "notifications/delivery_detail.html", context)


@login_required
def delivery_detail(request, delivery_id: int):
    delivery = get_delivery_for(user=request.user, delivery_id=delivery_id)
    services.notices_mark_read(delivery=delivery, actor=request.user)
    return _render_delivery(request, delivery)


@login_required
@require_POST
def delivery_acknowledge(request, delivery_id: int):
    delivery = get_delivery_for(user=request.user, delivery_id=delivery_id, perm=ACKNOWLEDGE_INSTRUCTION)
    try:
        services.delivery_acknowledge(delivery=delivery, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Réception de la consigne accusée.")
    return redirect("notifications:delivery", delivery.id)


@login_required
@require_POST
def delivery_attest(request, delivery_id: int):
    delivery = get_delivery_for(user=request.user, delivery_id=delivery_id, perm=ACKNOWLEDGE_INSTRUCTION)
    form = AttestForm(request.POST, actions=delivery.instruction.required_actions)
    if form.is_valid():
        try:
            services.delivery_attest(delivery=delivery, actor=request.user,
                                     actions_done=form.cleaned_data["actions_done"],
                                     comment=form.cleaned_data["comment"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Mise en œuvre attestée.")
            return redirect("notifications:delivery", delivery.id)
    return _render_delivery(request, delivery, form)
