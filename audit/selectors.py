"""Reads over the change history of the audited models."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from audit.models import AUDITED

CHANGE_TYPES = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class HistoryFilter:
    kind: str = ""
    username: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def history_of(*, kind: str) -> QuerySet:
    """History rows of one audited model, newest first, with the author joined."""
    return AUDITED[kind].history.select_related("history_user").order_by("-history_date", "-history_id")


def history_rows(*, user: AbstractBaseUser, filters: HistoryFilter, limit: int | None = None) -> list[tuple]:
    """(kind, row) pairs across audited models matching `filters`, newest first.

    Assumes the caller is national staff (the pages are national only).
    """
    kinds = [filters.kind] if filters.kind in AUDITED else list(AUDITED)
    rows: list[tuple] = []
    for kind in kinds:
        queryset = history_of(kind=kind)
        if filters.username:
            queryset = queryset.filter(history_user__username=filters.username)
        if filters.since:
            queryset = queryset.filter(history_date__date__gte=filters.since)
        if filters.until:
            queryset = queryset.filter(history_date__date__lte=filters.until)
        rows.extend((kind, row) for row in (queryset[:limit] if limit else queryset.iterator()))
    rows.sort(key=lambda pair: pair[1].history_date, reverse=True)
    return rows[:limit] if limit else rows


HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def changed_fields(rows: list[tuple]) -> dict[int, list[str]]:
    """history_id -> names of the fields that row changed; one query per audited model, not per row."""
    changes: dict[int, list[str]] = {}
    for kind, model in AUDITED.items():
        object_ids = {row.id for row_kind, row in rows if row_kind == kind}
        if not object_ids:
            continue
        columns = [f.attname for f in model.history.model._meta.fields if f.attname not in HISTORY_COLUMNS]
        previous: dict = {}
        for row in model.history.filter(id__in=object_ids).order_by("id", "history_date", "history_id"):
            before = previous.get(row.id)
            changes[row.history_id] = [] if before is None else [
                c for c in columns if getattr(row, c) != getattr(before, c)
            ]
            previous[row.id] = row
    return changes
