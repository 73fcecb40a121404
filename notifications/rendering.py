"""An instruction's Markdown as safe HTML (page and e-mail) and as plain text (the e-mail's text part), and the
guard that keeps NIRs and IBANs out of instructions (and so out of e-mails).

An instruction goes to every fund by e-mail: its text must not become a phishing vector. Links keep their address
only when they point to the intranet (SITE_URL) or to a host of INSTRUCTION_LINK_HOSTS; images are dropped
altogether (no tracking pixel, nothing fetched from a remote host)."""

import re
import threading
from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from config.errors import ApplicationError
from config.screening import identity_data_in
from notifications.plaintext import html_to_text

# What staff-written Markdown may produce. No img (remote images, tracking pixels), no attribute holding a URL
# but a link's href, which `_vetted_href` checks.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}

_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown converter per thread: building one loads its extensions (~1 ms per notice otherwise)."""
    if not hasattr(_local, "converter"):
        _local.converter = markdown.Markdown(extensions=["extra", "sane_lists"])
    return _local.converter


def _allowed_hosts() -> set[str]:
    return {(urlsplit(settings.SITE_URL).hostname or "").lower(), *settings.INSTRUCTION_LINK_HOSTS} - {""}


def link_target(url: str) -> str | None:
    """The address a link may keep: an http(s) URL on an allowed host, or an intranet path made absolute (so it
    works from an e-mail). None for anything else (other hosts, mailto:, javascript:, protocol-relative…)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return settings.SITE_URL + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and host in _allowed_hosts() and not parts.username:
        return url
    return None


def _vetted_href(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return link_target(value)
    return value


def markdown_to_html(text: str) -> SafeString:
    """Render staff-written Markdown: scripts, handlers, images and links off the allowed hosts are removed."""
    html = _converter().reset().convert(text or "")
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=_vetted_href,
                        clean_content_tags={"script", "style"})
    return mark_safe(cleaned)  # noqa: S308 — cleaned by nh3 just above


def markdown_to_text(text: str) -> str:
    """The same Markdown as plain text: paragraphs, bullet and numbered lists, no `**` or `_` markers; allowed
    links keep their address in brackets."""
    return html_to_text(markdown_to_html(text))


_HOST = r"[^\s/?#<>()\[\]\"'`]+"
# An address with a scheme, a protocol-relative one ("//host.tld", a dot needed so "12//2026" is no host), or www.
_URL_HOST = re.compile(rf"\b[a-z][a-z0-9+.\-]*://({_HOST})|(?<![\w:])//([^\s/?#<>()\[\]\"'`.]+\.{_HOST})"
                       rf"|\b(www\.{_HOST})", re.I)
_IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]|<\s*img\b", re.I)


def foreign_hosts(text: str) -> list[str]:
    """The hosts named by addresses in `text` (links or bare URLs, which mail clients turn into links) that are
    neither the intranet nor allowed."""
    allowed = _allowed_hosts()
    hosts = {(m.group(1) or m.group(2) or m.group(3)).rsplit("@", 1)[-1].split(":")[0].lower().rstrip(".")
             for m in _URL_HOST.finditer(text or "")}
    return sorted(hosts - allowed)


def reject_foreign_content(**texts: str) -> None:
    """Refuse links to hosts outside the intranet and the allow-list, and images: a notice must not be a way to
    send the funds' staff elsewhere, or to track who opened it."""
    for name, text in texts.items():
        if _IMAGE.search(text or ""):
            raise ApplicationError("Une consigne ne peut pas contenir d'image.", extra={"field": name})
        hosts = foreign_hosts(text)
        if hosts:
            raise ApplicationError(
                "Une consigne ne peut renvoyer qu'à l'intranet ou aux sites autorisés (INSTRUCTION_LINK_HOSTS) ; "
                f"adresse(s) refusée(s) : {', '.join(hosts)}.", extra={"field": name})


def reject_nir(**texts: str) -> None:
    """An instruction goes to every fund by e-mail: it must never carry a NIR or an IBAN (the one screening of
    free text, `config.screening`, also applied here because the services are called from tasks and admin)."""
    for name, text in texts.items():
        found = identity_data_in(text)
        if found:
            raise ApplicationError(
                f"Une consigne ne doit contenir aucun {found} : retirez le numéro du texte.", extra={"field": name}
            )
