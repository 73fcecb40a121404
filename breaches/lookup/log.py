"""Writing the access log on the register's roads: one row per lookup (valid NIR or not), written with the lookup's
own statement where it can be. The append-only guard watches updates and deletes, which these are not."""

from django.db import connection
from django.utils import timezone

from breaches.lookup.db import lookup_connection, lookup_cursor
from breaches.lookup.sql import insert_log_sql, rows_logged_sql, rows_sql

FLAGGED, NOT_FLAGGED = "signalé", "non signalé"
PURPOSE_MAX = 200


def log_values(*, user, fund, action: str, digest: str = "", purpose: str = "", client_address=None) -> list:
    """An access-log row's values in LOG_COLUMNS order, but for the result."""
    ops = lookup_connection().ops
    return [user.pk, fund.pk if fund else None, action, digest, purpose[:PURPOSE_MAX],
            ops.adapt_ipaddressfield_value(client_address or None), ops.adapt_datetimefield_value(timezone.now())]


def log_insert(values: list, result: str) -> None:
    """One access-log row in one plain INSERT (no model instance: this runs on every lookup)."""
    with lookup_cursor() as cursor:
        cursor.execute(insert_log_sql(), [*values, result])


def rows_logged(*, digests: list[str], log: list) -> list[tuple]:
    """The person's breach records, newest breach first, and the lookup's access-log row ("signalé" or not): on
    PostgreSQL in one statement (a data-modifying WITH), elsewhere in two."""
    if connection.vendor != "postgresql":
        with lookup_cursor() as cursor:
            cursor.execute(f"{rows_sql(len(digests))} ORDER BY b.discovered_on DESC, b.id", digests)
            rows = cursor.fetchall()
        log_insert(log, FLAGGED if rows else NOT_FLAGGED)
        return rows
    with lookup_cursor() as cursor:
        cursor.execute(rows_logged_sql(len(digests)), [*digests, *log, FLAGGED, NOT_FLAGGED])
        return cursor.fetchall()
