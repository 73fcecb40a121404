"""Markdown to safe HTML, and the guard that keeps NIRs out of instructions (and so out of e-mails)."""

import re
import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from config.errors import ApplicationError

# 13 digits (a NIR without its key, Corsica 2A/2B included) possibly followed by a 2-digit key, with separators.
_NIR_LIKE = re.compile(r"(?<![\dA-Za-z])[12378](?:[\s.\-]?[\dAB]){12}(?:[\s.\-]?\d{2})?(?![\dA-Za-z])", re.I)


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


def contains_nir(text: str) -> bool:
    return bool(_NIR_LIKE.search(text or ""))


def reject_nir(**texts: str) -> None:
    """An instruction goes to every fund by e-mail: it must never carry a NIR."""
    for name, text in texts.items():
        if contains_nir(text):
            raise ApplicationError(
                "Une consigne ne doit contenir aucun NIR : retirez le numéro du texte.", extra={"field": name}
            )
