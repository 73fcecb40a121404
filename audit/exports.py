"""CSV export of the change history (written by config.exports: the snapshots hold free text)."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from audit.selectors import CHANGE_TYPES, HISTORY_COLUMNS, changed_fields
from config.exports import csv_response

HEADER = ["date", "objet", "identifiant", "valeurs", "opération", "auteur", "champs modifiés"]


def _values(row) -> str:
    """The row's snapshot as name=value pairs (foreign keys as ids: no query per row)."""
    fields = [f.attname for f in row._meta.fields if f.attname not in HISTORY_COLUMNS]
    return "; ".join(f"{name}={getattr(row, name)}" for name in fields)


def history_lines(rows: list[tuple]) -> Iterator[list]:
    changes = changed_fields(rows)
    for kind, row in rows:
        yield [
            timezone.localtime(row.history_date).isoformat(timespec="seconds"),
            kind,
            row.id,
            _values(row),
            CHANGE_TYPES.get(row.history_type, row.history_type),
            row.history_user.username if row.history_user else "système",
            ", ".join(changes.get(row.history_id, [])),
        ]


def history_csv_response(rows: list[tuple], *, filename: str = "historique-vigie.csv") -> StreamingHttpResponse:
    return csv_response(filename, HEADER, history_lines(rows))
