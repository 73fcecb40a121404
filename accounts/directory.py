"""The network's directory is the authority on who SSO users are and which roles they hold."""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from network.models import Fund, Membership
from network.services import membership_grant, membership_revoke

logger = logging.getLogger(__name__)


def roles_from_groups(groups: list[str]) -> set[tuple[str, str | None]]:
    """{(role, fund code or None)} named by directory groups; unknown groups are ignored."""
    prefix = re.escape(settings.OIDC_GROUP_PREFIX)
    national = re.compile(rf"^{prefix}-national$", re.IGNORECASE)
    local = re.compile(rf"^{prefix}-(manager|agent)-(\d{{3}})$", re.IGNORECASE)
    roles: set[tuple[str, str | None]] = set()
    for group in groups:
        if national.match(group):
            roles.add((Membership.Role.NATIONAL, None))
        elif match := local.match(group):
            roles.add((match.group(1).lower(), match.group(2)))
    return roles


def _groups(claims: dict) -> list[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    return [groups] if isinstance(groups, str) else [str(g) for g in groups]


@transaction.atomic
def directory_user_sync(*, claims: dict) -> AbstractBaseUser:
    """Create or update the user named by the claims and make their memberships match their groups.

    A group naming an unknown fund is ignored. The user has no usable local password: they sign in
    through the directory only. Memberships not backed by a group are revoked.
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(username=claims[settings.OIDC_USERNAME_CLAIM])
    user.email = claims.get("email", user.email)
    user.first_name = claims.get("given_name", user.first_name)[:150]
    user.last_name = claims.get("family_name", user.last_name)[:150]
    if created:
        user.set_unusable_password()
    user.save()
    wanted = roles_from_groups(_groups(claims))
    funds = {f.code: f for f in Fund.objects.filter(code__in=[c for _, c in wanted if c])}
    wanted = {(role, code) for role, code in wanted if code is None or code in funds}
    for membership in Membership.objects.filter(user=user).select_related("fund"):
        held = (membership.role, membership.fund.code if membership.fund_id else None)
        if held in wanted:
            wanted.discard(held)
        else:
            membership_revoke(membership=membership)
    for role, code in sorted(wanted, key=lambda item: (item[0], item[1] or "")):
        membership_grant(user=user, role=role, fund=funds.get(code) if code else None)
    logger.info("directory sync: user=%s created=%s roles=%s", user.pk, created, len(wanted))
    return user
