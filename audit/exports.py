"""CSV export of the change history."""

import csv
from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

from audit.selectors import CHANGE_TYPES, HISTORY_COLUMNS, changed_fields

HEADER = ["date", "objet", "identifiant", "valeurs", "opération", "auteur", "champs modifiés"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _values(row) -> str:
    """The row's snapshot as name=value pairs (foreign keys as ids: no query per row)."""
    fields = [f.attname for f in row._meta.fields if f.attname not in HISTORY_COLUMNS]
    return "; ".join(f"{name}={getattr(row, name)}" for name in fields)


def history_csv_lines(rows: list[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    changes = changed_fields(rows)
    yield "\ufeff" + writer.writerow(HEADER)
    for kind, row in rows:
        yield writer.writerow([
            timezone.localtime(row.history_date).isoformat(timespec="seconds"),
            kind,
            row.id,
            _values(row),
            CHANGE_TYPES.get(row.history_type, row.history_type),
            row.history_user.username if row.history_user else "système",
            ", ".join(changes.get(row.history_id, [])),
        ])


def history_csv_response(rows: list[tuple], *, filename: str = "historique-vigie.csv") -> StreamingHttpResponse:
    response = StreamingHttpResponse(history_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
