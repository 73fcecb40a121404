"""Each fund has a django-guardian group of the users who work its cases, kept in step with their memberships:
casework shares a case with another fund by granting that group its permission on exactly that case."""

from django.contrib.auth.models import AbstractBaseUser, Group

from network.models import Fund


def fund_case_group_name(code: str) -> str:
    return f"caisse-{code}-dossiers"


def fund_case_group(fund: Fund) -> Group:
    group, _ = Group.objects.get_or_create(name=fund_case_group_name(fund.code))
    return group


def fund_case_group_sync(*, user: AbstractBaseUser, fund: Fund, works_cases: bool) -> None:
    """Keep the user in the fund's case group exactly while they hold work_cases on the fund."""
    group = fund_case_group(fund)
    if works_cases:
        user.groups.add(group)
    else:
        user.groups.remove(group)
