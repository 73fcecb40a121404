"""What the lookup API answers, shared by `LookupView` (DRF) and its fast lane (`fast_lookup`)."""

from breaches.lookups import person_lookup
from breaches.throttling import client_address


def lookup_body(*, user, data: dict, request) -> dict:
    """The JSON body of a lookup (LookupResultSerializer's shape)."""
    return person_lookup(user=user, nir=data["nir"], purpose=data["purpose"],
                         client_address=client_address(request)).as_json()

