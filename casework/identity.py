"""casework's only door into the breaches registry: NIR rules, digests and the flagged test.

Reads go through breaches' public functions (nir, crypto, selectors); breaches never imports casework's
checks, cases or signals.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from breaches.crypto import nir_digests
from breaches.lookup.service import looked_up_person
from breaches.nir import mask_nir, validate_nir
from breaches.selectors import flagged_digests


@dataclass(frozen=True)
class Person:
    """A person as casework keeps them: the digest (for matching) and the masked NIR (for display)."""

    digest: str
    masked: str
    # Digests under previous keys while a key rotation runs: the register may still hold one of them.
    previous: tuple[str, ...] = ()


def person_from_nir(raw: str) -> Person:
    """Validate a NIR typed by a user or sent by a system; raises breaches.nir.NirError with the reason."""
    nir = validate_nir(raw)
    current, *previous = nir_digests(nir)
    return Person(digest=current, masked=mask_nir(nir), previous=tuple(previous))


def person_from_lookup(token: str) -> Person:
    """The person of a lookup made moments ago (signed token from the lookup page); ApplicationError if stale."""
    digest, masked = looked_up_person(token)
    return Person(digest=digest, masked=masked)


def flagged_people(people: Iterable) -> set[str]:
    """The current digests of the people (anything with `digest` and `previous`) found in a cohort under any of
    their digests, so matching stays right while a key rotation is half done."""
    current_of: dict[str, str] = {}
    for person in people:
        for digest in (person.digest, *person.previous):
            current_of.setdefault(digest, person.digest)
    return {current_of[digest] for digest in flagged_digests(digests=current_of)}
