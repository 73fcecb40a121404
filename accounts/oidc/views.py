"""The OIDC routes exist always and answer 404 while single sign-on is off."""

from django.conf import settings
from django.http import Http404
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

_authenticate = OIDCAuthenticationRequestView.as_view()
_callback = OIDCAuthenticationCallbackView.as_view()


def authenticate(request, *args, **kwargs):
    if not settings.OIDC_ENABLED:
        raise Http404
    return _authenticate(request, *args, **kwargs)


def callback(request, *args, **kwargs):
    if not settings.OIDC_ENABLED:
        raise Http404
    return _callback(request, *args, **kwargs)
