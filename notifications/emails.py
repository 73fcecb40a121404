"""The notice e-mail: French, HTML and text, the whole instruction, its required actions, its dates and a link."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications.models import Instruction, Notice
from notifications.rendering import markdown_to_html, markdown_to_text

# One SMTP connection per worker process, reused from notice to notice (a fan-out is ~100 messages in a row).
_connections: dict[tuple, object] = {}


def _subject(notice: Notice, instruction: Instruction) -> str:
    ref, title = instruction.reference, instruction.title
    if notice.kind == Notice.Kind.AMENDMENT:
        return f"[Vigie] Consigne {ref} modifiée (version {notice.version}) : {title}"
    if notice.kind == Notice.Kind.WITHDRAWAL:
        return f"[Vigie] Consigne {ref} retirée : {title}"
    if notice.kind == Notice.Kind.REMINDER:
        late = instruction.reply_by and instruction.reply_by < timezone.localdate()
        return f"[Vigie] {'Consigne en retard' if late else 'Relance'} — {ref} : {title}"
    return f"[Vigie] Nouvelle consigne {ref} : {title}"


def notice_context(*, notice: Notice) -> dict:
    delivery = notice.delivery
    instruction = delivery.instruction
    return {
        "notice": notice,
        "instruction": instruction,
        "fund": delivery.fund,
        "delivery": delivery,
        "body_text": markdown_to_text(instruction.body),
        "body_html": markdown_to_html(instruction.body),
        "url": settings.SITE_URL + reverse("notifications:delivery", args=[delivery.id]),
        "late": bool(instruction.reply_by and instruction.reply_by < timezone.localdate()),
    }


def notice_message(*, notice: Notice, addresses: list[str], may_repeat: bool = False) -> EmailMultiAlternatives:
    """The message for one notice. Its Message-ID (the same at every attempt) and X-Vigie-Idempotency-Key let a
    relay or a mail client keep one copy. `may_repeat`: sent again after a worker died mid-send, so an earlier copy
    may have arrived; X-Vigie-Peut-Repeter says so and References points at that copy's Message-ID."""
    context = notice_context(notice=notice)
    message_id = f"<{notice.message_id}@vigie.invalid>"
    headers = {"Message-ID": message_id, "X-Vigie-Idempotency-Key": notice.key, "X-Vigie-Notice-Kind": notice.kind}
    if may_repeat:
        headers.update({"X-Vigie-Peut-Repeter": f"oui; cle={notice.key}", "References": message_id})
    message = EmailMultiAlternatives(
        subject=_subject(notice, context["instruction"]),
        body=render_to_string("notifications/email/notice.txt", context),
        to=addresses,
        headers=headers,
    )
    message.attach_alternative(render_to_string("notifications/email/notice.html", context), "text/html")
    return message


def warm_up() -> None:
    """Load the URLconf, the templates and Markdown before the pool forks: no child pays ~1 s on its first notice."""
    reverse("notifications:delivery", args=[1])
    for name in ("notifications/email/notice.txt", "notifications/email/notice.html"):
        get_template(name)
    markdown_to_html("*Vigie*")


def _reset() -> None:
    for connection in _connections.values():
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass  # already broken: nothing to close cleanly
    _connections.clear()


def _connection():
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if key not in _connections:
        _reset()
        connection = get_connection()
        connection.open()  # opened here, so send() leaves it open for the next notice
        _connections[key] = connection
    return _connections[key]


def message_send(message: EmailMultiAlternatives) -> None:
    """Send on the process's open connection; a connection the server closed meanwhile is reopened once."""
    for attempt in (1, 2):
        message.connection = _connection()
        try:
            message.send()
            return
        except smtplib.SMTPServerDisconnected:
            _reset()
            if attempt == 2:
                raise
        except (smtplib.SMTPException, OSError):
            _reset()  # the next attempt starts on a fresh connection
            raise
