"""The agent's daily question: is the person in front of me in a breach? Every lookup, valid NIR or not, writes its
access-log row; the same statements run whether or not the person is found."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core import signing

from breaches.crypto import nir_digests
from breaches.lookup.access import Caller
from breaches.lookup.log import log_insert, log_values, rows_logged
from breaches.models import AccessLog, DataCategory
from breaches.nir import NirError, mask_nir, validate_nir
from config.errors import ApplicationError
from network.models import Fund

CATEGORY_LABELS = dict(DataCategory.choices)  # lazy labels: translated when shown
LOOKED_UP_SALT = "vigie.breaches.looked-up-person"
LOOKED_UP_MAX_AGE = 30 * 60
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
    # The required actions of the instructions that apply (see `lookup_actions`).
    actions: list[dict] = field(default_factory=list)
    digest: str = field(default="", repr=False)

    @property
    def person_token(self) -> str:
        """A signed, short-lived reference to the person just looked up (digest + masked NIR, never the NIR), so
        the page can hand it to the check form without echoing the clear NIR. Signed only when asked for."""
        return signing.dumps([self.digest, self.nir_masked], salt=LOOKED_UP_SALT) if self.digest else ""

    def as_json(self) -> dict:
        """The API's answer (LookupResultSerializer's shape): no digest, no person token."""
        return {"flagged": self.flagged, "nir_masked": self.nir_masked,
                "breaches": [hit.__dict__ for hit in self.breaches],
                "fund_code": self.fund_code, "fund_name": self.fund_name, "actions": self.actions}


def looked_up_person(token: str) -> tuple[str, str]:
    """(digest, masked NIR) from a lookup's `person_token`; refused once tampered with or after 30 minutes."""
    try:
        digest, masked = signing.loads(token, salt=LOOKED_UP_SALT, max_age=LOOKED_UP_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApplicationError("La consultation a expiré : vérifiez de nouveau le NIR.")
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
    do. NotFound for a caller without access to the register; an invalid NIR is logged, then raises NirError (its
    message names the reason). The caller's throttle is the adapter's business (it counts `caller.recent`)."""
    fund = caller.require_access().fund()
    log = {"user": caller.user, "fund": fund, "action": AccessLog.Action.LOOKUP, "purpose": purpose,
           "client_address": client_address}
    try:
        normalised = validate_nir(nir)
    except NirError:
        log_insert(log_values(**log), INVALID_NIR)
        raise
    digests = nir_digests(normalised)
    hits = [_hit(row) for row in rows_logged(digests=digests, log=log_values(**log, digest=digests[0]))]
    routed = next((hit for hit in hits if hit.fund_code), None)
    return LookupResult(
        flagged=bool(hits), nir_masked=mask_nir(normalised), breaches=hits,
        fund_code=routed.fund_code if routed else None, fund_name=routed.fund_name if routed else None,
        actions=lookup_actions(breach_references=[hit.reference for hit in hits], fund=fund),
        digest=digests[0],
    )
