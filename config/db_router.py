"""Reads of dashboards, reports and exports from a read replica (DATABASE_REPLICA_URL); lookups and every write stay
on the primary. Views opt in with @replica_reads: a page that reads what it has just written must not."""

import contextvars
import functools
from collections.abc import Iterator

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("vigie_replica_reads", default=False)


def _stream(content: Iterator) -> Iterator:
    """A streamed export runs after its view has returned: its rows are read from the replica too."""
    previous = _reading_from_replica.get()
    _reading_from_replica.set(True)
    try:
        yield from content
    finally:
        _reading_from_replica.set(previous)


def replica_reads(view):
    """The view's reads (and those of its streamed body) go to the replica, when there is one."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _reading_from_replica.set(True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            _reading_from_replica.reset(token)
        if getattr(response, "streaming", False):
            response.streaming_content = _stream(response.streaming_content)
        return response
    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if settings.REPLICA_READS and _reading_from_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None  # Django's choice (the lookup's own alias, an instance's database…)

    def db_for_write(self, model, **hints):
        instance = hints.get("instance")
        if _reading_from_replica.get() or (instance is not None and instance._state.db == REPLICA):
            return "default"  # never the replica, even for a row read from it
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return None if db != REPLICA else False
