"""Writes on checks: an agent logs the check made on a person, and may open a case from it in one step."""

import logging
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from breaches.lookup.gate import Answer, Asker, flagged_result, register_ask
from breaches.models import AccessLog
from casework.cases.models import Case
from casework.cases.services import case_events_for_check, case_open_from_check
from casework.checks.models import Check
from casework.iban import iban_digest, validate_iban
from casework.identity import Person, person_from_nir
from config.errors import ApplicationError
from network.models import Fund
from network.permissions import funds_of
from network.roles import LOG_CHECK

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckLogged:
    check: Check
    case: Case | None


def _fund_for(actor: AbstractBaseUser, fund: Fund | None) -> Fund:
    funds = funds_of(user=actor, perm=LOG_CHECK)
    chosen = funds.filter(pk=fund.pk).first() if fund is not None else funds.order_by("code").first()
    if chosen is None:
        raise ApplicationError("Vous ne pouvez pas consigner de vérification pour cette caisse.")
    return chosen


def _choice(value: str, choices, label: str) -> str:
    if value not in choices.values:
        raise ApplicationError(f"{label} inconnu : « {value} ».")
    return value


def _register_result(answer: Answer, *, iban: bool) -> str:
    """The access-log row's result: the person's, then the account's ("partagé": other people use it, alert raised)."""
    account = (", IBAN partagé" if answer.accounts else ", IBAN") if iban else ""
    return flagged_result(answer) + account


@transaction.atomic
def check_log(*, actor: AbstractBaseUser, kind: str, channel: str, outcome: str, nir: str = "",
              person: Person | None = None, note: str = "", iban: str = "", fund: Fund | None = None,
              open_case: bool = False, client_address: str | None = None) -> CheckLogged:
    """Record a check for a fund the actor may log checks for (their first fund if none is given).

    The NIR is validated then kept only as digest + masked form; an IBAN (bank-details checks only) only as a
    digest, and it counts towards shared-account alerts. Whether the person is flagged and the IBAN's sighting are
    asked of the register's gate: one access-log row, under the actor's lookup quota (config.errors.Throttled when
    spent: nothing is logged). `open_case` opens the case of an anomalous check. `person` (from a lookup just
    made) stands in for the NIR.
    """
    fund = _fund_for(actor, fund)
    person = person or person_from_nir(nir)
    _choice(kind, Check.Kind, "Type de vérification")
    _choice(channel, Check.Channel, "Canal")
    _choice(outcome, Check.Outcome, "Résultat")
    digest_of_iban = ""
    if iban.strip():
        if kind != Check.Kind.BANK_DETAILS:
            raise ApplicationError("Un IBAN ne se saisit que pour une vérification de coordonnées bancaires.")
        digest_of_iban = iban_digest(validate_iban(iban))
    answer = register_ask(
        asker=Asker(user=actor, fund=fund, client_address=client_address), action=AccessLog.Action.CHECK,
        people=[person], sightings=[(digest_of_iban, person.digest, fund.pk)] if digest_of_iban else [],
        digest=person.digest, result=lambda found: _register_result(found, iban=bool(digest_of_iban)))
    check = Check.objects.create(
        fund=fund, agent=actor, person_digest=person.digest, nir_masked=person.masked,
        person_flagged=person.digest in answer.flagged, kind=kind, channel=channel,
        outcome=outcome, note=note.strip(), iban_digest=digest_of_iban)
    case_events_for_check(check=check, actor=actor)
    case = case_open_from_check(check=check, actor=actor) if open_case else None
    logger.info("check logged: check=%s fund=%s outcome=%s by=%s", check.pk, fund.code, outcome, actor.pk)
    return CheckLogged(check=check, case=case)
