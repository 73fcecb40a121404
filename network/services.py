"""Writes about the network: funds, memberships and the object permissions that follow from them."""

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from guardian.shortcuts import assign_perm, get_perms, remove_perm

from config.errors import ApplicationError
from network.groups import fund_case_group_sync
from network.models import Fund, FundDepartment, Membership
from network.regions import region_of, regions
from network.roles import FUND_PERMISSIONS, WORK_CASES, codename, permissions_for

logger = logging.getLogger(__name__)

FUNDS_FILE = Path(__file__).resolve().parent / "data" / "funds.csv"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _sync_fund_permissions(*, user: AbstractBaseUser, fund: Fund) -> None:
    """Make the user's object permissions on `fund` exactly those its memberships grant."""
    wanted: set[str] = set()
    for membership in Membership.objects.filter(user=user, fund=fund):
        wanted |= permissions_for(role=membership.role, fund=fund)
    held = {perm for perm in get_perms(user, fund) if perm in FUND_PERMISSIONS}
    for perm in wanted - held:
        assign_perm(f"network.{perm}", user, fund)
    for perm in held - wanted:
        remove_perm(f"network.{perm}", user, fund)
    fund_case_group_sync(user=user, fund=fund, works_cases=codename(WORK_CASES) in wanted)


@transaction.atomic
def membership_grant(*, user: AbstractBaseUser, role: str, fund: Fund | None = None, region: str = "",
                     actor: AbstractBaseUser | None = None) -> Membership:
    """Give `user` a role (national, regional coordination of `region`, or manager/agent of `fund`). Granting
    again changes the role in place."""
    if role in (Membership.Role.NATIONAL, Membership.Role.REGIONAL):
        membership = _grant_without_fund(user=user, role=role, region=region, fund=fund, actor=actor)
    else:
        if fund is None:
            raise ApplicationError("Un responsable ou un agent doit être rattaché à une caisse.")
        membership, created = Membership.objects.get_or_create(
            user=user, fund=fund, defaults={"role": role, "granted_by": actor}
        )
        if not created and membership.role != role:
            membership.role, membership.granted_by = role, actor
            membership.save(update_fields=["role", "granted_by", "updated_at"])
        _sync_fund_permissions(user=user, fund=fund)
    logger.info("membership granted: user=%s role=%s fund=%s region=%s by=%s",
                user.pk, role, fund and fund.code, region, actor and actor.pk)
    return membership


def _grant_without_fund(*, user, role: str, region: str, fund: Fund | None, actor) -> Membership:
    """National staff or a regional coordination: no fund, so no object permission on any fund."""
    if fund is not None:
        raise ApplicationError("Le personnel national et la coordination régionale ne sont rattachés à aucune caisse.")
    if role == Membership.Role.REGIONAL and region not in regions():
        raise ApplicationError("Indiquez la région (code INSEE) de la coordination régionale.")
    region = region if role == Membership.Role.REGIONAL else ""
    membership, created = Membership.objects.get_or_create(
        user=user, fund=None, defaults={"role": role, "region": region, "granted_by": actor})
    if not created and (membership.role, membership.region) != (role, region):
        membership.role, membership.region, membership.granted_by = role, region, actor
        membership.save(update_fields=["role", "region", "granted_by", "updated_at"])
    return membership


def fund_region_sync(*, fund: Fund) -> bool:
    """Set the fund's region from its departments; True when it changed."""
    region = region_of(list(fund.departments.values_list("department", flat=True)))
    if fund.region == region:
        return False
    fund.region = region
    fund.save(update_fields=["region", "updated_at"])
    return True


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: AbstractBaseUser | None = None) -> None:
    """Remove a membership and the object permissions it gave."""
    user, fund = membership.user, membership.fund
    membership.delete()
    if fund is not None:
        _sync_fund_permissions(user=user, fund=fund)
    logger.info("membership revoked: user=%s fund=%s by=%s", user.pk, fund and fund.code, actor and actor.pk)


@transaction.atomic
def fund_update(*, fund: Fund, actor: AbstractBaseUser | None = None, **fields) -> Fund:
    """Change a fund's settings; a change of agents' rights is applied to every member at once."""
    for name, value in fields.items():
        setattr(fund, name, value)
    fund.save()
    if "agents_may_acknowledge" in fields:
        for membership in Membership.objects.filter(fund=fund).select_related("user"):
            _sync_fund_permissions(user=membership.user, fund=fund)
    return fund


def _read_funds(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def funds_load(*, path: Path = FUNDS_FILE) -> LoadResult:
    """Load the reference list of funds. Idempotent: a second run reports everything unchanged."""
    created = updated = unchanged = 0
    for row in _read_funds(path):
        departments = [d.strip() for d in row["departments"].split(";") if d.strip()]
        fund, was_created = Fund.objects.get_or_create(
            code=row["code"], defaults={"name": row["name"], "kind": row["kind"]}
        )
        changed = (fund.name, fund.kind) != (row["name"], row["kind"])
        if changed:
            fund.name, fund.kind = row["name"], row["kind"]
            fund.save(update_fields=["name", "kind", "updated_at"])
        existing = set(fund.departments.values_list("department", flat=True))
        if existing != set(departments):
            fund.departments.exclude(department__in=departments).delete()
            FundDepartment.objects.bulk_create(
                [FundDepartment(fund=fund, department=d) for d in departments if d not in existing]
            )
            changed = True
        changed = fund_region_sync(fund=fund) or changed
        created += was_created
        updated += changed and not was_created
        unchanged += not (changed or was_created)
    return LoadResult(created=created, updated=updated, unchanged=unchanged)


@transaction.atomic
def user_provision(*, username: str, password: str | None = None, email: str = "",
                   first_name: str = "", last_name: str = "") -> tuple[AbstractBaseUser, bool]:
    """Create the user if missing (the password must pass the password rules). Returns (user, created)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    if not password:
        raise ApplicationError("Un mot de passe est requis pour créer le compte.")
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user, True
