"""The CSP forbids inline scripts, event-handler attributes, javascript: URLs and <style> elements (config/settings
base.py): a template that carries one is broken in production, whatever the test client says. Every template of the
project is read here, so a new one cannot slip through."""

import re

import pytest
from django.conf import settings

TEMPLATES_DIR = settings.BASE_DIR / "templates"
FORBIDDEN = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
}


# Documents rendered to PDF by WeasyPrint on the server: never sent to a browser, so the CSP does not apply and their
# print styles may sit in the document.
PDF_DOCUMENTS = {"breaches/gdpr/register_pdf.html", "reporting/weekly_report.html"}


def _templates():
    return sorted(p for p in TEMPLATES_DIR.rglob("*") if p.suffix in {".html", ".txt", ".xml"}
                  and str(p.relative_to(TEMPLATES_DIR)) not in PDF_DOCUMENTS)


def offences(text: str) -> list[str]:
    return [name for name, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_the_project_has_templates_to_scan():
    assert len(_templates()) > 50


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_template_has_no_inline_script_or_handler(path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet", [
    "<script>alert(1)</script>", '<script type="module">x()</script>', '<select onchange="this.form.submit()">',
    '<a href="javascript:void(0)">', "<style>p{}</style>", '<button\n  onclick="go()">',
])
def test_the_scan_catches_each_kind(snippet):
    assert offences(snippet)


@pytest.mark.parametrize("snippet", [
    '<script src="/static/vigie/js/cohort-progress.js" defer></script>', '<p data-on="x">', "<p>onglet = 3</p>",
])
def test_the_scan_lets_static_scripts_and_data_attributes_through(snippet):
    assert offences(snippet) == []
