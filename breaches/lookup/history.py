"""What the caller's fund already knows of the person just looked up (earlier checks, cases, shared-account
alerts) and how many other funds have dealt with them (a count, never which).

breaches does not know casework's records: casework registers a provider here from its AppConfig.ready(), the same
way notifications plugs in the required actions (`register_lookup_actions`). Called only after a lookup has passed
the gate (throttled, access-logged), for the fund the lookup was made for."""

from collections.abc import Callable

from network.models import Fund

HistoryProvider = Callable[..., dict]
_history_providers: list[HistoryProvider] = []


def register_lookup_history(provider: HistoryProvider) -> None:
    """`provider(digest=..., fund=...)` returns a dict merged into the lookup's `history`."""
    if provider not in _history_providers:
        _history_providers.append(provider)


def lookup_history(*, digest: str, fund: Fund | None) -> dict:
    """The person's history at `fund`: {} for national staff (no fund) or when nothing is registered."""
    if not digest or fund is None:
        return {}
    history: dict = {}
    for provider in _history_providers:
        history.update(provider(digest=digest, fund=fund))
    return history
