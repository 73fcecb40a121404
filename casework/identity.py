"""casework's people: NIR rules and digests (breaches' public functions). Whether a person is known to the register
is never read here: the roads (checks, signals) ask breaches' gate (breaches/lookup/gate.py `register_ask`), which
throttles and logs; breaches never imports casework's checks, cases or signals.
"""

from collections.abc import Callable
from typing import NamedTuple

from breaches.crypto import nir_digester
from breaches.lookup.service import looked_up_person
from breaches.nir import mask_valid_nir, validate_nir


class Person(NamedTuple):
    """A person as casework keeps them: the digest (for matching) and the masked NIR (for display). A named tuple:
    a signal batch makes 100,000 of them, and a tuple is built at a third of a frozen dataclass's cost."""

    digest: str
    masked: str
    # Digests under previous keys while a key rotation runs: the register may still hold one of them.
    previous: tuple[str, ...] = ()


def person_maker() -> Callable[[str], Person]:
    """person_from_nir for a batch (a signal load validates 100,000 NIRs): the digest keys are read once."""
    digests = nir_digester()

    def person(raw: str) -> Person:
        nir = validate_nir(raw)
        current, *previous = digests(nir)
        return Person(current, mask_valid_nir(nir), tuple(previous))

    return person


def person_from_nir(raw: str) -> Person:
    """Validate a NIR typed by a user or sent by a system; raises breaches.nir.NirError with the reason."""
    return person_maker()(raw)


def person_from_lookup(token: str, *, user) -> Person:
    """The person of a lookup `user` made moments ago (the lookup page's opaque token); ApplicationError if stale or
    not theirs."""
    digest, masked = looked_up_person(token, user=user)
    return Person(digest=digest, masked=masked)
