"""Reads about a user's second factor and API tokens."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import EnrolmentLink
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


def self_enrolment_allowed(user: AbstractBaseUser) -> bool:
    """Whether the user may bind an authenticator on their own at sign-in: only where the setting allows it and no
    admin issued them an enrolment link (issuing one is the flag: that account enrols through a link only)."""
    return settings.MFA_SELF_ENROLMENT and not EnrolmentLink.objects.filter(user=user).exists()


def recovery_codes_left(*, user: AbstractBaseUser) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    return device.token_set.count() if device else 0


def session_verified(user: AbstractBaseUser) -> bool:
    """Whether this request's user passed a second factor in this session (django-otp's middleware tells)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and is_verified and is_verified())


def api_token_lifetime(user: AbstractBaseUser) -> dt.timedelta:
    """How long a new API token of `user` lasts: shorter for national staff and admins."""
    days = settings.API_TOKEN_DAYS_NATIONAL if second_factor_required(user) else settings.API_TOKEN_DAYS
    return dt.timedelta(days=days)


def api_tokens_of(*, user: AbstractBaseUser) -> QuerySet[AuthToken]:
    """The user's unexpired API tokens, newest first. Only the start of each key is known (`token_key`)."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
