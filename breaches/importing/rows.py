"""One source row -> an accepted person (digest, seal, mask, routing) or a rejection with its reason.

Accepted rows are plain tuples in `COLUMNS` order (an import makes 500,000 of them: no object per row)."""

from dataclasses import dataclass

from breaches.crypto import nir_digest, seal_nir
from breaches.importing.reading import SourceRow, as_date, as_text
from breaches.importing.routing import Router, department_of_postcode
from breaches.nir import NirError, mask_nir, validate_nir

COLUMNS = ("line", "nir_digest", "nir_sealed", "seal_key_id", "nir_masked", "last_name", "first_name",
           "birth_date", "postcode", "department", "source", "sample_date", "fund_id")
Accepted = tuple


@dataclass(slots=True)
class Rejected:
    line: int
    reason: str
    nir_masked: str


def parse_row(row: SourceRow, *, router: Router, allow_missing_key: bool) -> Accepted | Rejected:
    raw = as_text(row.values["nir"])
    if not raw:
        return Rejected(row.line, "NIR manquant.", "")
    try:
        nir = validate_nir(raw, allow_missing_key=allow_missing_key)
    except NirError as error:
        return Rejected(row.line, error.message, mask_nir(raw))
    values = row.values
    postcode = as_text(values.get("postcode"))[:10]
    department = department_of_postcode(postcode)
    sealed, key_id = seal_nir(nir)
    return (row.line, nir_digest(nir), sealed, key_id, mask_nir(nir), as_text(values.get("last_name"))[:120],
            as_text(values.get("first_name"))[:120], as_date(values.get("birth_date")), postcode, department,
            as_text(values.get("source"))[:200], as_date(values.get("sample_date")),
            router.route(fund_code=as_text(values.get("fund_code")), department=department))
