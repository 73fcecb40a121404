"""Read a cohort file row by row, whatever its shape: CSV (UTF-8 with or without BOM, Windows-1252/Latin-1,
comma, semicolon or tab) or XLSX, with French or English headers. Memory stays flat: a chunk of rows at a time.

The file comes from whoever leaked the data: cells and rows are bounded while reading (COHORT_CELL_MAX_CHARS,
COHORT_ROW_MAX_CHARS). A CSV line is refused before it is read whole; an XLSX is scanned for over-long texts
before openpyxl expands its shared strings (a 155 KB file can hold a 150 MB string)."""

import codecs
import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

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


def _refuse_long_line(line: int, limit: int) -> None:
    raise ApplicationError(f"Ligne {line} trop longue (plus de {limit} caractères) : le fichier est refusé. "
                           "Vérifiez qu'il s'agit bien d'une liste de personnes.")


def _refuse_long_cell(line: int, limit: int) -> None:
    raise ApplicationError(f"Ligne {line} : une cellule dépasse {limit} caractères, le fichier est refusé. "
                           "Vérifiez qu'il s'agit bien d'une liste de personnes.")


def _bounded_lines(text, limit: int) -> Iterator[str]:
    """The file's physical lines; one longer than `limit` is refused before it is read whole."""
    number = 0
    while line := text.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(("\n", "\r")):
            _refuse_long_line(number, limit)
        yield line


def _check_xml_texts(archive: zipfile.ZipFile, name: str, limit: int) -> None:
    """No text between two tags of `name` longer than `limit` bytes, read by chunks (memory stays flat)."""
    carry = 0  # bytes since the last '<', carried from one chunk into the next
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            runs = chunk.split(b"<")
            runs[0] = carry + len(runs[0])
            longest = max(runs[0], max(map(len, runs[1:]), default=0))
            if longest > limit:
                raise ApplicationError(f"Le classeur contient un texte de plus de {limit // 4} caractères : "
                                       "le fichier est refusé.")
            carry = runs[0] if len(runs) == 1 else len(runs[-1])


def check_xlsx_texts(path: Path, cell_max: int) -> None:
    """Scan every part of an XLSX before openpyxl loads it (the package may put its strings under any name)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                _check_xml_texts(archive, name, 4 * cell_max)  # UTF-8: up to 4 bytes a character
    except (zipfile.BadZipFile, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise ApplicationError(f"Classeur XLSX illisible ({exc.__class__.__name__}).")


@dataclass(frozen=True, slots=True)
class CsvLayout:
    delimiter: str
    columns: dict[str, int]
    cell_max: int
    row_max: int


@dataclass(slots=True)
class Chunk:
    """Consecutive records of a file, parsed where they are handled (maybe another process). A CSV chunk holds its
    raw lines, cheaper to hand over than cells; an XLSX chunk holds rows already read. `fraction`: how far into
    the file it ends, for progress bars."""
    first_line: int
    fraction: float
    lines: list[str] | None = None
    layout: CsvLayout | None = None
    rows: list[SourceRow] | None = None


def check_sizes(line: int, texts: list[str], cell_max: int, row_max: int) -> None:
    if sum(map(len, texts)) <= min(cell_max, row_max):  # the usual row: no cell can be too long
        return
    lengths = list(map(len, texts))
    if lengths and max(lengths) > cell_max:
        _refuse_long_cell(line, cell_max)
    if sum(lengths) > row_max:
        _refuse_long_line(line, row_max)


def chunk_rows(chunk: Chunk) -> Iterator[SourceRow]:
    """The rows of a chunk; a CSV chunk's lines are parsed again (they hold whole records) and checked."""
    if chunk.rows is not None:
        yield from chunk.rows
        return
    layout, offset = chunk.layout, chunk.first_line - 1
    reader = csv.reader(chunk.lines, delimiter=layout.delimiter)
    for cells in reader:
        line = offset + reader.line_num
        check_sizes(line, cells, layout.cell_max, layout.row_max)
        if "".join(cells).strip():  # not a blank line nor blank cells (CSV cells are all text)
            yield SourceRow(line, _pick(cells, layout.columns))


def _unreadable_csv(line: int) -> ApplicationError:
    # a field past csv's own limit: often a quote never closed, which runs on to the end of the file
    return ApplicationError(f"Fichier CSV illisible vers la ligne {line} (champ trop long ou guillemet non fermé) : "
                            "le fichier est refusé.")


class CohortFile:
    """Iterate `chunks(size)`: `size` records at a time, in file order, memory flat."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = max(self.path.stat().st_size, 1)
        self.cell_max = settings.COHORT_CELL_MAX_CHARS
        self.row_max = settings.COHORT_ROW_MAX_CHARS

    def chunks(self, size: int) -> Iterator[Chunk]:
        if self.path.suffix.lower() in (".xlsx", ".xlsm"):
            return self._xlsx_chunks(size)
        return self._csv_chunks(size)

    def _csv_chunks(self, size: int) -> Iterator[Chunk]:
        """The file is parsed here only to find where records end (a quoted cell may span lines); the lines of
        `size` records go out as one chunk."""
        encoding = detect_encoding(self.path)
        with self.path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, newline="") as text:
            first = next(_bounded_lines(text, self.row_max), "")
            delimiter = max(";,\t", key=first.count)
            text.seek(0)
            taken: list[str] = []  # lines read since the last chunk; csv reads no further than the record it yields
            reader = csv.reader(_kept(_bounded_lines(text, self.row_max), taken), delimiter=delimiter)
            try:
                layout = self._csv_layout(reader, delimiter)
                taken.clear()
                yield from self._csv_records(reader, taken, layout, size, raw)
            except csv.Error:
                raise _unreadable_csv(reader.line_num)

    def _csv_layout(self, reader, delimiter: str) -> CsvLayout:
        """The columns, from the first record that is not blank."""
        for cells in reader:
            check_sizes(reader.line_num, cells, self.cell_max, self.row_max)
            if "".join(cells).strip():
                return CsvLayout(delimiter, map_headers(cells), self.cell_max, self.row_max)
        raise ApplicationError("Le fichier est vide.")

    def _csv_records(self, reader, taken: list[str], layout: CsvLayout, size: int, raw) -> Iterator[Chunk]:
        """Chunks of `size` records. A refusal while reading (a line too long, csv's field limit) first hands over
        the whole records before it: a refusal earlier in the file, found where the chunk is parsed, is the one
        reported, as in a reading in one pass."""
        first_line, records, whole = reader.line_num + 1, 0, 0
        try:
            for _cells in reader:
                records, whole = records + 1, len(taken)
                if records == size:
                    yield Chunk(first_line, raw.tell() / self.size, lines=taken[:], layout=layout)
                    taken.clear()
                    first_line, records, whole = reader.line_num + 1, 0, 0
        except (ApplicationError, csv.Error):
            if whole:
                yield Chunk(first_line, raw.tell() / self.size, lines=taken[:whole], layout=layout)
            raise
        if taken:
            yield Chunk(first_line, 1.0, lines=taken[:], layout=layout)

    def _xlsx_chunks(self, size: int) -> Iterator[Chunk]:
        rows: list[SourceRow] = []
        for row, fraction in self._xlsx_rows():
            rows.append(row)
            if len(rows) == size:
                yield Chunk(rows[0].line, fraction, rows=rows)
                rows = []
        if rows:
            yield Chunk(rows[0].line, 1.0, rows=rows)

    def _xlsx_rows(self) -> Iterator[tuple[SourceRow, float]]:
        from openpyxl import load_workbook

        check_xlsx_texts(self.path, self.cell_max)
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
                check_sizes(line, [cell for cell in cells if cell.__class__ is str], self.cell_max, self.row_max)
                if _is_blank(cells):
                    continue
                if columns is None:
                    columns = map_headers(cells)
                    continue
                yield SourceRow(line, _pick(cells, columns)), min(line / total, 1.0)
            if columns is None:
                raise ApplicationError("Le classeur est vide.")
        finally:
            workbook.close()


def _kept(lines: Iterator[str], taken: list[str]) -> Iterator[str]:
    for line in lines:
        taken.append(line)
        yield line


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
    return _date_from_text(as_text(value))


@functools.lru_cache(maxsize=1 << 16)  # a cohort has far fewer distinct dates than rows (36,500 a century)
def _date_from_text(text: str) -> datetime.date | None:
    text = text.split("T")[0].split(" ")[0]
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
