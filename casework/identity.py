"""casework's only door into the breaches registry: NIR rules, digests and the flagged test.

Reads go through breaches' public functions (nir, crypto, selectors); breaches never imports casework's
checks, cases or signals.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from breaches.crypto import nir_digests
from breaches.lookups import looked_up_person
from breaches.nir import mask_nir, validate_nir
from breaches.selectors import flagged_digests

# Asked 500 at a time: with 2,000-value IN lists PostgreSQL switches to a sequential scan of a 500,000-person
# register (measured: 8 s instead of 1.6 s for 100,000 digests); 500 keeps it on the nir_digest index.
FLAG_CHUNK = 500


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


def flagged_among(digests: Iterable[str]) -> set[str]:
    """The digests that belong to someone in a cohort, asked in chunks."""
    wanted = list(dict.fromkeys(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), FLAG_CHUNK):
        found |= set(flagged_digests(digests=wanted[start:start + FLAG_CHUNK]))
    return found


def flagged_people(people: Iterable) -> set[str]:
    """The current digests of the people (anything with `digest` and `previous`) found in a cohort under any of
    their digests, so matching stays right while a key rotation is half done."""
    current_of: dict[str, str] = {}
    for person in people:
        for digest in (person.digest, *person.previous):
            current_of.setdefault(digest, person.digest)
    return {current_of[digest] for digest in flagged_among(current_of)}
