"""The agent's daily question: is the person in front of me in a breach? The register's gate on its fastest road:
every lookup, valid NIR or not, is admitted under the user's quota and writes its access-log row; the same
statements run whether or not the person is found."""

import datetime
import functools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction

from breaches.crypto import SealError, nir_digests, open_reference, seal_reference
from breaches.lookup.access import Caller
from breaches.lookup.log import log_admitted, log_values, rows_logged
from breaches.models import AccessLog, DataCategory
from breaches.nir import NirError, mask_nir, validate_nir
from config.errors import ApplicationError
from network.models import Fund

logger = logging.getLogger(__name__)

CATEGORY_LABELS = dict(DataCategory.choices)  # lazy labels: translated when shown
LOOKED_UP_MAX_AGE = 30 * 60
LOOKUP_EXPIRED = "La consultation a expiré : vérifiez de nouveau le NIR."
INVALID_NIR = "NIR invalide"


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
    # The required actions of the instructions that apply (see `lookup_actions`); `actions_complete` is False
    # when they could not be read (the lookup was answered and logged all the same).
    actions: list[dict] = field(default_factory=list)
    actions_complete: bool = True
    digest: str = field(default="", repr=False)
    asker_id: int | None = field(default=None, repr=False)

    @functools.cached_property  # one token per answer (each sealing draws a new nonce)
    def person_token(self) -> str:
        """An opaque, short-lived reference to the person just looked up, for the user who looked them up, so the
        page can hand it to the check form without echoing the NIR or its digest. Sealed only when asked for."""
        if not self.digest:
            return ""
        return seal_reference(json.dumps([self.asker_id, self.digest, self.nir_masked, int(time.time())]))

    def as_json(self) -> dict:
        """The API's answer (LookupResultSerializer's shape): no digest, no person token."""
        return {"flagged": self.flagged, "nir_masked": self.nir_masked,
                "breaches": [hit.__dict__ for hit in self.breaches],
                "fund_code": self.fund_code, "fund_name": self.fund_name, "actions": self.actions,
                "actions_complete": self.actions_complete}


def looked_up_person(token: str, *, user) -> tuple[str, str]:
    """(digest, masked NIR) from a lookup's `person_token`, for the user who made that lookup; ApplicationError
    once tampered with, after 30 minutes, or in another user's hands."""
    try:
        asker_id, digest, masked, issued_at = json.loads(open_reference(token))
    except (SealError, ValueError, TypeError):
        raise ApplicationError(LOOKUP_EXPIRED)
    if asker_id != user.pk or time.time() - issued_at > LOOKED_UP_MAX_AGE:
        raise ApplicationError(LOOKUP_EXPIRED)
    return digest, masked


ActionProvider = Callable[..., list[dict]]
_action_providers: list[ActionProvider] = []


def register_lookup_actions(provider: ActionProvider) -> None:
    """Let another app say what the agent must do (notifications registers its instructions' required actions).
    breaches never imports those apps: they plug in here from their AppConfig.ready()."""
    if provider not in _action_providers:
        _action_providers.append(provider)


def lookup_actions(*, breach_references: list[str], fund: Fund | None) -> list[dict]:
    """What the agent must do for the breaches this person is in, for `fund`: a list of
    {"label", "instruction", "url"} gathered from the registered providers; [] when not flagged."""
    if not breach_references or fund is None:
        return []
    return [action for provider in _action_providers
            for action in provider(breach_references=breach_references, fund=fund)]


def _actions_read(*, breach_references: list[str], fund: Fund | None) -> tuple[list[dict], bool]:
    """(actions, complete): read after the lookup and its log row committed, so a database fault here answers the
    lookup without its actions (and says so) rather than failing a lookup already logged."""
    if not breach_references or fund is None:
        return [], True
    try:
        if connection.in_atomic_block:  # keep the surrounding transaction usable after a fault
            with transaction.atomic():
                return lookup_actions(breach_references=breach_references, fund=fund), True
        return lookup_actions(breach_references=breach_references, fund=fund), True
    except DatabaseError:
        logger.warning("lookup answered without its actions: they could not be read", exc_info=True)
        return [], False


def _hit(row: tuple) -> BreachHit:
    reference, title, discovered_on, categories, fund_code, fund_name = row[:6]
    codes = [code for code in categories.split(",") if code]
    if isinstance(discovered_on, str):  # SQLite hands dates back as text
        discovered_on = datetime.date.fromisoformat(discovered_on)
    return BreachHit(reference=reference, title=title, discovered_on=discovered_on, data_categories=codes,
                     data_category_labels=[str(CATEGORY_LABELS.get(code, code)) for code in codes],
                     fund_code=fund_code, fund_name=fund_name)


def person_lookup(*, caller: Caller, nir: str, purpose: str = "", client_address: str | None = None) -> LookupResult:
    """Whether this NIR is in any cohort, in which breaches, routed to which fund, and what the caller's fund must
    do. NotFound for a caller without access to the register; Throttled when the caller's quota is spent (nothing
    read, nothing logged: breaches.lookup.throttle); an invalid NIR is logged, then raises NirError (its message
    names the reason)."""
    fund = caller.require_access().fund()
    log = {"user": caller.user, "fund": fund, "action": AccessLog.Action.LOOKUP, "purpose": purpose,
           "client_address": client_address}
    try:
        normalised = validate_nir(nir)
    except NirError:
        log_admitted(user_id=caller.user.pk, log=log_values(**log), result=INVALID_NIR)
        raise
    digests = nir_digests(normalised)
    rows = rows_logged(user_id=caller.user.pk, digests=digests, log=log_values(**log, digest=digests[0]))
    hits = [_hit(row) for row in rows]
    routed = next((hit for hit in hits if hit.fund_code), None)
    actions, complete = _actions_read(breach_references=[hit.reference for hit in hits], fund=fund)
    return LookupResult(
        flagged=bool(hits), nir_masked=mask_nir(normalised), breaches=hits,
        fund_code=routed.fund_code if routed else None, fund_name=routed.fund_name if routed else None,
        actions=actions, actions_complete=complete, digest=digests[0], asker_id=caller.user.pk,
    )
