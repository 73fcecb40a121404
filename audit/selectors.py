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
    operation: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = ""  # "" newest first, "date" oldest first


def history_of(*, kind: str) -> QuerySet:
    """History rows of one audited model, newest first, with the author joined."""
    return AUDITED[kind].history.select_related("history_user").order_by("-history_date", "-history_id")


def _history_querysets(filters: HistoryFilter) -> dict[str, QuerySet]:
    kinds = [filters.kind] if filters.kind in AUDITED else list(AUDITED)
    order = ("history_date", "history_id") if filters.sort == "date" else ("-history_date", "-history_id")
    querysets = {}
    for kind in kinds:
        queryset = history_of(kind=kind).order_by(*order)
        if filters.username:
            queryset = queryset.filter(history_user__username=filters.username)
        if filters.operation in CHANGE_TYPES:
            queryset = queryset.filter(history_type=filters.operation)
        if filters.since:
            queryset = queryset.filter(history_date__date__gte=filters.since)
        if filters.until:
            queryset = queryset.filter(history_date__date__lte=filters.until)
        querysets[kind] = queryset
    return querysets


def _merged(pairs: list[tuple], filters: HistoryFilter) -> list[tuple]:
    return sorted(pairs, key=lambda pair: (pair[1].history_date, pair[1].history_id), reverse=filters.sort != "date")


class MergedHistory:
    """(kind, row) pairs across the audited models, in the filter's order, for a Paginator: counting asks each
    model, and a slice [a:b] reads the first b rows of each model and merges them (deep pages cost more)."""

    def __init__(self, filters: HistoryFilter):
        self.filters = filters
        self.querysets = _history_querysets(filters)

    def count(self) -> int:
        return sum(queryset.count() for queryset in self.querysets.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[tuple]:
        pairs = [(kind, row) for kind, queryset in self.querysets.items() for row in queryset[:window.stop]]
        return _merged(pairs, self.filters)[window.start:window.stop]


def history_rows(*, user: AbstractBaseUser, filters: HistoryFilter, limit: int | None = None) -> list[tuple]:
    """(kind, row) pairs across audited models matching `filters`, newest first (oldest first with sort "date").

    Assumes the caller is national staff (the pages are national only).
    """
    pairs = [(kind, row) for kind, queryset in _history_querysets(filters).items()
             for row in (queryset[:limit] if limit else queryset.iterator())]
    rows = _merged(pairs, filters)
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
