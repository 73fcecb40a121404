"""The roles of the network and what each may do on its fund (django-guardian object permissions on `Fund`).

The permission names below are the only spelling the apps use: `funds_of(user=..., perm=WORK_CASES)`.
"""

from network.models import Fund, Membership

VIEW_FUND = "network.view_fund"
LOOKUP_PERSON = "network.lookup_person"
LOG_CHECK = "network.log_check"
WORK_CASES = "network.work_cases"
MANAGE_CASES = "network.manage_cases"
ACKNOWLEDGE_INSTRUCTION = "network.acknowledge_instruction"
EXPORT_PEOPLE = "network.export_people"


def codename(perm: str) -> str:
    """'network.view_fund' -> 'view_fund'."""
    return perm.split(".", 1)[-1]


def _codenames(*perms: str) -> frozenset[str]:
    return frozenset(codename(perm) for perm in perms)


AGENT_PERMISSIONS = _codenames(VIEW_FUND, LOOKUP_PERSON, LOG_CHECK, WORK_CASES)
MANAGER_PERMISSIONS = AGENT_PERMISSIONS | _codenames(MANAGE_CASES, ACKNOWLEDGE_INSTRUCTION, EXPORT_PEOPLE)
# National staff read every fund and may look people up; they hold no fund's write permissions.
NATIONAL_PERMISSIONS = _codenames(VIEW_FUND, LOOKUP_PERSON)
# Every permission a membership can give on a fund (what the membership service keeps in step).
FUND_PERMISSIONS = MANAGER_PERMISSIONS | AGENT_PERMISSIONS


def permissions_for(*, role: str, fund: Fund) -> frozenset[str]:
    """The codenames a manager or agent holds on `fund` (national staff hold none on any fund)."""
    if role == Membership.Role.MANAGER:
        return MANAGER_PERMISSIONS
    if role == Membership.Role.AGENT:
        extra = _codenames(ACKNOWLEDGE_INSTRUCTION) if fund.agents_may_acknowledge else frozenset()
        return AGENT_PERMISSIONS | extra
    return frozenset()
