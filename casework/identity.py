"""casework's only door into the breaches registry: NIR rules, digests and the flagged test.

Reads go through breaches' public functions (nir, crypto, selectors); breaches never imports casework's
checks, cases or signals.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from breaches.crypto import nir_digest
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


def person_from_nir(raw: str) -> Person:
    """Validate a NIR typed by a user or sent by a system; raises breaches.nir.NirError with the reason."""
    nir = validate_nir(raw)
    return Person(digest=nir_digest(nir), masked=mask_nir(nir))


def flagged_among(digests: Iterable[str]) -> set[str]:
    """The digests that belong to someone in a cohort, asked in chunks."""
    wanted = list(dict.fromkeys(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), FLAG_CHUNK):
        found |= set(flagged_digests(digests=wanted[start:start + FLAG_CHUNK]))
    return found
