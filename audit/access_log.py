"""The national search of the access log (rows are written and guarded by breaches.access_log)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from breaches.models import AccessLog
from network.models import FundDepartment

SORTS = {
    "": ("-created_at", "-id"), "date": ("created_at", "id"), "-date": ("-created_at", "-id"),
    "utilisateur": ("user__username", "-created_at", "-id"), "caisse": ("fund__code", "-created_at", "-id"),
    "action": ("action", "-created_at", "-id"),
}


@dataclass(frozen=True)
class AccessLogFilter:
    username: str = ""
    fund_code: str = ""
    department: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    sort: str = ""


def access_log_search(*, filters: AccessLogFilter) -> QuerySet[AccessLog]:
    """Rows matching `filters`, in `filters.sort` order (newest first by default), user and fund joined. For
    national staff only (caller's gate)."""
    rows = AccessLog.objects.select_related("user", "fund").order_by(*SORTS.get(filters.sort, SORTS[""]))
    if filters.department:
        rows = rows.filter(fund_id__in=FundDepartment.objects.filter(department=filters.department.upper())
                           .values("fund_id"))
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
