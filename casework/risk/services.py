"""Risk signals from the network's systems, matched against the cohorts; shared-account (mule) alerts."""

import datetime
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from breaches.lookup import throttle
from breaches.lookup.gate import Asker, register_ask
from breaches.models import AccessLog
from casework.cases.models import Case, SignalKind
from casework.cases.services import due_date
from casework.iban import iban_digest, validate_iban
from casework.identity import Person, person_maker
from casework.risk.bulk import insert_signal_cases
from casework.risk.models import SignalBatch
from config.errors import ApplicationError, NotFound
from network.models import Fund
from network.permissions import is_national

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 100
# Highest risk first: a diverted reimbursement or a hijacked account before a change of address.
SIGNAL_KINDS = frozenset(SignalKind.values)
SIGNAL_LABELS = {kind.value: str(kind.label).lower() for kind in SignalKind}
SIGNAL_PRIORITY = {SignalKind.BANK_DETAILS: Case.Priority.HIGH, SignalKind.ACCOUNT_RECOVERY: Case.Priority.HIGH,
                   SignalKind.ADDRESS_CHANGE: Case.Priority.NORMAL}


class Signal(NamedTuple):
    """A validated signal: identity data already reduced to digests (a named tuple, like `Person`)."""

    digest: str
    masked: str
    kind: str
    occurred_on: datetime.date
    fund_id: int
    iban_digest: str = ""
    previous: tuple[str, ...] = ()


class SignalsRejected(ApplicationError):
    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} signal(s) refusé(s) : rien n'a été chargé.",
                         extra={"errors": errors[:MAX_REPORTED_ERRORS]})
        self.errors = errors


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    return _parse_date_text(str(value or "").strip())


@functools.lru_cache(maxsize=4096)  # a batch carries few distinct dates
def _parse_date_text(text: str) -> datetime.date:
    if "/" in text:  # French spreadsheets: JJ/MM/AAAA
        text = "-".join(reversed(text.split("/")))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise ApplicationError(f"Date invalide : « {text} » (AAAA-MM-JJ attendu).")


def _signal_from(row: dict, funds: dict[str, int], today: datetime.date, person_from_nir: Callable[[str], Person]
                 ) -> Signal:
    kind = str(row.get("kind") or "").strip()
    if kind not in SIGNAL_KINDS:
        raise ApplicationError(f"Type de signal inconnu : « {kind} ».")
    occurred_on = _parse_date(row.get("occurred_on"))
    if occurred_on > today:
        raise ApplicationError("La date du signal est dans le futur.")
    fund_id = funds.get(str(row.get("fund") or "").strip())
    if fund_id is None:
        raise ApplicationError(f"Caisse inconnue : « {row.get('fund') or ''} ».")
    raw_iban = str(row.get("iban") or "").strip()
    if raw_iban and kind != SignalKind.BANK_DETAILS:
        raise ApplicationError("Un IBAN n'accompagne qu'un changement de coordonnées bancaires.")
    person = person_from_nir(str(row.get("nir") or ""))
    return Signal(digest=person.digest, masked=person.masked, kind=kind, occurred_on=occurred_on,
                  fund_id=fund_id, iban_digest=iban_digest(validate_iban(raw_iban)) if raw_iban else "",
                  previous=person.previous)


def signals_validate(rows: list[dict], *, first_line: int = 1) -> list[Signal]:
    """Every row validated; any bad row rejects the whole batch with each row's number and reason."""
    funds = dict(Fund.objects.filter(is_active=True).values_list("code", "id"))
    today, person = timezone.localdate(), person_maker()
    signals, errors = [], []
    for number, row in enumerate(rows, start=first_line):
        try:
            signals.append(_signal_from(row, funds, today, person))
        except ApplicationError as error:
            errors.append({"row": number, "detail": error.message})
    if errors:
        raise SignalsRejected(errors)
    if not signals:
        raise ApplicationError("Aucun signal à charger.")
    return signals


@dataclass(frozen=True)
class IngestResult:
    batch: SignalBatch
    received: int
    matched: int
    cases_opened: int
    alerts: int


def _case_row(signal: Signal, *, today: datetime.date) -> dict:
    """The fields of the case a hit opens (plain values: tens of thousands are inserted at once)."""
    priority = SIGNAL_PRIORITY[signal.kind]
    return {"fund_id": signal.fund_id, "subject_digest": signal.digest, "nir_masked": signal.masked,
            "signal_kind": signal.kind, "signal_occurred_on": signal.occurred_on,
            "summary": f"Personne exposée : {SIGNAL_LABELS[signal.kind]} le {signal.occurred_on:%d/%m/%Y}",
            "priority": int(priority), "due_on": due_date(priority, start=today)}


def _open_cases(hits: list[Signal], *, batch: SignalBatch, actor: AbstractBaseUser) -> int:
    """One case per new (person, kind, date), highest risk first; the DB constraint settles races."""
    seen: set[tuple] = set()
    fresh: list[Signal] = []
    for signal in sorted(hits, key=lambda s: (SIGNAL_PRIORITY[s.kind], s.occurred_on)):
        key = (signal.digest, signal.kind, signal.occurred_on)
        if key not in seen:
            seen.add(key)
            fresh.append(signal)
    today = timezone.localdate()
    return insert_signal_cases([_case_row(s, today=today) for s in fresh], batch_id=batch.pk, actor=actor)


@transaction.atomic
def signals_ingest(*, actor: AbstractBaseUser, rows: list[dict], source: str = SignalBatch.Source.API,
                   file_name: str = "", first_line: int = 1) -> IngestResult:
    """Load a batch of signals (national staff only). All rows are validated first: any error rejects the
    batch, with each row's number and reason. Then see `signals_match`."""
    if not is_national(actor):
        raise NotFound
    return signals_match(actor=actor, signals=signals_validate(rows, first_line=first_line), source=source,
                         file_name=file_name)


@transaction.atomic
def signals_match(*, actor: AbstractBaseUser, signals: list[Signal], source: str = SignalBatch.Source.API,
                  file_name: str = "") -> IngestResult:
    """Match validated signals against the cohorts through the register's gate (one access-log row naming the
    batch and its size, under the actor's bulk quota: config.errors.Throttled when spent, nothing loaded); a hit
    opens a case of origin `signal` in the signal's fund unless that person, kind and date already opened one.
    Non-hits are kept only as counts (and, for bank details, as an IBAN sighting for shared-account alerts)."""
    if not is_national(actor):
        raise NotFound
    batch = SignalBatch.objects.create(source=source, loaded_by=actor, file_name=file_name[:200],
                                       received=len(signals), matched=0)
    answer = register_ask(
        asker=Asker(user=actor), action=AccessLog.Action.SIGNALS, quota=throttle.BULK, people=signals,
        sightings=[(s.iban_digest, s.digest, s.fund_id) for s in signals if s.iban_digest],
        result=lambda found: f"lot n° {batch.pk} : {len(signals)} signaux, {len(found.flagged)} trouvés")
    hits = [s for s in signals if s.digest in answer.flagged]
    batch.matched = len(hits)
    batch.cases_opened = _open_cases(hits, batch=batch, actor=actor)
    batch.save(update_fields=["matched", "cases_opened", "updated_at"])
    logger.info("signals loaded: batch=%s received=%s matched=%s opened=%s by=%s",
                batch.pk, batch.received, batch.matched, batch.cases_opened, actor.pk)
    return IngestResult(batch=batch, received=batch.received, matched=batch.matched,
                        cases_opened=batch.cases_opened, alerts=len(answer.accounts))
