"""Single sign-on through the network's directory (OpenID Connect). Off unless OIDC_ENABLED is set."""

import logging

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.directory import directory_user_sync

logger = logging.getLogger(__name__)


class DirectoryBackend(OIDCAuthenticationBackend):
    """Users are matched on the directory's username claim; their roles follow their directory groups."""

    def authenticate(self, request, **kwargs):
        """A provider that refuses the code, or a token that fails its checks, is a failed sign-in, not a crash."""
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, SuspiciousOperation) as error:
            logger.warning("directory sign-in refused: %s", type(error).__name__)
            return None

    def verify_claims(self, claims) -> bool:
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(username=claims[settings.OIDC_USERNAME_CLAIM])

    def create_user(self, claims):
        return directory_user_sync(claims=claims)

    def update_user(self, user, claims):
        return directory_user_sync(claims=claims)
