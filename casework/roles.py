"""What each role may do on its fund, as django-guardian object permissions on `Fund`."""

from casework.models import Fund, Membership

AGENT_PERMISSIONS = frozenset({"view_fund", "lookup_person", "log_check", "work_cases"})
MANAGER_PERMISSIONS = AGENT_PERMISSIONS | {"manage_cases", "acknowledge_instruction", "export_people"}
# National staff read every fund and may look people up; they hold no fund's write permissions.
NATIONAL_PERMISSIONS = frozenset({"view_fund", "lookup_person"})


def permissions_for(*, role: str, fund: Fund) -> frozenset[str]:
    if role == Membership.Role.MANAGER:
        return MANAGER_PERMISSIONS
    if role == Membership.Role.AGENT:
        extra = {"acknowledge_instruction"} if fund.agents_may_acknowledge else set()
        return AGENT_PERMISSIONS | extra
    return frozenset()


def short_name(perm: str) -> str:
    """'casework.view_fund' -> 'view_fund'."""
    return perm.split(".", 1)[-1]
