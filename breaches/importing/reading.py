"""Read a cohort file row by row, whatever its shape: CSV (UTF-8 with or without BOM, Windows-1252/Latin-1,
comma, semicolon or tab) or XLSX, with French or English headers. Memory stays flat: one row at a time."""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from config.errors import ApplicationError

FIELDS = ("nir", "last_name", "first_name", "birth_date", "postcode", "fund_code", "source", "sample_date")
_ALIASES = {
    "nir": {"nir", "nia", "nss", "numerosecu", "numerosecuritesociale", "numerodesecuritesociale",
            "securitesociale", "numeroinsee", "insee", "ssn", "socialsecuritynumber"},
    "last_name": {"nom", "nomdefamille", "nomdenaissance", "nomdusage", "lastname", "surname", "familyname", "name"},
    "first_name": {"prenom", "prenoms", "firstname", "givenname"},
    "birth_date": {"datedenaissance", "datenaissance", "naissance", "nele", "birthdate", "dateofbirth", "dob"},
    "postcode": {"codepostal", "cp", "postcode", "postalcode", "zip", "zipcode"},
    "fund_code": {"caisse", "codecaisse", "cpam", "organisme", "organismedaffiliation", "fund", "fundcode"},
    "source": {"laboratoire", "labo", "source", "lab", "laboratory", "etablissement", "organisationsource"},
    "sample_date": {"datedeprelevement", "dateprelevement", "prelevement", "datedupreleve", "sampledate",
                    "samplingdate", "datedelanalyse"},
}
_HEADER_TO_FIELD = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
_CHUNK = 1 << 20


@dataclass(slots=True)
class SourceRow:
    line: int
    values: dict[str, object]


def canonical_header(text: object) -> str:
    """'Date de naissance ' -> 'datedenaissance', 'Prénom' -> 'prenom'."""
    decomposed = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return "".join(char for char in decomposed.lower() if char.isalnum())


def map_headers(headers: list[object]) -> dict[str, int]:
    """Field name -> column index. Only the NIR column is required."""
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        canonical = canonical_header(header)
        field = _HEADER_TO_FIELD.get(canonical) or ("nir" if "securitesociale" in canonical else None)
        if field and field not in columns:
            columns[field] = index
    if "nir" not in columns:
        raise ApplicationError("Colonne NIR introuvable : la première ligne doit nommer les colonnes (NIR, nom…).")
    return columns


def detect_encoding(path: Path) -> str:
    """'utf-8-sig' when a BOM is present, else UTF-8 if the whole file decodes, else Windows-1252 (a superset of
    Latin-1's letters: œ, €), else Latin-1 (every byte decodes)."""
    with path.open("rb") as handle:
        if handle.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(_CHUNK):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _is_blank(cells: list[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _pick(cells: list, columns: dict[str, int]) -> dict[str, object]:
    return {field: cells[index] if index < len(cells) else None for field, index in columns.items()}


class CohortFile:
    """Iterate `rows()`; `fraction()` tells how far the reading is (0..1) for progress bars."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = max(self.path.stat().st_size, 1)
        self._fraction = 0.0

    def fraction(self) -> float:
        return self._fraction

    def rows(self) -> Iterator[SourceRow]:
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()
        self._fraction = 1.0

    def _csv_rows(self) -> Iterator[SourceRow]:
        encoding = detect_encoding(self.path)
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            first = text.readline()
            delimiter = max(";,\t", key=first.count)
            text.seek(0)
            reader = csv.reader(text, delimiter=delimiter)
            columns = None
            for cells in reader:
                if _is_blank(cells):
                    continue
                if columns is None:
                    columns = map_headers(cells)
                    continue
                if reader.line_num % 1000 == 0:
                    self._fraction = raw.tell() / self.size
                yield SourceRow(reader.line_num, _pick(cells, columns))
            if columns is None:
                raise ApplicationError("Le fichier est vide.")

    def _xlsx_rows(self) -> Iterator[SourceRow]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise ApplicationError(f"Classeur XLSX illisible ({exc.__class__.__name__}).")
        try:
            sheet = workbook.active
            total = max(sheet.max_row or 1, 1)
            columns = None
            for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = list(cells)
                if _is_blank(cells):
                    continue
                if columns is None:
                    columns = map_headers(cells)
                    continue
                self._fraction = min(line / total, 1.0)
                yield SourceRow(line, _pick(cells, columns))
            if columns is None:
                raise ApplicationError("Le classeur est vide.")
        finally:
            workbook.close()


def as_text(value: object) -> str:
    """A cell as text: Excel numbers lose their '.0', dates become ISO."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


_DATE_LAYOUTS = (
    (re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), (3, 2, 1)),
)


def as_date(value: object) -> datetime.date | None:
    """ISO, French (31/12/1985, 31-12-1985, 31.12.1985) or an Excel date; anything else is left out."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not value:
        return None
    text = as_text(value).split("T")[0].split(" ")[0]
    if len(text) == 10 and text[2] == "/" and text[5] == "/":  # the usual French layout, without regex
        try:
            return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            return None
    for pattern, (year, month, day) in _DATE_LAYOUTS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(int(match[year]), int(match[month]), int(match[day]))
            except ValueError:
                return None
    return None
