import pytest
from django.core.management import CommandError, call_command
from guardian.shortcuts import get_perms

from config.errors import ApplicationError
from network.models import Membership
from network.permissions import funds_of, is_national
from network.roles import ACKNOWLEDGE_INSTRUCTION, EXPORT_PEOPLE, LOOKUP_PERSON
from network.services import fund_update, membership_grant, membership_revoke
from tests.factories import UserFactory


def test_manager_has_fund_permissions_an_agent_lacks(manager_a, agent_a, fund_a):
    assert manager_a.has_perm(ACKNOWLEDGE_INSTRUCTION, fund_a)
    assert manager_a.has_perm(EXPORT_PEOPLE, fund_a)
    assert not agent_a.has_perm(ACKNOWLEDGE_INSTRUCTION, fund_a)
    assert not agent_a.has_perm(EXPORT_PEOPLE, fund_a)
    assert agent_a.has_perm(LOOKUP_PERSON, fund_a)


def test_agent_has_no_permission_on_another_fund(agent_a, fund_b):
    assert get_perms(agent_a, fund_b) == []


def test_revoking_a_membership_removes_the_object_permissions(agent_a, fund_a):
    membership_revoke(membership=Membership.objects.get(user=agent_a, fund=fund_a))
    assert get_perms(agent_a, fund_a) == []
    assert list(funds_of(user=agent_a)) == []


def test_granting_again_changes_the_role_in_place(agent_a, fund_a):
    membership_grant(user=agent_a, role=Membership.Role.MANAGER, fund=fund_a)
    assert Membership.objects.filter(user=agent_a).count() == 1
    assert "export_people" in get_perms(agent_a, fund_a)
    membership_grant(user=agent_a, role=Membership.Role.AGENT, fund=fund_a)
    assert "export_people" not in get_perms(agent_a, fund_a)


def test_fund_may_let_agents_acknowledge(agent_a, fund_a):
    fund_update(fund=fund_a, agents_may_acknowledge=True)
    assert "acknowledge_instruction" in get_perms(agent_a, fund_a)
    fund_update(fund=fund_a, agents_may_acknowledge=False)
    assert "acknowledge_instruction" not in get_perms(agent_a, fund_a)


def test_funds_of_scopes_by_permission(national, manager_a, agent_a, agent_b, fund_a, fund_b):
    assert set(funds_of(user=national)) == {fund_a, fund_b}
    assert list(funds_of(user=national, perm=ACKNOWLEDGE_INSTRUCTION)) == []
    assert list(funds_of(user=agent_a)) == [fund_a]
    assert list(funds_of(user=agent_a, perm=ACKNOWLEDGE_INSTRUCTION)) == []
    assert list(funds_of(user=manager_a, perm=ACKNOWLEDGE_INSTRUCTION)) == [fund_a]
    assert list(funds_of(user=agent_b)) == [fund_b]


def test_national_membership_has_no_fund(db, fund_a):
    user = UserFactory()
    with pytest.raises(ApplicationError):
        membership_grant(user=user, role=Membership.Role.NATIONAL, fund=fund_a)
    with pytest.raises(ApplicationError):
        membership_grant(user=user, role=Membership.Role.AGENT)


def test_add_member_creates_user_and_grants(fund_a):
    call_command("add_member", "nouvel.agent", "--fund", "561", "--role", "manager", "--password", "Un-long-mot-2026")
    membership = Membership.objects.get(user__username="nouvel.agent")
    assert (membership.role, membership.fund) == ("manager", fund_a)
    assert membership.user.check_password("Un-long-mot-2026")
    call_command("add_member", "chef", "--national", "--password", "Un-long-mot-2026")
    assert is_national(Membership.objects.get(user__username="chef").user)


def test_add_member_rejects_unknown_fund(db):
    with pytest.raises(CommandError, match="Caisse inconnue"):
        call_command("add_member", "x", "--fund", "000", "--password", "Un-long-mot-2026")


def test_add_member_rejects_weak_password(fund_a):
    with pytest.raises(CommandError):
        call_command("add_member", "faible", "--fund", "561", "--password", "123")
