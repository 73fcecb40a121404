"""The lookup's statements, built once: plain SQL because they run on every risky request in every fund.

- `caller_sql`: who asks (by user id, or by API token with the user's columns: the rule of
  config.tokens.usable_tokens, tested against it), national staff or not, the fund
  their lookups are made for, and how many lookups they made since the throttle's window opened. Same answer as
  `is_national` + `funds_of(perm=LOOKUP_PERSON)` (tested), read straight from django-guardian's tables.
- `rows_logged_sql`: the caller's count, the person's breach records and the access-log row, in one
  data-modifying statement (run under the gate's lock).
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.models import GroupObjectPermission, UserObjectPermission
from knox.models import AuthToken

from breaches.lookup.db import lookup_connection
from breaches.models import AccessLog, AffectedPerson, Breach
from network.models import Fund, Membership
from network.roles import LOOKUP_PERSON, codename

LOG_COLUMNS = "user_id, fund_id, action, nir_digest, purpose, client_address, created_at, result"
# (reference, title, discovered_on, data categories, fund code, fund name, breach id) per breach record
ROW_COLUMNS = "b.reference, b.title, b.discovered_on, b.data_categories, f.code, f.name, b.id AS breach_id"


def _access_columns() -> str:
    """`national`, `fund_id` (their first fund by code where they hold lookup_person through a user or group
    object permission; NULL when none) and `recent` (their lookups since %(since)s) of the user `caller.id`."""
    t = {"fund": Fund._meta.db_table, "uop": UserObjectPermission._meta.db_table,
         "gop": GroupObjectPermission._meta.db_table, "perm": Permission._meta.db_table,
         "groups": get_user_model().groups.through._meta.db_table, "member": Membership._meta.db_table,
         "log": AccessLog._meta.db_table}
    fund_type = (f"(SELECT ct.id FROM {ContentType._meta.db_table} ct WHERE ct.app_label = %(app)s "
                 f"AND ct.model = %(model)s)")
    permission = (f"(SELECT p.id FROM {t['perm']} p WHERE p.content_type_id = {fund_type} "
                  f"AND p.codename = %(codename)s)")
    return (
        f"EXISTS (SELECT 1 FROM {t['member']} m WHERE m.user_id = caller.id AND m.role = %(national)s) AS national, "
        f"(SELECT f.id FROM {t['fund']} f JOIN ("
        f"SELECT uop.object_pk AS pk FROM {t['uop']} uop WHERE uop.user_id = caller.id "
        f"AND uop.permission_id = {permission} "
        f"UNION SELECT gop.object_pk FROM {t['gop']} gop JOIN {t['groups']} ug ON ug.group_id = gop.group_id "
        f"WHERE ug.user_id = caller.id AND gop.permission_id = {permission}"
        f") granted ON granted.pk = CAST(f.id AS TEXT) ORDER BY f.code LIMIT 1) AS fund_id, "
        f"(SELECT count(*) FROM {t['log']} l WHERE l.user_id = caller.id AND l.created_at > %(since)s "
        f"AND l.action = %(lookup)s) AS recent"
    )


def user_columns() -> list[str]:
    """The user model's columns, in the order `caller_sql(by_token=True)` selects them first."""
    return [field.attname for field in get_user_model()._meta.concrete_fields]


@functools.cache
def caller_sql(*, by_token: bool) -> str:
    """By token: the user's columns then the access columns, for the token whose digest is %(digest)s, unexpired at
    %(now)s, of an account with a confirmed authenticator (no row: no such usable token).
    By user: the access columns of the user %(user)s."""
    users = get_user_model()._meta.db_table
    if not by_token:
        return f"SELECT {_access_columns()} FROM {users} caller WHERE caller.id = %(user)s"
    quote = lookup_connection().ops.quote_name
    columns = ", ".join(f"caller.{quote(field.column)}" for field in get_user_model()._meta.concrete_fields)
    return (f"SELECT {columns}, {_access_columns()} FROM {users} caller "
            f"JOIN {AuthToken._meta.db_table} t ON t.user_id = caller.id WHERE t.digest = %(digest)s "
            f"AND t.expiry > %(now)s AND EXISTS (SELECT 1 FROM {TOTPDevice._meta.db_table} d "
            f"WHERE d.user_id = caller.id AND d.confirmed)")


CALLER_PARAMS = {"national": Membership.Role.NATIONAL.value, "app": Fund._meta.app_label,
                 "model": Fund._meta.model_name, "codename": codename(LOOKUP_PERSON),
                 "lookup": AccessLog.Action.LOOKUP.value}


def caller_params(**params) -> dict:
    return {**CALLER_PARAMS, **params}


@functools.cache
def rows_sql(count: int) -> str:
    """The breach records of the person whose digest is one of `count` placeholders."""
    people, breaches = AffectedPerson._meta.db_table, Breach._meta.db_table
    marks = ", ".join(["%s"] * count)
    return (f"SELECT {ROW_COLUMNS} FROM {people} p JOIN {breaches} b ON b.id = p.breach_id "
            f"LEFT JOIN {Fund._meta.db_table} f ON f.id = p.fund_id WHERE p.nir_digest IN ({marks})")


@functools.cache
def insert_log_sql() -> str:
    return f"INSERT INTO {AccessLog._meta.db_table} ({LOG_COLUMNS}) VALUES ({', '.join(['%s'] * 8)})"


@functools.cache
def rows_logged_sql(count: int, actions: int) -> str:
    """Run under the gate's lock (breaches.lookup.throttle): the caller's questions since the window opened (the
    first column of every row), and when they are under the limit, `rows_sql` and the access-log row (result: the
    last two parameters, flagged or not), in one statement. One row with NULL records when none is found or the
    caller is refused."""
    log, kinds = AccessLog._meta.db_table, ", ".join(["%s"] * actions)
    return (f"WITH recent AS (SELECT count(*) AS n FROM {log} l WHERE l.user_id = %s AND l.action IN ({kinds}) "
            f"AND l.created_at > %s), admitted AS (SELECT 1 FROM recent WHERE recent.n < %s), "
            f"hits AS ({rows_sql(count)} AND EXISTS (SELECT 1 FROM admitted)), "
            f"logged AS (INSERT INTO {log} ({LOG_COLUMNS}) SELECT {', '.join(['%s'] * 7)}, "
            f"CASE WHEN EXISTS (SELECT 1 FROM hits) THEN %s ELSE %s END FROM admitted) "
            f"SELECT recent.n, hits.* FROM recent LEFT JOIN hits ON TRUE "
            f"ORDER BY hits.discovered_on DESC, hits.breach_id")
