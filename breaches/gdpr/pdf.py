"""HTML to PDF with WeasyPrint, fetching nothing: every style is in the document, no URL is ever followed."""

import logging

# WeasyPrint logs each rendering step at INFO (some while it is imported): noise in the application's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy (0.6 s): loaded by the first PDF, not by every process that loads the URLs

    return HTML(string=html, url_fetcher=_refuse).write_pdf()
