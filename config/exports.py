"""Every CSV or XLSX file the application writes goes through here, so that none can carry a spreadsheet formula.

Exported cells hold text that came from outside (comments, purposes, cohort files from the third party that
leaked them): a cell starting with =, +, -, @, a tab or a carriage return is a live formula once opened in a
spreadsheet. CSV cells get OWASP's leading apostrophe; XLSX cells are written with the string data type, so they
are never formulas, and keep exactly the text that was typed.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(value):
    """The value, with a leading apostrophe if it is a string a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """csv.writer writes into this and gets the line back: rows are streamed, never gathered."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[Sequence]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([neutralise(name) for name in header])  # BOM: Excel reads the accents right
    for row in rows:
        yield writer.writerow(["" if value is None else neutralise(value) for value in row])


class _NeutralWriter:
    def __init__(self, handle):
        self._writer = csv.writer(handle, delimiter=";")

    def writerow(self, row: Sequence) -> None:
        self._writer.writerow(["" if value is None else neutralise(value) for value in row])


def csv_writer(handle) -> _NeutralWriter:
    """For a CSV file written on disk (the import's rejection report): `writerow` neutralises every cell."""
    return _NeutralWriter(handle)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: list[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A streamed CSV download (semicolons, UTF-8 with BOM); every cell neutralised."""
    return _attachment(StreamingHttpResponse(_csv_lines(header, rows), content_type=CSV_TYPE), filename)


def _xlsx_value(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # Excel has no time zones: the local time, as shown on the pages
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters would make openpyxl refuse the file
    return value


def _xlsx_cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would take "=…" for a formula: text stays text
    return cell


def xlsx_response(filename: str, header: list[str], rows: Iterable[Sequence], title: str = "") -> HttpResponse:
    """An XLSX download of one sheet (named `title`, cut to Excel's 31 characters): text cells are strings."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_SHEET_FORBIDDEN.sub("-", title)[:31] or "Export")
    sheet.append([_xlsx_cell(sheet, name) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE), filename)
