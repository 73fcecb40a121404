"""The per-user quotas of the register's gate, counted in the access log, where every question writes its row: they
hold across all the server's processes with no other store to keep in step (a per-process cache would give the
rate once per gunicorn worker).

- `LOOKUPS` (DRF's throttle rate 'lookup', LOOKUP_THROTTLE): one person at a time (lookup page and API, checks);
- `BULK` (rate 'register_bulk', REGISTER_BULK_THROTTLE): a whole list at once (a signal load, a fund's export),
  one row per load.

Race-free: `admit` takes a transaction-scoped advisory lock on the user before it counts, and the road writes its
row before that transaction ends, so a user's concurrent questions are counted one after the other. The caller's
statement (`Caller.recent`, since `window_start()`) also reads the lookup count, without the lock: the adapters use
it to refuse early a caller already over the rate; the count under the lock is the one that holds."""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from breaches.lookup.access import Caller
from breaches.models import AccessLog
from config.errors import Throttled

SCOPE = "lookup"
# pg_advisory_xact_lock(namespace, user id): the namespace keeps the gate's locks apart from any other's.
LOCK_NAMESPACE = 0x56494749  # "VIGI"
LOCK_SQL = "SELECT pg_advisory_xact_lock(%s, %s)"
UNLIMITED = 2**31 - 1


class _Rate(SimpleRateThrottle):
    """DRF's reading of a rate ("120/min"), from the settings as they are now (DRF's class keeps the rates it found
    when it was first imported)."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


@dataclass(frozen=True)
class Quota:
    scope: str
    actions: tuple[str, ...]

    def rate(self) -> tuple[int | None, int | None]:
        """(questions allowed, per so many seconds); (None, None) when no rate is set."""
        current = _Rate(self.scope)
        return current.num_requests, current.duration

    def limit(self) -> int:
        return self.rate()[0] or UNLIMITED

    def window_start(self) -> datetime.datetime:
        """Questions asked after this instant count against the rate."""
        return timezone.now() - datetime.timedelta(seconds=self.rate()[1] or 0)


LOOKUPS = Quota(SCOPE, (AccessLog.Action.LOOKUP.value, AccessLog.Action.CHECK.value))
BULK = Quota("register_bulk", (AccessLog.Action.SIGNALS.value, AccessLog.Action.EXPORT.value))


def rate() -> tuple[int | None, int | None]:
    return LOOKUPS.rate()


def window_start() -> datetime.datetime:
    return LOOKUPS.window_start()


def allowed(caller: Caller) -> bool:
    """The early refusal (no lock): False when the caller's lookups already reached the rate."""
    return caller.recent < LOOKUPS.limit()


def retry_after(caller: Caller) -> float:
    return quota_retry_after(user_id=caller.user.pk, quota=LOOKUPS, since=caller.since)


def quota_retry_after(*, user_id: int, quota: Quota, since: datetime.datetime) -> float:
    """Seconds until the oldest question of the user's window leaves it (at least one)."""
    limit = quota.limit()
    window = (AccessLog.objects.filter(user_id=user_id, action__in=quota.actions, created_at__gt=since)
              .order_by("-created_at").values_list("created_at", flat=True))
    oldest = next(iter(window[limit - 1:limit]), None)
    if oldest is None:
        return 1.0
    return max((oldest - since).total_seconds(), 1.0)


def serialise(*, user_id: int, using: str) -> None:
    """Hold the user's gate lock until the current transaction ends (PostgreSQL). Elsewhere (SQLite, one writer at
    a time) the transaction is the only guard."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(LOCK_SQL, [LOCK_NAMESPACE, user_id])


def admit(*, user_id: int, quota: Quota, using: str = "default") -> None:
    """Inside a transaction: serialise the user's questions, then count them; Throttled when the quota is spent.
    The road must write its access-log row before the transaction ends."""
    assert connections[using].in_atomic_block, "the gate counts and logs in one transaction"
    serialise(user_id=user_id, using=using)
    since = quota.window_start()
    recent = (AccessLog.objects.using(using)
              .filter(user_id=user_id, action__in=quota.actions, created_at__gt=since).count())
    if recent >= quota.limit():
        raise Throttled(quota_retry_after(user_id=user_id, quota=quota, since=since))
