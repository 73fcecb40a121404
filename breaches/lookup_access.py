"""Who may look a NIR up, for which fund, and how many lookups they made lately: the lookup's access check and
throttle count in plain, prepared SQL.

Same answer as `is_national` + `funds_of(perm=lookup_person)` (tested), read straight from django-guardian's
tables in one statement, because it runs on every lookup. `lookup_caller` does it together with the API token's
user and the user's recent lookups (the throttle's count, see breaches/throttling.py), so a token lookup needs one
query to know who is asking, for which fund, and whether they may ask again.
"""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from guardian.models import GroupObjectPermission, UserObjectPermission

from breaches.models import AccessLog
from config.api.authentication import token_user_sql, user_by_token
from config.db import prepared_cursor
from network.models import Fund, Membership

LOOKUP_CODENAME = "lookup_person"


def _access_columns(user: str) -> str:
    """Two SQL columns about the user whose id is `user` (a column or a placeholder): `national` (national staff)
    and `fund_id`, their first fund by code where they hold lookup_person through a user or group object
    permission, NULL when there is none."""
    t = {"fund": Fund._meta.db_table, "uop": UserObjectPermission._meta.db_table,
         "gop": GroupObjectPermission._meta.db_table, "perm": Permission._meta.db_table,
         "groups": get_user_model().groups.through._meta.db_table, "member": Membership._meta.db_table}
    permission = f"(SELECT p.id FROM {t['perm']} p WHERE p.content_type_id = %(type)s AND p.codename = %(codename)s)"
    return (
        f"EXISTS (SELECT 1 FROM {t['member']} m WHERE m.user_id = {user} AND m.role = %(national)s) AS national, "
        f"(SELECT f.id FROM {t['fund']} f JOIN ("
        f"SELECT uop.object_pk AS pk FROM {t['uop']} uop WHERE uop.user_id = {user} "
        f"AND uop.permission_id = {permission} "
        f"UNION SELECT gop.object_pk FROM {t['gop']} gop JOIN {t['groups']} ug ON ug.group_id = gop.group_id "
        f"WHERE ug.user_id = {user} AND gop.permission_id = {permission}"
        f") granted ON granted.pk = CAST(f.id AS TEXT) ORDER BY f.code LIMIT 1) AS fund_id"
    )


@functools.cache
def _access_sql() -> str:
    return f"SELECT {_access_columns('%(user)s')}"


def _params(**params) -> dict:
    return {"national": Membership.Role.NATIONAL.value, "type": ContentType.objects.get_for_model(Fund).pk,
            "codename": LOOKUP_CODENAME, **params}


def _recent_column(user: str) -> str:
    """How many lookups the user whose id is `user` made since %(since)s (the access log's rows)."""
    return (f"(SELECT count(*) FROM {AccessLog._meta.db_table} l WHERE l.user_id = {user} "
            f"AND l.created_at > %(since)s AND l.action = %(lookup)s) AS recent")


@functools.cache
def _caller_sql() -> str:
    return token_user_sql(f"{_access_columns('caller.id')}, {_recent_column('caller.id')}")


def lookup_caller(*, token: str, since: datetime.datetime) -> AbstractBaseUser | None:
    """The user holding this API token (None if none), with their lookup access (for `lookup_access`) and their
    lookups since `since` (for `recent_lookups`) already loaded. Active or not is the caller's check."""
    params = _params(key=token, since=_at(since), lookup=AccessLog.Action.LOOKUP.value)
    user, extra = user_by_token(_caller_sql(), params)
    if user is None:
        return None
    national, fund_id, recent = extra
    user._vigie_lookup_access = (national, fund_id)
    user._vigie_recent_lookups = (since, recent)
    return user


def recent_lookups(*, user: AbstractBaseUser, since: datetime.datetime) -> int:
    """How many lookups (valid or not: each writes an access-log row) the user made since `since`: loaded by
    `lookup_caller` for that same instant, else one query."""
    cached = getattr(user, "_vigie_recent_lookups", None)
    if cached is not None and cached[0] == since:
        return cached[1]
    with prepared_cursor() as cursor:
        cursor.execute(f"SELECT {_recent_column('%(user)s')}",
                       {"user": user.pk, "since": _at(since), "lookup": AccessLog.Action.LOOKUP.value})
        return cursor.fetchone()[0]


def _at(moment: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(moment)


def lookup_access(user: AbstractBaseUser) -> tuple[bool, int | None]:
    """(national staff?, id of the fund their lookups are made for or None): loaded by `lookup_caller`, else
    one query."""
    cached = getattr(user, "_vigie_lookup_access", None)
    if cached is None:
        with prepared_cursor() as cursor:
            cursor.execute(_access_sql(), _params(user=user.pk))
            cached = tuple(cursor.fetchone())
    national, fund_id = cached
    return bool(national), fund_id
