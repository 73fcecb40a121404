"""API tokens for tests: what "Sécurité du compte" issues after the second factor (tests/accounts/test_api_tokens.py
tests that page and its service)."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.selectors import api_token_lifetime


def authenticator_for(user) -> TOTPDevice:
    """A confirmed authenticator app for `user` (tokens are refused to accounts without one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="application de test", confirmed=True)


def api_token_for(user) -> str:
    """The clear key of a new, usable API token of `user`."""
    authenticator_for(user)
    return AuthToken.objects.create(user=user, expiry=api_token_lifetime(user))[1]
