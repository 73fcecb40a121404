"""The per-user rate of lookups (LOOKUP_THROTTLE, DRF's throttle rate 'lookup'), shared by the API and the page,
so the register cannot be enumerated through either.

The count is read from the access log, where every lookup (valid NIR or not) writes its row, in the statement
that reads the caller (`Caller.recent`, since `window_start()`): it holds across all the server's processes with
no other store to keep in step (a per-process cache would give the rate once per gunicorn worker)."""

import datetime

from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from breaches.lookup.access import Caller
from breaches.models import AccessLog

SCOPE = "lookup"


class _Rate(SimpleRateThrottle):
    """DRF's reading of the rate ("120/min"), from the settings as they are now (DRF's class keeps the rates it
    found when it was first imported)."""

    scope = SCOPE

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(SCOPE)


def rate() -> tuple[int | None, int | None]:
    """(lookups allowed, per so many seconds); (None, None) when no rate is set."""
    current = _Rate()
    return current.num_requests, current.duration


def window_start() -> datetime.datetime:
    """Lookups made after this instant count against the rate."""
    return timezone.now() - datetime.timedelta(seconds=rate()[1] or 0)


def allowed(caller: Caller) -> bool:
    limit = rate()[0]
    return limit is None or caller.recent < limit


def retry_after(caller: Caller) -> float:
    """Seconds until the oldest lookup of the caller's window leaves it (at least one)."""
    limit = rate()[0] or 1
    window = (AccessLog.objects.filter(user=caller.user, action=AccessLog.Action.LOOKUP, created_at__gt=caller.since)
              .order_by("-created_at").values_list("created_at", flat=True))
    oldest = next(iter(window[limit - 1:limit]), None)
    if oldest is None:
        return 1.0
    return max((oldest - caller.since).total_seconds(), 1.0)
