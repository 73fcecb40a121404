"""Markdown to safe HTML, and the guard that keeps NIRs and IBANs out of instructions (and so out of e-mails)."""

import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from config.errors import ApplicationError
from config.screening import identity_data_in

_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown converter per thread: building one loads its extensions (~1 ms per notice otherwise)."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=["extra", "sane_lists"])
    return _local.converter


def markdown_to_html(text: str) -> SafeString:
    """Render staff-written Markdown; nh3 strips scripts, event handlers and unsafe URLs."""
    html = _converter().reset().convert(text or "")
    return mark_safe(nh3.clean(html))  # noqa: S308 — cleaned by nh3 just above


def reject_nir(**texts: str) -> None:
    """An instruction goes to every fund by e-mail: it must never carry a NIR or an IBAN (the one screening of
    free text, `config.screening`, also applied here because the services are called from tasks and admin)."""
    for name, text in texts.items():
        found = identity_data_in(text)
        if found:
            raise ApplicationError(
                f"Une consigne ne doit contenir aucun {found} : retirez le numéro du texte.", extra={"field": name}
            )
