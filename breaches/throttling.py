import datetime

from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from breaches.lookup_access import recent_lookups
from breaches.models import AccessLog


class LookupThrottle(SimpleRateThrottle):
    """Per-user rate of NIR lookups (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES['lookup']), shared by the
    API, its fast lane and the page, so the register cannot be enumerated through any of them.

    The count is read from the access log, where every lookup (valid NIR or not) writes its row: it holds across
    all the server's processes with no other store to keep in step (a per-process cache would give the rate once
    per gunicorn worker), and the token lane reads it in the query that reads the token. Two requests of the same
    user at the same instant may both pass the last slot, as with DRF's cache-based throttles."""

    scope = "lookup"

    def window_start(self) -> datetime.datetime:
        """The start of the window this request is counted in; set once per request (see `allow_request`)."""
        if not hasattr(self, "since"):
            self.since = timezone.now() - datetime.timedelta(seconds=self.duration or 0)  # no rate: no window
        return self.since

    def allow_request(self, request, view) -> bool:
        if self.rate is None or not request.user.is_authenticated:
            return True  # anonymous requests are refused before any lookup, by the permission checks
        self.user = request.user
        return recent_lookups(user=self.user, since=self.window_start()) < self.num_requests

    def wait(self) -> float:
        """Seconds until the oldest lookup of the window leaves it."""
        window = (AccessLog.objects.filter(user=self.user, action=AccessLog.Action.LOOKUP,
                                           created_at__gt=self.window_start())
                  .order_by("-created_at").values_list("created_at", flat=True))
        oldest = next(iter(window[self.num_requests - 1:self.num_requests]), None)
        if oldest is None:
            return 1.0
        return max((oldest - self.window_start()).total_seconds(), 1.0)


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
