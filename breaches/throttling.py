from rest_framework.throttling import UserRateThrottle


class LookupThrottle(UserRateThrottle):
    """Per-user rate of NIR lookups (settings: REST_FRAMEWORK DEFAULT_THROTTLE_RATES['lookup']), shared by the
    API and the page so the register cannot be enumerated through either."""

    scope = "lookup"


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
