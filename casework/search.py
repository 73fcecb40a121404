"""Searching cases and checks by number or masked NIR ("1 85 05 ** *** *** 42", or any part of it, spaces ignored).

The URL only ever holds a masked NIR: a full NIR typed in the search box is replaced by its masked form
(`masked_query`) before anything is searched, and the page redirects to that URL."""

import re

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace

from breaches.nir import NirError, mask_nir, validate_nir

_NUMBER = re.compile(r"(?:n°|no|#)?\s*(\d{1,9})", re.I)
_LONG_DIGITS = re.compile(r"\d[\dAB\s.\-]{11,}[\dAB]", re.I)


def masked_query(query: str) -> str:
    """The search text with any full NIR in it replaced by its masked form (a wrong NIR-like run by stars)."""
    def mask(match: re.Match) -> str:
        try:
            return mask_nir(validate_nir(match.group(0)))
        except NirError:
            return "*" * len(match.group(0))
    return _LONG_DIGITS.sub(mask, query or "").strip()


def search(records: QuerySet, query: str, *, masked_field: str = "nir_masked") -> QuerySet:
    """`records` (cases or checks) whose number is `query`, or whose masked NIR contains it (spaces ignored)."""
    query = masked_query(query)
    if not query:
        return records
    compact = query.replace(" ", "")
    condition = Q(nir_compact__icontains=compact)
    number = _NUMBER.fullmatch(query)
    if number:
        condition |= Q(pk=int(number.group(1)))
    return records.annotate(nir_compact=Replace(masked_field, Value(" "), Value(""))).filter(condition)
