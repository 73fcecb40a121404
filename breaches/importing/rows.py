"""Source rows -> accepted people (digest, seal, mask, routing) or rejections with their reason.

Accepted rows are plain tuples in `COLUMNS` order (an import makes 500,000 of them: no object per row); for
PostgreSQL a chunk's accepted rows leave as one text in COPY's format, made where the chunk is parsed."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from breaches.crypto import nir_protector
from breaches.importing.reading import Chunk, SourceRow, as_date, as_text, chunk_rows
from breaches.importing.routing import Router, department_of_postcode
from breaches.nir import NirError, mask_nir, mask_valid_nir, validate_nir

COLUMNS = ("line", "nir_digest", "nir_sealed", "seal_key_id", "nir_masked", "last_name", "first_name",
           "birth_date", "postcode", "department", "source", "sample_date", "fund_id")
Accepted = tuple


@dataclass(slots=True)
class Rejected:
    line: int
    reason: str
    nir_masked: str


@dataclass(slots=True)
class Parsed:
    """A parsed chunk: its accepted rows (`copy_text`, or `accepted` as tuples), its rejections, and how far into
    the file it ends."""
    rejected: list[Rejected]
    fraction: float
    accepted: list[Accepted] | None = None
    copy_text: str | None = None
    accepted_count: int = 0


def row_parser(*, router: Router, allow_missing_key: bool) -> Callable[[SourceRow], Accepted | Rejected]:
    """One source row -> an accepted tuple or a rejection; the keys are read once for all the rows."""
    protect = nir_protector()

    def parse(row: SourceRow) -> Accepted | Rejected:
        values = row.values
        raw = as_text(values["nir"])
        if not raw:
            return Rejected(row.line, "NIR manquant.", "")
        try:
            nir = validate_nir(raw, allow_missing_key=allow_missing_key)
        except NirError as error:
            return Rejected(row.line, error.message, mask_nir(raw))
        postcode = as_text(values.get("postcode"))[:10]
        department = department_of_postcode(postcode)
        digest, sealed, key_id = protect(nir)
        return (row.line, digest, sealed, key_id, mask_valid_nir(nir), as_text(values.get("last_name"))[:120],
                as_text(values.get("first_name"))[:120], as_date(values.get("birth_date")), postcode, department,
                as_text(values.get("source"))[:200], as_date(values.get("sample_date")),
                router.route(fund_code=as_text(values.get("fund_code")), department=department))

    return parse


def parse_chunk(chunk: Chunk, *, router: Router, allow_missing_key: bool, as_copy_text: bool) -> Parsed:
    parse = row_parser(router=router, allow_missing_key=allow_missing_key)
    accepted: list[Accepted] = []
    rejected: list[Rejected] = []
    for row in chunk_rows(chunk):
        result = parse(row)
        if result.__class__ is Rejected:
            rejected.append(result)
        else:
            accepted.append(result)
    parsed = Parsed(rejected=rejected, fraction=chunk.fraction, accepted_count=len(accepted))
    if as_copy_text:
        parsed.copy_text = "".join(map(copy_line, accepted))
    else:
        parsed.accepted = accepted
    return parsed


NULL = "\\N"
_SPECIAL = re.compile(r"[\\\t\n\r\x00]")
# COPY's text format escapes backslash, tab, newline and carriage return; PostgreSQL text cannot hold NUL at all.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": None})


def copy_line(row: Accepted) -> str:
    """One accepted row as a line of COPY text (columns in `COLUMNS` order). Only the file's free texts (names,
    postcode, source) can hold a character to escape; the rest is made here (digests, dates, ids)."""
    line, digest, sealed, key_id, masked, last, first, birth, postcode, department, source, sample, fund = row
    if _SPECIAL.search(last + first + postcode + source):
        last, first, postcode, source = (text.translate(_ESCAPES) for text in (last, first, postcode, source))
    return (f"{line}\t{digest}\t{sealed}\t{key_id}\t{masked}\t{last}\t{first}\t"
            f"{birth.isoformat() if birth else NULL}\t{postcode}\t{department}\t{source}\t"
            f"{sample.isoformat() if sample else NULL}\t{NULL if fund is None else fund}\n")
