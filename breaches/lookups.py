"""The agent's daily tool: is the person in front of me in a breach? And the fund's export of its own people.

Every lookup (valid or not) and every decryption writes an AccessLog row. Missing and forbidden look the same.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import Http404

from breaches.crypto import nir_digests, unseal_nir
from breaches.models import AccessLog, AffectedPerson, Breach
from breaches.nir import NirError, mask_nir, validate_nir
from casework.models import Fund
from casework.selectors import funds_of, is_national
from config.errors import ApplicationError

logger = logging.getLogger(__name__)

LOOKUP_PERM = "casework.lookup_person"
EXPORT_PERM = "casework.export_people"
EXPORT_HEADER = ["fuite", "nir", "nom", "prenom", "date_naissance", "code_postal", "organisme_source",
                 "date_prelevement"]
LOG_BATCH = 1000


@dataclass(frozen=True)
class BreachHit:
    reference: str
    title: str
    discovered_on: datetime.date
    data_categories: list[str]
    data_category_labels: list[str]
    fund_code: str | None
    fund_name: str | None


@dataclass(frozen=True)
class LookupResult:
    flagged: bool
    nir_masked: str
    breaches: list[BreachHit]
    fund_code: str | None
    fund_name: str | None
    # INTEGRATION HOOK: the required actions of the instructions that apply (filled by `lookup_actions`).
    actions: list[dict] = field(default_factory=list)


def lookup_actions(*, breaches: list[Breach], fund: Fund | None) -> list[dict]:
    """INTEGRATION HOOK for the notifications app: what the agent must do for these breaches (the required
    actions of the instructions that apply). Returns [] until the integrator wires it; breaches never
    imports notifications itself."""
    return []


def lookup_fund(*, user: AbstractBaseUser) -> Fund | None:
    """The fund a lookup is made for: the user's first fund with the lookup right; None for national staff.
    Anyone else has no access to the register (404)."""
    if is_national(user):
        return None
    fund = funds_of(user=user, perm=LOOKUP_PERM).order_by("code").first()
    if fund is None:
        raise Http404
    return fund


def _log(*, user, fund, action, digest="", result="", purpose="", client_address=None) -> AccessLog:
    return AccessLog.objects.create(user=user, fund=fund, action=action, nir_digest=digest, result=result,
                                    purpose=purpose[:200], client_address=client_address or None)


def _hit(person: AffectedPerson) -> BreachHit:
    breach = person.breach
    return BreachHit(reference=breach.reference, title=breach.title, discovered_on=breach.discovered_on,
                     data_categories=breach.category_codes, data_category_labels=breach.category_labels,
                     fund_code=person.fund.code if person.fund else None,
                     fund_name=person.fund.name if person.fund else None)


def person_lookup(*, user: AbstractBaseUser, nir: str, purpose: str = "",
                  client_address: str | None = None) -> LookupResult:
    """Whether this NIR is in any cohort, in which breaches, routed to which fund. The same queries run whether
    or not it is found. An invalid NIR is logged then raises NirError (its message names the reason)."""
    fund = lookup_fund(user=user)
    try:
        normalised = validate_nir(nir)
    except NirError:
        _log(user=user, fund=fund, action=AccessLog.Action.LOOKUP, result="NIR invalide", purpose=purpose,
             client_address=client_address)
        raise
    digests = nir_digests(normalised)
    people = list(AffectedPerson.objects.filter(nir_digest__in=digests).select_related("breach", "fund")
                  .order_by("-breach__discovered_on", "breach_id"))
    _log(user=user, fund=fund, action=AccessLog.Action.LOOKUP, digest=digests[0], purpose=purpose,
         result="signalé" if people else "non signalé", client_address=client_address)
    routed = next((p.fund for p in people if p.fund_id), None)
    return LookupResult(
        flagged=bool(people), nir_masked=mask_nir(normalised), breaches=[_hit(p) for p in people],
        fund_code=routed.code if routed else None, fund_name=routed.name if routed else None,
        actions=lookup_actions(breaches=[p.breach for p in people], fund=fund),
    )


def export_fund_for(*, user: AbstractBaseUser, code: str) -> Fund:
    """The gate of the export: a fund where the user holds export_people, else 404."""
    fund = funds_of(user=user, perm=EXPORT_PERM).filter(code=code).first()
    if fund is None:
        raise Http404
    return fund


@transaction.atomic
def people_export(*, user: AbstractBaseUser, fund: Fund, purpose: str, client_address: str | None = None) -> str:
    """The clear CSV list of the fund's affected people. Assumes the caller passed `export_fund_for`. Writes one
    'decrypt' log row per NIR opened and one 'export' row; refused without a purpose."""
    if not purpose.strip():
        raise ApplicationError("Indiquez le motif de l'export : il est inscrit au journal des accès.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(EXPORT_HEADER)
    logs: list[AccessLog] = []
    people = (AffectedPerson.objects.filter(fund=fund).select_related("breach")
              .order_by("breach__reference", "id"))
    count = 0
    for person in people.iterator(chunk_size=2000):
        nir = unseal_nir(person.nir_sealed, person.seal_key_id)
        writer.writerow([person.breach.reference, nir, person.last_name, person.first_name,
                         person.birth_date or "", person.postcode, person.source, person.sample_date or ""])
        logs.append(AccessLog(user=user, fund=fund, action=AccessLog.Action.DECRYPT, nir_digest=person.nir_digest,
                              result="export", purpose=purpose[:200], client_address=client_address or None))
        count += 1
        if len(logs) >= LOG_BATCH:
            AccessLog.objects.bulk_create(logs)
            logs = []
    AccessLog.objects.bulk_create(logs)
    _log(user=user, fund=fund, action=AccessLog.Action.EXPORT, result=f"{count} personnes", purpose=purpose,
         client_address=client_address)
    logger.info("people export: fund=%s count=%s by=%s", fund.code, count, user.pk)
    return "\ufeff" + buffer.getvalue()
