"""HTML to PDF with WeasyPrint, fetching nothing: every style is in the document, no URL is ever followed."""

from weasyprint import HTML


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_refuse).write_pdf()
