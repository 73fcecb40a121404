"""The national search of the access log (rows are written and guarded by breaches.access_log)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from breaches.models import AccessLog


@dataclass(frozen=True)
class AccessLogFilter:
    username: str = ""
    fund_code: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def access_log_search(*, filters: AccessLogFilter) -> QuerySet[AccessLog]:
    """Rows matching `filters`, newest first, user and fund joined. For national staff only (caller's gate)."""
    rows = AccessLog.objects.select_related("user", "fund").order_by("-created_at", "-id")
    if filters.username:
        rows = rows.filter(user__username=filters.username)
    if filters.fund_code:
        rows = rows.filter(fund__code=filters.fund_code)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.since:
        rows = rows.filter(created_at__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(created_at__date__lte=filters.until)
    return rows
