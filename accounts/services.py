"""Writes about accounts: second factor enrolment and checks, directory (SSO) synchronisation."""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.selectors import RECOVERY_DEVICE_NAME, second_factor_required, totp_device_of
from config.errors import ApplicationError

logger = logging.getLogger(__name__)

TOTP_DEVICE_NAME = "application d'authentification"


@transaction.atomic
def totp_device_start(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator the user is enrolling (a new secret unless one is pending)."""
    if totp_device_of(user=user) is not None:
        raise ApplicationError("La double authentification est déjà activée pour ce compte.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: AbstractBaseUser, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a first code; returns it and fresh recovery codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ApplicationError("Aucune activation en cours : recommencez l'activation.")
    if not device.verify_token(token.strip()):
        raise ApplicationError("Code incorrect : saisissez le code à 6 chiffres affiché par l'application.")
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
    logger.info("second factor removed: user=%s by=%s", user.pk, actor.pk)
