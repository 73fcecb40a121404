"""Writing the access log on the register's roads: one row per lookup (valid NIR or not), written with the lookup's
own statement where it can be, once the gate admitted the caller (breaches.lookup.throttle). The append-only guard
watches updates and deletes, which these are not."""

from django.db import transaction
from django.utils import timezone

from breaches.lookup import throttle
from breaches.lookup.db import lookup_connection, lookup_cursor
from breaches.lookup.sql import insert_log_sql, rows_logged_sql, rows_sql
from config.errors import Throttled

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


def _rows_then_log(*, user_id: int, digests: list[str], log: list, alias: str) -> list[tuple]:
    """Elsewhere than on PostgreSQL: the count, the rows and the log row in three statements."""
    throttle.admit(user_id=user_id, quota=throttle.LOOKUPS, using=alias)
    with lookup_cursor() as cursor:
        cursor.execute(f"{rows_sql(len(digests))} ORDER BY b.discovered_on DESC, b.id", digests)
        rows = cursor.fetchall()
    log_insert(log, FLAGGED if rows else NOT_FLAGGED)
    return rows


def rows_logged(*, user_id: int, digests: list[str], log: list) -> list[tuple]:
    """The person's breach records, newest breach first, and the lookup's access-log row ("signalé" or not), once
    the gate admitted the user (breaches.lookup.throttle: Throttled when their quota is spent, nothing written).

    On PostgreSQL: the gate's lock on the user, then one statement (a data-modifying WITH) that counts, matches and
    logs, sent together in a pipeline: one transaction (implicit, until the pipeline's sync, or the surrounding
    one), one round trip, and the statement's snapshot is taken once the lock is held."""
    connection, quota = lookup_connection(), throttle.LOOKUPS
    if connection.vendor != "postgresql":
        with transaction.atomic(using=connection.alias):
            return _rows_then_log(user_id=user_id, digests=digests, log=log, alias=connection.alias)
    since = quota.window_start()
    params = [user_id, *quota.actions, connection.ops.adapt_datetimefield_value(since), quota.limit(), *digests,
              *log, FLAGGED, NOT_FLAGGED]
    with lookup_cursor() as lock, lookup_cursor() as cursor:
        with connection.wrap_database_errors, connection.connection.pipeline():
            lock.execute(throttle.LOCK_SQL, [throttle.LOCK_NAMESPACE, user_id])
            cursor.execute(rows_logged_sql(len(digests), len(quota.actions)), params)
        rows = cursor.fetchall()
    if rows[0][0] >= quota.limit():
        raise Throttled(throttle.quota_retry_after(user_id=user_id, quota=quota, since=since))
    return [row[1:] for row in rows if row[1] is not None]


def log_admitted(*, user_id: int, log: list, result: str) -> None:
    """A question the register cannot answer (an invalid NIR) still counts and is logged, through the gate."""
    alias = lookup_connection().alias
    with transaction.atomic(using=alias):
        throttle.admit(user_id=user_id, quota=throttle.LOOKUPS, using=alias)
        log_insert(log, result)
