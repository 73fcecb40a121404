"""Reads about a user's second factor."""

from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from network.permissions import is_national

RECOVERY_DEVICE_NAME = "codes-de-secours"


def second_factor_required(user: AbstractBaseUser) -> bool:
    """National staff and admins must use a second factor; fund users may opt in."""
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser or is_national(user)))


def totp_device_of(*, user: AbstractBaseUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_expected(user: AbstractBaseUser) -> bool:
    """Whether this signed-in user must present a second factor before using the intranet."""
    return second_factor_required(user) or has_second_factor(user)


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0
