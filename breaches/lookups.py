"""The agent's daily tool: is the person in front of me in a breach? And the fund's export of its own people.

Every lookup (valid or not) and every decryption writes an AccessLog row. Missing and forbidden look the same.
"""

import csv
import datetime
import io
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission

from breaches.crypto import nir_digests, unseal_nir
from breaches.models import AccessLog, AffectedPerson, DataCategory
from breaches.nir import NirError, mask_nir, validate_nir
from breaches.selectors import lookup_rows
from casework.models import Fund, Membership
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


def lookup_actions(*, breach_references: list[str], fund: Fund | None) -> list[dict]:
    """INTEGRATION HOOK for the notifications app: what the agent must do for the breaches this person is in
    (the required actions of the instructions that apply to `fund`), e.g. [{"label", "instruction", "url"}].
    Returns [] until the integrator wires it; breaches never imports notifications itself."""
    return []


def _acting_fund_sql() -> str:
    """One statement: the user's first fund (by code) holding lookup_person through a user or group object
    permission (django-guardian's tables), and whether the user is national staff."""
    t = {"fund": Fund._meta.db_table, "uop": UserObjectPermission._meta.db_table,
         "gop": GroupObjectPermission._meta.db_table, "perm": Permission._meta.db_table,
         "groups": get_user_model().groups.through._meta.db_table, "member": Membership._meta.db_table}
    return (
        f"SELECT f.*, EXISTS (SELECT 1 FROM {t['member']} m WHERE m.user_id = %(user)s AND m.role = %(national)s) "
        f"AS national FROM {t['fund']} f WHERE CAST(f.id AS TEXT) IN ("
        f"SELECT u.object_pk FROM {t['uop']} u JOIN {t['perm']} p ON p.id = u.permission_id "
        f"WHERE u.user_id = %(user)s AND u.content_type_id = %(type)s AND p.codename = %(codename)s "
        f"UNION SELECT g.object_pk FROM {t['gop']} g JOIN {t['perm']} p ON p.id = g.permission_id "
        f"JOIN {t['groups']} ug ON ug.group_id = g.group_id "
        f"WHERE ug.user_id = %(user)s AND g.content_type_id = %(type)s AND p.codename = %(codename)s"
        f") ORDER BY f.code LIMIT 1"
    )


def lookup_fund(*, user: AbstractBaseUser) -> Fund | None:
    """The fund a lookup is made for: the user's first fund (by code) where they hold lookup_person; None for
    national staff (and superusers). Anyone else has no access to the register (404).

    Same answer as `is_national` + `funds_of(perm=lookup_person)` (tested), in one query for fund users instead
    of four: the lookup is the hot path."""
    if not user.is_authenticated:
        raise Http404
    if user.is_superuser:
        return None
    params = {"user": user.pk, "national": Membership.Role.NATIONAL, "codename": "lookup_person",
              "type": ContentType.objects.get_for_model(Fund).pk}
    fund = next(iter(Fund.objects.raw(_acting_fund_sql(), params)), None)
    if fund is None:
        if is_national(user):
            return None
        raise Http404
    return None if fund.national else fund


def _log(*, user, fund, action, digest="", result="", purpose="", client_address=None) -> AccessLog:
    return AccessLog.objects.create(user=user, fund=fund, action=action, nir_digest=digest, result=result,
                                    purpose=purpose[:200], client_address=client_address or None)


def _hit(row: tuple) -> BreachHit:
    reference, title, discovered_on, categories, fund_code, fund_name = row
    codes = [code for code in categories.split(",") if code]
    if isinstance(discovered_on, str):  # SQLite hands dates back as text
        discovered_on = datetime.date.fromisoformat(discovered_on)
    labels = dict(DataCategory.choices)
    return BreachHit(reference=reference, title=title, discovered_on=discovered_on, data_categories=codes,
                     data_category_labels=[str(labels.get(code, code)) for code in codes],
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
    hits = [_hit(row) for row in lookup_rows(digests=digests)]
    _log(user=user, fund=fund, action=AccessLog.Action.LOOKUP, digest=digests[0], purpose=purpose,
         result="signalé" if hits else "non signalé", client_address=client_address)
    routed = next((hit for hit in hits if hit.fund_code), None)
    return LookupResult(
        flagged=bool(hits), nir_masked=mask_nir(normalised), breaches=hits,
        fund_code=routed.fund_code if routed else None, fund_name=routed.fund_name if routed else None,
        actions=lookup_actions(breach_references=[hit.reference for hit in hits], fund=fund),
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
