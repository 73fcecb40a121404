"""The access log of NIR lookups, decryptions and exports is append-only from the application's side.

Rows are written by the register's gate (breaches.lookup). Here: the guard that refuses any change or deletion
(model saves and deletes). On PostgreSQL the database refuses them too: UPDATE always (audit migration 0003),
DELETE and TRUNCATE unless the transaction raised the flag that only the retention purge raises (breaches
migration 0007). The purge is the only deletion path. The national search and export are audit's (audit.access_log).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils import timezone

from breaches.models import AccessLog
from config.errors import ApplicationError

logger = logging.getLogger(__name__)
PURGE_BATCH = 10_000
# Raises, for the current transaction only, the flag the database's delete guard lets through.
PURGE_FLAG_SQL = "SELECT set_config('vigie.access_log_purge', 'on', true)"


class AccessLogImmutable(ApplicationError):
    """An attempt to change or delete an access-log row."""


def _refuse_update(sender, instance, raw=False, **kwargs):
    if not raw and not instance._state.adding:
        raise AccessLogImmutable("Le journal des accès ne peut pas être modifié.")


def _refuse_delete(sender, instance, **kwargs):
    raise AccessLogImmutable("Le journal des accès ne peut pas être supprimé : il est purgé après sa durée de "
                             "conservation, et seulement ainsi.")


def guard_connect() -> None:
    pre_save.connect(_refuse_update, sender=AccessLog, dispatch_uid="access-log-append-only")
    pre_delete.connect(_refuse_delete, sender=AccessLog, dispatch_uid="access-log-no-delete")


def access_log_purge(*, now: dt.datetime | None = None) -> int:
    """Delete rows older than ACCESS_LOG_RETENTION_DAYS, in batches; returns how many. The only deletion path."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(AccessLog.objects.filter(created_at__lt=cutoff).order_by("id").values_list("id", flat=True)
                       [:PURGE_BATCH])
            if not ids:
                break
            purge_flag_raise(connection)
            # a raw delete: no per-row signal (the guard refuses those), one statement per batch
            total += AccessLog.objects.filter(id__in=ids)._raw_delete(connection.alias)
    logger.info("access log purged: rows=%s older_than=%s", total, cutoff.isoformat())
    return total


def purge_flag_raise(db) -> None:
    """Let this transaction delete access-log rows past the database's guard (PostgreSQL; elsewhere no guard)."""
    if db.vendor == "postgresql":
        with db.cursor() as cursor:
            cursor.execute(PURGE_FLAG_SQL)
