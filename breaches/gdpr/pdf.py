"""HTML to PDF with WeasyPrint, fetching nothing: every style is in the document, no URL is ever followed."""

import logging

# WeasyPrint logs each rendering step at INFO (some while it is imported): noise in the application's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
