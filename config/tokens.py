"""API tokens: `Authorization: Token <key>`, the same header as before, now django-rest-knox's tokens.

A token is stored as the SHA-512 digest of its key (knox's `digest`, the table's primary key): the clear key is
shown once when it is issued (accounts: "Sécurité du compte", after the second factor) and never stored. A
presented key is hashed and looked up by its digest: one indexed query, which also loads the user. A token is
accepted while it has not expired and its account is active and still has a confirmed second factor (a token is
a second-factor credential: an account whose authenticator was removed, or that now requires one it has not set
up, cannot use its tokens). The NIR lookup reads the same rule in its own statement (breaches.lookup.sql).

Lives in config (not config.api: the lookup's access module uses it) because both accounts (issuing, listing,
revoking) and breaches (the lookup) use it.
"""

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

REFUSED = _("Jeton invalide ou expiré, ou compte sans double authentification.")


def token_digest(key: str) -> str:
    """What the database holds for a key (knox's hash)."""
    return hash_token(key)


def usable_tokens():
    """Tokens that authenticate now: unexpired, of an account with a confirmed authenticator."""
    confirmed = TOTPDevice.objects.filter(user_id=OuterRef("user_id"), confirmed=True)
    return AuthToken.objects.filter(Exists(confirmed), expiry__gt=timezone.now())


class ApiTokenAuthentication(TokenAuthentication):
    """DRF's token header, knox's hashed tokens, Vigie's rules (expiry, active account, second factor)."""

    def authenticate_credentials(self, key):
        user = self.holder(key)
        if user is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, None

    def holder(self, key: str):
        """The user of the usable token with this key, or None."""
        token = usable_tokens().select_related("user").filter(digest=token_digest(key)).first()
        return token.user if token else None
