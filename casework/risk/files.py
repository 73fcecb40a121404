"""Reading a signals file: CSV (comma or semicolon) with a header nir, kind, occurred_on, fund[, iban]."""

import csv
import io

from config.errors import ApplicationError

COLUMNS = {"nir", "kind", "occurred_on", "fund"}


def signals_read(content: bytes) -> list[dict]:
    """The rows of the file as dicts (line numbers start at 2, after the header). Raises on a bad header."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("Le fichier doit être encodé en UTF-8.")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {(name or "").strip().lower() for name in reader.fieldnames or []}
    missing = COLUMNS - header
    if missing:
        raise ApplicationError("Colonnes manquantes : " + ", ".join(sorted(missing)) + ".")
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]
