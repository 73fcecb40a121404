"""Opening many signal cases at once. On PostgreSQL: one INSERT … SELECT FROM jsonb_to_recordset(one JSON
parameter) ON CONFLICT DO NOTHING whose RETURNING feeds the timeline insert (tens of thousands of cases in one
statement, no per-value parameter binding); elsewhere the ORM's bulk_create. Both leave the same rows: a case
and its 'opened' event, the dedup constraint deciding."""

import json
from collections.abc import Sequence

from django.db import connection

from casework.cases.models import Case, CaseEvent

_CASE_FIELDS = [  # field, PostgreSQL type; each row's key is the field's attname ("fund_id")
    ("fund", "bigint"), ("subject_digest", "text"), ("nir_masked", "text"), ("signal_kind", "text"),
    ("signal_occurred_on", "date"), ("summary", "text"), ("priority", "smallint"), ("due_on", "date"),
]


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _postgres_sql() -> str:
    case_table, event_table = (connection.ops.quote_name(m._meta.db_table) for m in (Case, CaseEvent))
    record = ", ".join(f"{Case._meta.get_field(name).attname} {kind}" for name, kind in _CASE_FIELDS)
    selected = ", ".join(f"rows.{Case._meta.get_field(name).attname}" for name, _ in _CASE_FIELDS)
    fields = [_column(Case, name) for name, _ in _CASE_FIELDS]
    constants = ["origin", "status", "closing_reason", "signal_batch", "opened_by", "created_at", "updated_at"]
    columns = ", ".join(fields + [_column(Case, name) for name in constants])
    event_columns = ", ".join(_column(CaseEvent, name) for name in (
        "case", "kind", "actor", "created_at", "body", "from_status", "to_status"))
    return (
        f"WITH opened AS (INSERT INTO {case_table} ({columns}) "
        f"SELECT {selected}, 'signal', 'new', '', %s, %s, now(), now() "
        f"FROM jsonb_to_recordset(%s::jsonb) AS rows({record}) "
        f"ON CONFLICT DO NOTHING RETURNING id, {_column(Case, 'summary')} AS summary) "
        f"INSERT INTO {event_table} ({event_columns}) "
        f"SELECT id, 'opened', %s, now(), summary, '', '' FROM opened"
    )


def insert_signal_cases(rows: Sequence[dict], *, batch_id: int, actor_id: int) -> int:
    """Insert signal cases (dicts of the _CASE_FIELDS) and their 'opened' events; returns how many were
    actually opened (a person, kind and date already opened is skipped by the constraint)."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        payload = json.dumps(list(rows), default=str)  # dates as ISO strings
        with connection.cursor() as cursor:
            cursor.execute(_postgres_sql(), [batch_id, actor_id, payload, actor_id])
            return cursor.rowcount
    cases = [Case(**row, origin=Case.Origin.SIGNAL, signal_batch_id=batch_id, opened_by_id=actor_id) for row in rows]
    Case.objects.bulk_create(cases, batch_size=2000, ignore_conflicts=True)
    opened = list(Case.objects.filter(signal_batch_id=batch_id).values_list("id", "summary"))
    CaseEvent.objects.bulk_create([CaseEvent(case_id=case_id, kind=CaseEvent.Kind.OPENED, actor_id=actor_id,
                                             body=summary) for case_id, summary in opened], batch_size=2000)
    return len(opened)
