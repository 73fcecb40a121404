"""Writes about accounts: second factor enrolment and checks, API tokens."""

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import EnrolmentLink
from accounts.selectors import (
    RECOVERY_DEVICE_NAME,
    api_token_lifetime,
    has_second_factor,
    second_factor_required,
    self_enrolment_allowed,
    session_verified,
    totp_device_of,
)
from config.errors import ApplicationError

logger = logging.getLogger(__name__)

TOTP_DEVICE_NAME = "application d'authentification"


ENROLMENT_BY_LINK_ONLY = ("Pour ce compte, la double authentification s'active uniquement avec le lien à usage unique "
                          "délivré par un administrateur.")
ENROLMENT_LINK_INVALID = ("Ce lien d'activation n'est pas valable : il a expiré, a déjà servi ou concerne un autre "
                          "compte. Demandez-en un nouveau à un administrateur.")


def _enrolment_allowed(user: AbstractBaseUser, link: EnrolmentLink | None) -> None:
    if link is None and not self_enrolment_allowed(user):
        raise ApplicationError(ENROLMENT_BY_LINK_ONLY)


@transaction.atomic
def totp_device_start(*, user: AbstractBaseUser, link: EnrolmentLink | None = None) -> TOTPDevice:
    """The unconfirmed authenticator the user is enrolling (a new secret unless one is pending). Without an
    enrolment `link` (see enrolment_link_get), only where self-enrolment is allowed."""
    if totp_device_of(user=user) is not None:
        raise ApplicationError("La double authentification est déjà activée pour ce compte.")
    _enrolment_allowed(user, link)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: AbstractBaseUser, token: str,
                        link: EnrolmentLink | None = None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a first code; returns it and fresh recovery codes. With an enrolment
    `link`, uses it up (once: a guarded update); without one, only where self-enrolment is allowed."""
    _enrolment_allowed(user, link)
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ApplicationError("Aucune activation en cours : recommencez l'activation.")
    if not device.verify_token(token.strip()):
        raise ApplicationError("Code incorrect : saisissez le code à 6 chiffres affiché par l'application.")
    if link is not None and not _enrolment_link_use(link):
        raise ApplicationError(ENROLMENT_LINK_INVALID)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_generate(user=user)
    logger.info("second factor enrolled: user=%s", user.pk)
    return device, codes


@transaction.atomic
def recovery_codes_generate(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with new single-use ones and return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    logger.info("recovery codes regenerated: user=%s", user.pk)
    return codes


def second_factor_check(*, user: AbstractBaseUser, token: str) -> Device:
    """The device that accepts `token` (authenticator code or a single-use recovery code)."""
    token = token.strip().replace(" ", "")
    devices = [totp_device_of(user=user)]
    devices.append(StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True).first())
    for device in filter(None, devices):
        with transaction.atomic():
            if device.verify_token(token):
                logger.info("second factor verified: user=%s device=%s", user.pk, type(device).__name__)
                return device
    logger.warning("second factor refused: user=%s", user.pk)
    raise ApplicationError("Code incorrect ou déjà utilisé.")


@transaction.atomic
def second_factor_disable(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> None:
    """Remove the user's second factor. Users for whom it is required may only have it reset by an admin."""
    if second_factor_required(user) and not actor.is_superuser:
        raise ApplicationError("La double authentification est obligatoire pour ce compte.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).delete()
    api_tokens_revoke(tokens=AuthToken.objects.filter(user=user), actor=actor)  # they were second-factor credentials
    logger.info("second factor removed: user=%s by=%s", user.pk, actor.pk)


@transaction.atomic
def api_token_issue(*, user: AbstractBaseUser) -> tuple[AuthToken, str]:
    """A new API token for the request's `user`, whose session passed its second factor: the token and its clear key
    (to show once; only its digest is stored). Expires after `api_token_lifetime(user)`. The user's expired tokens
    are deleted on the way."""
    if not (session_verified(user) and has_second_factor(user)):
        raise ApplicationError("Un jeton d'API ne peut être créé qu'après la double authentification : activez-la "
                               "dans « Sécurité du compte », puis reconnectez-vous avec votre code.")
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    token, key = AuthToken.objects.create(user=user, expiry=api_token_lifetime(user))
    logger.info("api token issued: user=%s token=%s expiry=%s", user.pk, token.token_key, token.expiry.isoformat())
    return token, key


@transaction.atomic
def api_tokens_revoke(*, tokens: QuerySet[AuthToken], actor: AbstractBaseUser) -> int:
    """Revoke (delete) `tokens`, already scoped by the caller (the owner's own, or any for an admin); how many."""
    revoked = [(token.user_id, token.token_key) for token in tokens]
    AuthToken.objects.filter(pk__in=tokens.values("pk")).delete()
    for user_id, token_key in revoked:
        logger.info("api token revoked: user=%s token=%s by=%s", user_id, token_key, actor.pk)
    return len(revoked)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def enrolment_link_issue(*, user: AbstractBaseUser, actor: AbstractBaseUser) -> tuple[EnrolmentLink, str]:
    """A single-use enrolment link for `user`, valid MFA_ENROLMENT_LINK_HOURS: the link and its clear token (to put
    in the URL; only its digest is stored). Withdraws the user's earlier unused links and any authenticator they
    started to enrol (its secret may have been seen by someone else). From then on the account enrols only through
    a link. Refused while the user has an authenticator: reset it first."""
    if has_second_factor(user):
        raise ApplicationError(f"{user} a déjà une double authentification active : réinitialisez-la d'abord.")
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at=None, expires_at__gt=now).update(expires_at=now)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(user=user, digest=_digest(token), issued_by=actor,
                                        expires_at=now + dt.timedelta(hours=settings.MFA_ENROLMENT_LINK_HOURS))
    logger.info("enrolment link issued: user=%s by=%s expires=%s", user.pk, actor.pk, link.expires_at.isoformat())
    return link, token


def enrolment_link_get(*, user: AbstractBaseUser, token: str) -> EnrolmentLink:
    """The usable (unused, unexpired) enrolment link of `user` with this token. Unknown, used, expired or another
    account's: the same error."""
    link = EnrolmentLink.objects.filter(user=user, digest=_digest(token), used_at=None,
                                        expires_at__gt=timezone.now()).first()
    if link is None:
        logger.warning("enrolment link refused: user=%s", user.pk)
        raise ApplicationError(ENROLMENT_LINK_INVALID)
    return link


def _enrolment_link_use(link: EnrolmentLink) -> bool:
    """Use the link up, if it is still usable (claimed with a guarded update: it works once)."""
    now = timezone.now()
    return EnrolmentLink.objects.filter(pk=link.pk, used_at=None, expires_at__gt=now).update(used_at=now) == 1
