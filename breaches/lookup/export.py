"""A fund's export of its own affected people, in clear: the only road that opens sealed NIRs for a fund. Every NIR
opened writes a 'decrypt' access-log row, and the export its 'export' row, in the export's transaction."""

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from breaches.crypto import unseal_nir
from breaches.lookup.gate import bulk_pass
from breaches.lookup.log import PURPOSE_MAX
from breaches.models import AccessLog, AffectedPerson
from config.errors import ApplicationError, NotFound
from network.models import Fund
from network.permissions import funds_of
from network.roles import EXPORT_PEOPLE

logger = logging.getLogger(__name__)

EXPORT_HEADER = ["fuite", "nir", "nom", "prenom", "date_naissance", "code_postal", "organisme_source",
                 "date_prelevement"]
LOG_BATCH = 1000
MOTIVE_REQUIRED = "Indiquez le motif de l'export : il est inscrit au journal des accès."


def export_fund_for(*, user: AbstractBaseUser, code: str) -> Fund:
    """The gate of the export: a fund where the user holds export_people, else NotFound."""
    fund = funds_of(user=user, perm=EXPORT_PEOPLE).filter(code=code).first()
    if fund is None:
        raise NotFound()
    return fund


@transaction.atomic
def people_export(*, user: AbstractBaseUser, fund: Fund, purpose: str,
                  client_address: str | None = None) -> list[list]:
    """The rows (under EXPORT_HEADER) of the fund's affected people, NIR in clear; the caller writes them with
    config.exports (the names come from the leaked file: they may hold formulas). Assumes the caller passed
    `export_fund_for`. Writes one 'decrypt' log row per NIR opened and one 'export' row, in this transaction;
    refused without a purpose, and under the user's bulk quota of the register's gate (config.errors.Throttled
    when spent: nothing opened, nothing written)."""
    if not purpose.strip():
        raise ApplicationError(MOTIVE_REQUIRED)
    bulk_pass(user=user)
    rows: list[list] = []
    logs: list[AccessLog] = []
    people = (AffectedPerson.objects.filter(fund=fund).select_related("breach")
              .order_by("breach__reference", "id"))
    count = 0
    for person in people.iterator(chunk_size=2000):
        nir = unseal_nir(person.nir_sealed, person.seal_key_id)
        rows.append([person.breach.reference, nir, person.last_name, person.first_name,
                     person.birth_date or "", person.postcode, person.source, person.sample_date or ""])
        logs.append(AccessLog(user=user, fund=fund, action=AccessLog.Action.DECRYPT, nir_digest=person.nir_digest,
                              result="export", purpose=purpose[:PURPOSE_MAX], client_address=client_address or None))
        count += 1
        if len(logs) >= LOG_BATCH:
            AccessLog.objects.bulk_create(logs)
            logs = []
    AccessLog.objects.bulk_create(logs)
    AccessLog.objects.create(user=user, fund=fund, action=AccessLog.Action.EXPORT, result=f"{count} personnes",
                             purpose=purpose[:PURPOSE_MAX], client_address=client_address or None)
    logger.info("people export: fund=%s count=%s by=%s", fund.code, count, user.pk)
    return rows
