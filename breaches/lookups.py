"""The agent's daily tool: is the person in front of me in a breach? And the fund's export of its own people.

Every lookup (valid or not) and every decryption writes an AccessLog row. Missing and forbidden look the same.
"""

import csv
import datetime
import functools
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from breaches.crypto import nir_digests, unseal_nir
from breaches.lookup_access import lookup_access
from breaches.models import AccessLog, AffectedPerson, DataCategory
from breaches.nir import NirError, mask_nir, validate_nir
from breaches.selectors import lookup_rows, lookup_rows_sql
from config.db import prepared_cursor
from config.errors import ApplicationError
from network.models import Fund
from network.permissions import funds_of
from network.roles import EXPORT_PEOPLE

logger = logging.getLogger(__name__)

EXPORT_HEADER = ["fuite", "nir", "nom", "prenom", "date_naissance", "code_postal", "organisme_source",
                 "date_prelevement"]
LOG_BATCH = 1000
CATEGORY_LABELS = dict(DataCategory.choices)  # lazy labels: translated when shown


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


LOOKED_UP_SALT = "vigie.breaches.looked-up-person"
LOOKED_UP_MAX_AGE = 30 * 60


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


def lookup_fund(*, user: AbstractBaseUser) -> Fund | None:
    """The fund a lookup is made for: the user's first fund (by code) where they hold lookup_person; None for
    national staff (and superusers). Anyone else has no access to the register (404).

    Same answer as `is_national` + `funds_of(perm=lookup_person)` (tested), in one plain query: the lookup is
    the hot path (see `lookup_access`). The fund comes back with only its id loaded (the rest loads on access)."""
    if not user.is_authenticated:
        raise Http404
    if user.is_superuser:
        return None
    national, fund_id = lookup_access(user)
    if national:
        return None
    if fund_id is None:
        raise Http404
    return Fund.from_db(connection.alias, ["id"], [fund_id])


LOG_COLUMNS = "user_id, fund_id, action, nir_digest, purpose, client_address, created_at, result"
FLAGGED, NOT_FLAGGED = "signalé", "non signalé"


def _log_values(*, user, fund, action, digest="", purpose="", client_address=None) -> list:
    """An access-log row's values in LOG_COLUMNS order, but for the result."""
    ops = connection.ops
    return [user.pk, fund.pk if fund else None, action, digest, purpose[:200],
            ops.adapt_ipaddressfield_value(client_address or None), ops.adapt_datetimefield_value(timezone.now())]


@functools.cache
def _insert_log_sql() -> str:
    return f"INSERT INTO {AccessLog._meta.db_table} ({LOG_COLUMNS}) VALUES ({', '.join(['%s'] * 8)})"


@functools.cache
def _rows_logged_sql(count: int) -> str:
    return (f"WITH hits AS ({lookup_rows_sql(count)}), logged AS (INSERT INTO {AccessLog._meta.db_table} "
            f"({LOG_COLUMNS}) SELECT {', '.join(['%s'] * 7)}, CASE WHEN EXISTS (SELECT 1 FROM hits) THEN %s "
            f"ELSE %s END) SELECT * FROM hits ORDER BY discovered_on DESC, breach_id")


def _insert_log(values: list, result: str) -> None:
    """One access-log row, in one plain INSERT (no model instance: this runs on every lookup). The append-only
    guard watches updates and deletes, which this is not."""
    with prepared_cursor() as cursor:
        cursor.execute(_insert_log_sql(), [*values, result])


def _log(*, result="", **values) -> None:
    _insert_log(_log_values(**values), result)


def _rows_logged(*, digests: list[str], log: list) -> list[tuple]:
    """The lookup's rows (see `lookup_rows`) and its access-log row, flagged or not: on PostgreSQL in one
    statement (a data-modifying WITH: one round trip less on the hot path), elsewhere in two."""
    if connection.vendor != "postgresql":
        rows = lookup_rows(digests=digests)
        _insert_log(log, FLAGGED if rows else NOT_FLAGGED)
        return [row[:6] for row in rows]
    with prepared_cursor() as cursor:
        cursor.execute(_rows_logged_sql(len(digests)), [*digests, *log, FLAGGED, NOT_FLAGGED])
        return [row[:6] for row in cursor.fetchall()]


def _hit(row: tuple) -> BreachHit:
    reference, title, discovered_on, categories, fund_code, fund_name = row
    codes = [code for code in categories.split(",") if code]
    if isinstance(discovered_on, str):  # SQLite hands dates back as text
        discovered_on = datetime.date.fromisoformat(discovered_on)
    return BreachHit(reference=reference, title=title, discovered_on=discovered_on, data_categories=codes,
                     data_category_labels=[str(CATEGORY_LABELS.get(code, code)) for code in codes],
                     fund_code=fund_code, fund_name=fund_name)


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
    hits = [_hit(row) for row in _rows_logged(digests=digests, log=_log_values(
        user=user, fund=fund, action=AccessLog.Action.LOOKUP, digest=digests[0], purpose=purpose,
        client_address=client_address))]
    routed = next((hit for hit in hits if hit.fund_code), None)
    return LookupResult(
        flagged=bool(hits), nir_masked=mask_nir(normalised), breaches=hits,
        fund_code=routed.fund_code if routed else None, fund_name=routed.fund_name if routed else None,
        actions=lookup_actions(breach_references=[hit.reference for hit in hits], fund=fund),
        digest=digests[0],
    )


def export_fund_for(*, user: AbstractBaseUser, code: str) -> Fund:
    """The gate of the export: a fund where the user holds export_people, else 404."""
    fund = funds_of(user=user, perm=EXPORT_PEOPLE).filter(code=code).first()
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
