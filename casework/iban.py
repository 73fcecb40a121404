"""Bank details: IBAN validation (mod 97 + the French RIB key) and the digest we store instead of the IBAN.

python-stdnum's `iban` checks the ISO 7064 mod-97 digits and each country's layout, but it has no French
module: it never checks the RIB key. The two checks are independent (an IBAN can carry valid mod-97 digits
around a wrong RIB key: no real account has it), so the RIB key is checked here.
"""

import hashlib
import hmac
import re

from django.conf import settings
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from config.errors import ApplicationError

_LETTER_VALUES = {letter: str(value) for value, letters in enumerate(
    ["", "AJ", "BKS", "CLT", "DMU", "ENV", "FOW", "GPX", "HQY", "IRZ"]) for letter in letters}
_FRENCH = re.compile(r"^FR\d{2}(?P<bank>\d{5})(?P<branch>\d{5})(?P<account>[0-9A-Z]{11})(?P<key>\d{2})$")


class IbanError(ApplicationError):
    """An IBAN that is no real account. The message names the reason."""


def normalize_iban(raw: str) -> str:
    return re.sub(r"[\s.\-]", "", raw or "").upper()


def rib_key(*, bank: str, branch: str, account: str) -> int:
    """The French RIB key: 97 − ((89·bank + 15·branch + 3·account) mod 97), letters A/J=1 … I/R/Z=9."""
    digits = "".join(_LETTER_VALUES.get(char, char) for char in account)
    return 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(digits)) % 97)


def validate_iban(raw: str) -> str:
    """The normalised IBAN, or IbanError. French IBANs must also carry a correct RIB key."""
    iban = normalize_iban(raw)
    if not iban:
        raise IbanError("IBAN manquant.")
    try:
        stdnum_iban.validate(iban)
    except StdnumError:
        raise IbanError("IBAN invalide : clé de contrôle (modulo 97) ou format incorrect.")
    if iban.startswith("FR"):
        match = _FRENCH.match(iban)
        if match is None:
            raise IbanError("IBAN français invalide : format banque/guichet/compte/clé incorrect.")
        parts = match.groupdict()
        if rib_key(bank=parts["bank"], branch=parts["branch"], account=parts["account"]) != int(parts["key"]):
            raise IbanError("IBAN français invalide : la clé RIB ne correspond pas au compte.")
    return iban


def iban_digest(iban: str) -> str:
    """HMAC-SHA256 of the normalised IBAN under the digest key (domain-separated from NIR digests)."""
    key = settings.NIR_DIGEST_KEY.encode()
    return hmac.new(key, b"iban:" + normalize_iban(iban).encode(), hashlib.sha256).hexdigest()


def make_french_iban(*, bank: str = "30004", branch: str = "00823", account: str = "00012345678") -> str:
    """A valid synthetic French IBAN (for tests and demo data): RIB key, then the mod-97 digits."""
    bban = f"{bank}{branch}{account}{rib_key(bank=bank, branch=branch, account=account):02d}"
    return "FR" + stdnum_iban.calc_check_digits("FR00" + bban) + bban
