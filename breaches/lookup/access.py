"""Who asks the register: one statement tells who the caller is (by API token or signed-in user), whether they may
look people up and for which fund, and how many lookups they made in the throttle's window."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from breaches.lookup.db import lookup_connection, lookup_cursor
from breaches.lookup.sql import caller_params, caller_sql, user_columns
from config.errors import NotFound
from config.tokens import token_digest
from network.models import Fund


@dataclass(frozen=True)
class Caller:
    """A user asking the register. `fund_id`: the fund their lookups are made for (None for national staff);
    `recent`: their lookups (each writes an access-log row, valid NIR or not) since `since`."""

    user: AbstractBaseUser
    national: bool
    fund_id: int | None
    recent: int
    since: datetime.datetime

    @property
    def may_look_up(self) -> bool:
        return self.national or self.fund_id is not None

    def fund(self) -> Fund | None:
        """The fund, with only its id loaded (the rest loads on access); None for national staff."""
        if self.national or self.fund_id is None:
            return None
        return Fund.from_db(lookup_connection().alias, ["id"], [self.fund_id])

    def require_access(self) -> "Caller":
        """Anyone who may not look people up gets 404: the register's existence leaks nothing."""
        if not self.may_look_up:
            raise NotFound()
        return self


def _at(moment: datetime.datetime):
    return lookup_connection().ops.adapt_datetimefield_value(moment)


def _caller(user: AbstractBaseUser, row, since: datetime.datetime) -> Caller:
    national, fund_id, recent = row
    return Caller(user=user, national=bool(national) or user.is_superuser, fund_id=fund_id, recent=recent,
                  since=since)


def caller_of(user: AbstractBaseUser, *, since: datetime.datetime) -> Caller:
    """The caller behind a signed-in user: one statement. Anonymous users may not look up."""
    if not user.is_authenticated:
        return Caller(user=user, national=False, fund_id=None, recent=0, since=since)
    with lookup_cursor() as cursor:
        cursor.execute(caller_sql(by_token=False), caller_params(user=user.pk, since=_at(since)))
        return _caller(user, cursor.fetchone(), since)


def caller_by_token(key: str, *, since: datetime.datetime) -> Caller | None:
    """The caller holding this API token, user loaded with the access (None: no such usable token, see
    config.tokens). Active or not is the authentication's check."""
    params = caller_params(digest=token_digest(key), now=_at(timezone.now()), since=_at(since))
    with lookup_cursor() as cursor:
        cursor.execute(caller_sql(by_token=True), params)
        row = cursor.fetchone()
    if row is None:
        return None
    columns = user_columns()
    user = get_user_model().from_db(lookup_connection().alias, columns, row[:len(columns)])
    return _caller(user, row[len(columns):], since)
