"""A database migrated at the layout before the `network` app (casework held the network core, audit the retention
models) keeps every row and every grant when it migrates to the new layout, and can go back."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from guardian.shortcuts import get_perms

from breaches.models import AccessLog, CohortPurge, KeyRotation
from casework.models import Case
from network.models import Fund, FundDepartment, Membership
from network.roles import LOOKUP_PERSON, WORK_CASES

# The last migrations of each app before the move.
BEFORE = [
    ("network", None),
    ("casework", "0003_fund_case_groups"),
    ("breaches", "0004_person_digest_index"),
    ("audit", "0007_historicalinstruction_breach"),
    ("notifications", "0002_instruction_breach"),
]


def _migrate(targets):
    """Migrate to `targets`; the models as they are there (every applied migration's state)."""
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()
    loader = MigrationExecutor(connection).loader
    return loader.project_state(list(loader.applied_migrations)).apps


@pytest.fixture
def before_the_move(transactional_db):
    """The database at the layout before the move; back at the latest migrations afterwards, whatever happens."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _grant(apps, user, fund, codename):
    """A guardian object permission as the membership service wrote them before the move."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    fund_type = ContentType.objects.get(app_label="casework", model="fund")
    permission = apps.get_model("auth", "Permission").objects.get(content_type=fund_type, codename=codename)
    apps.get_model("guardian", "UserObjectPermission").objects.create(
        user_id=user.pk, permission=permission, content_type=fund_type, object_pk=str(fund.pk))


def _old_layout_data(apps) -> dict:
    """Rows of every kind the move touches, written with the models as they were."""
    User = apps.get_model("auth", "User")
    agent = User.objects.create(username="agent-avant", is_active=True)
    fund = apps.get_model("casework", "Fund").objects.create(code="561", name="CPAM du Morbihan", kind="CPAM")
    apps.get_model("casework", "FundDepartment").objects.create(fund=fund, department="56")
    membership = apps.get_model("casework", "Membership").objects.create(user=agent, fund=fund, role="agent")
    for codename in ("view_fund", "lookup_person", "work_cases"):
        _grant(apps, agent, fund, codename)
    apps.get_model("audit", "HistoricalFund").objects.create(
        id=fund.pk, code="561", name="CPAM du Morbihan", kind="CPAM", notice_emails="", agents_may_acknowledge=False,
        is_active=True, created_at=timezone.now(), history_date=timezone.now(),
        history_type="+", history_user_id=agent.pk)
    apps.get_model("audit", "HistoricalMembership").objects.create(
        id=membership.pk, role="agent", fund_id=fund.pk, user_id=agent.pk, created_at=timezone.now(),
        history_date=timezone.now(), history_type="+")
    apps.get_model("breaches", "AccessLog").objects.create(
        user_id=agent.pk, fund_id=fund.pk, action="lookup", nir_digest="d" * 64, result="signalé")
    case = apps.get_model("casework", "Case").objects.create(
        fund=fund, subject_digest="e" * 64, nir_masked="2 77 08 56 *** *** **", summary="Dossier d'avant",
        due_on=dt.date(2026, 12, 31))
    apps.get_model("audit", "CohortPurge").objects.create(
        breach_reference="BR-2024-0001", closed_at=timezone.now() - dt.timedelta(days=800), cohorts=1, people=12)
    apps.get_model("audit", "KeyRotation").objects.create(digest_key_fingerprint="f" * 16, seal_key_id="k2")
    fund_type = apps.get_model("contenttypes", "ContentType").objects.get(app_label="casework", model="fund")
    return {"agent": agent.pk, "fund": fund.pk, "membership": membership.pk, "case": case.pk,
            "fund_type": fund_type.pk}


def test_the_move_to_network_keeps_every_row_and_grant(before_the_move):
    ids = _old_layout_data(before_the_move)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    fund = Fund.objects.get(pk=ids["fund"])
    agent = get_user_model().objects.get(pk=ids["agent"])
    assert fund.code == "561" and fund.department_codes == ["56"]
    assert Membership.objects.get(pk=ids["membership"]).fund == fund
    assert ContentType.objects.get_for_model(Fund).pk == ids["fund_type"]
    assert not ContentType.objects.filter(app_label="casework", model__in=["fund", "funddepartment", "membership"])
    assert set(get_perms(agent, fund)) == {"view_fund", "lookup_person", "work_cases"}
    assert agent.has_perm(LOOKUP_PERSON, fund) and agent.has_perm(WORK_CASES, fund)
    assert Fund.history.get().code == "561" and Membership.history.get().fund_id == fund.pk
    assert AccessLog.objects.get().fund == fund
    assert Case.objects.get(pk=ids["case"]).fund == fund
    assert CohortPurge.objects.get().people == 12 and KeyRotation.objects.get().seal_key_id == "k2"
    tables = set(connection.introspection.table_names())
    assert {"network_fund", "network_funddepartment", "network_membership", "breaches_cohortpurge"} <= tables
    assert not {"casework_fund", "casework_membership", "audit_cohortpurge", "audit_keyrotation"} & tables


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_undone():
    fund = Fund.objects.create(code="291", name="CPAM du Finistère", kind="CPAM")
    FundDepartment.objects.create(fund=fund, department="29")
    fund_type = ContentType.objects.get_for_model(Fund).pk
    try:
        old = _migrate(BEFORE)
        assert old.get_model("casework", "Fund").objects.get().code == "291"
        assert old.get_model("contenttypes", "ContentType").objects.get(app_label="casework", model="fund").pk \
            == fund_type
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Fund.objects.get().department_codes == ["29"]
