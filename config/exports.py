"""Exports that a spreadsheet opens safely: every text cell that a spreadsheet would read as a formula is
neutralised (a leading apostrophe), in CSV and in XLSX alike.

    return csv_response("registre.csv", ["Référence", "Titre"], rows)
    return xlsx_response("registre.xlsx", ["Référence", "Titre"], rows, title="Registre")
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A string that starts like a formula gets a leading apostrophe; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    """A streamed CSV (UTF-8 with BOM for Excel, semicolon-separated as French spreadsheets expect)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
        for row in rows:
            yield writer.writerow([neutralise(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, header: list[str], rows, title: str = "") -> HttpResponse:
    """An XLSX workbook of one sheet; text cells are stored as strings, never as formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Export")[:31])
    for row in [header, *rows]:
        sheet.append([neutralise(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
