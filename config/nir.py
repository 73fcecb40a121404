"""The NIR (and NIA) rules: normalise, validate with the official layout and key, mask, build synthetic ones.

Layout (15 characters): S YY MM DD CCC OOO KK
  S   sex: 1 or 2 (7 and 8 were provisional numbers, abolished)
  YY  year of birth
  MM  month 01-12, or 20-99 when the month is unknown (00 and 13-19 never occur)
  DD CCC  birthplace: department 01-95 + commune 001-999; Corsica 2A/2B (births since 1976) or 20 (before);
          overseas 97x/98x + commune 01-99; born abroad 99 + country 001-999
  OOO order number 001-999
  KK  key 01-97 = 97 - (the 13 first characters as a number mod 97), 2A counting as 19 and 2B as 18.
"""

import re

from config.errors import ApplicationError

_SEPARATORS = re.compile(r"[\s.\-_/]+")
_BODY = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$")
_CORSICA_VALUE = {"2A": "19", "2B": "18"}


class NirError(ApplicationError):
    """A NIR that breaks a rule. `reason` is a short code for reports and tests; the message is French."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"NIR invalide : {message}", extra={"reason": reason})
        self.reason = reason


def normalize_nir(raw: str) -> str:
    """Drop spaces, dots, dashes, slashes and underscores; upper-case the Corsican 2a/2b."""
    raw = str(raw or "")
    if raw.isascii() and raw.isalnum():  # the usual case, without the regular expression
        return raw.upper()
    return _SEPARATORS.sub("", raw).upper()


def nir_key(first13: str) -> str:
    """The 2-digit key of the 13 first characters (Corsica counted as 19/18)."""
    body = first13[:5] + _CORSICA_VALUE.get(first13[5:7], first13[5:7]) + first13[7:13]
    return f"{97 - int(body) % 97:02d}"


def _check_length(nir: str, allow_missing_key: bool) -> None:
    allowed = (13, 15) if allow_missing_key else (15,)
    if len(nir) not in allowed:
        expected = "15 caractères, ou 13 sans la clé" if allow_missing_key else "15 caractères (clé comprise)"
        raise NirError("longueur", f"longueur de {len(nir)} caractères au lieu de {expected}.")


def _check_characters(nir: str) -> None:
    key = nir[13:]
    if not _BODY.match(nir[:13]) or (key and not (key.isascii() and key.isdigit())):
        raise NirError("caractere", "caractère non autorisé (chiffres uniquement, sauf 2A/2B pour la Corse).")


def _check_sex(sex: str) -> None:
    if sex in "78":
        raise NirError("sexe", "premier chiffre 7 ou 8 : numéro provisoire, ces numéros sont abolis.")
    if sex not in "12":
        raise NirError("sexe", f"premier chiffre {sex} : le sexe doit être 1 ou 2.")


def _check_month(month: str) -> None:
    value = int(month)
    if not (1 <= value <= 12 or 20 <= value <= 99):
        raise NirError("mois", f"mois de naissance {month} impossible (01 à 12, ou 20 à 99 si inconnu).")


def _check_place(year: str, place: str) -> None:
    department, commune = place[:2], place[2:]
    if department in ("2A", "2B"):
        if 27 <= int(year) <= 75:
            raise NirError("departement", f"département {department} pour une naissance avant 1976 (code 20).")
    elif department == "20":
        if int(year) >= 76:
            raise NirError("departement", "département 20 pour une naissance en Corse depuis 1976 (2A ou 2B).")
    elif department in ("97", "98"):
        department, commune = place[:3], place[3:]
    elif department == "99":
        if commune == "000":
            raise NirError("commune", "code pays 000 impossible pour une naissance à l'étranger.")
        return
    elif not 1 <= int(department) <= 95:
        raise NirError("departement", f"département de naissance {department} inconnu.")
    if int(commune) == 0:
        raise NirError("commune", f"commune {commune} impossible.")


def _check_order(order: str) -> None:
    if order == "000":
        raise NirError("ordre", "numéro d'ordre 000 impossible (001 à 999).")


_MONTHS = frozenset(f"{m:02d}" for m in [*range(1, 13), *range(20, 100)])
_MAINLAND = frozenset(f"{d:02d}" for d in range(1, 96)) - {"20"}


def _plainly_valid(nir: str) -> bool:
    """Fast path for the usual all-digit NIR (imports check 500,000 of them). False means "check in detail",
    never "invalid": every rejection and its reason come from the detailed checks below."""
    if len(nir) != 15 or not nir.isdigit() or nir[0] not in "12" or nir[3:5] not in _MONTHS:
        return False
    department = nir[5:7]
    if department in _MAINLAND:
        place_ok = nir[7:10] != "000"
    elif department in ("97", "98"):
        place_ok = nir[8:10] != "00"
    else:
        place_ok = department == "99" and nir[7:10] != "000"
    return place_ok and nir[10:13] != "000" and 97 - int(nir[:13]) % 97 == int(nir[13:])


def validate_nir(raw: str, *, allow_missing_key: bool = False) -> str:
    """The normalised 15-character NIR, or NirError naming the first broken rule.

    With `allow_missing_key` a 13-character NIR is accepted and its key computed (imports that say so).
    """
    nir = normalize_nir(raw)
    if _plainly_valid(nir):
        return nir
    _check_length(nir, allow_missing_key)
    _check_characters(nir)
    _check_sex(nir[0])
    _check_month(nir[3:5])
    _check_place(nir[1:3], nir[5:10])
    _check_order(nir[10:13])
    key = nir_key(nir[:13])
    if len(nir) == 13:
        return nir + key
    if nir[13:] != key:
        raise NirError("cle", f"clé {nir[13:]} incorrecte.")
    return nir


def mask_nir(nir: str) -> str:
    """'1 85 05 ** *** *** 42': sex, year, month and key stay; birthplace and order are hidden.

    Also accepts an invalid string (for rejection reports): its middle is hidden whatever its length.
    """
    nir = normalize_nir(nir)
    if len(nir) == 15:
        return mask_valid_nir(nir)
    if len(nir) <= 7:
        return "*" * len(nir)
    return nir[:5] + "*" * (len(nir) - 7) + nir[-2:]


def mask_valid_nir(nir: str) -> str:
    """mask_nir for a NIR validate_nir returned (normalised, 15 characters): a signal batch masks 100,000."""
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} ** *** *** {nir[13:]}"


def make_nir(*, sex: int = 1, year: int = 85, month: int = 5, place: str = "56034", order: int = 1) -> str:
    """A valid synthetic NIR with its key (tests, demo, benches). `place` = department + commune, 5 chars."""
    body = f"{sex}{year:02d}{month:02d}{place.upper()}{order:03d}"
    return validate_nir(body + nir_key(body))
