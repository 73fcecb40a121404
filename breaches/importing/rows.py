"""One source row -> an accepted person (digest, seal, mask, routing) or a rejection with its reason."""

import datetime
from dataclasses import dataclass

from breaches.crypto import nir_digest, seal_nir
from breaches.importing.reading import SourceRow, as_date, as_text
from breaches.importing.routing import Router, department_of_postcode
from breaches.nir import NirError, mask_nir, validate_nir


@dataclass(slots=True)
class Accepted:
    line: int
    nir_digest: str
    nir_sealed: str
    seal_key_id: str
    nir_masked: str
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    postcode: str
    department: str
    source: str
    sample_date: datetime.date | None
    fund_id: int | None

    def as_tuple(self) -> tuple:
        return (self.line, self.nir_digest, self.nir_sealed, self.seal_key_id, self.nir_masked, self.last_name,
                self.first_name, self.birth_date, self.postcode, self.department, self.source, self.sample_date,
                self.fund_id)


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
    return Accepted(
        line=row.line, nir_digest=nir_digest(nir), nir_sealed=sealed, seal_key_id=key_id, nir_masked=mask_nir(nir),
        last_name=as_text(values.get("last_name"))[:120], first_name=as_text(values.get("first_name"))[:120],
        birth_date=as_date(values.get("birth_date")), postcode=postcode, department=department,
        source=as_text(values.get("source"))[:200], sample_date=as_date(values.get("sample_date")),
        fund_id=router.route(fund_code=as_text(values.get("fund_code")), department=department),
    )
