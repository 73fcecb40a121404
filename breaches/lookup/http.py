"""The lookup's HTTP adapter: `POST /api/v1/lookups/` (DRF) and what the page shares with it (the caller read once
per request, the throttle, the client's address).

A token request reads who is asking, their access to the register and their recent lookups in one statement
(`LookupTokenAuthentication`); a session request reads the same in one statement at the throttle. The view then
looks the person up and writes the access-log row in one more."""

from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from breaches.api.serializers import LookupInputSerializer, LookupResultSerializer
from breaches.lookup import throttle
from breaches.lookup.access import Caller, caller_by_token, caller_of
from breaches.lookup.history import lookup_history
from breaches.lookup.service import person_lookup
from config.tokens import ApiTokenAuthentication

CALLER_ATTRIBUTE = "vigie_lookup_caller"


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _http_request(request):
    return getattr(request, "_request", request)  # DRF's Request wraps Django's


def request_caller(request) -> Caller:
    """The caller of this request, read once (by the token authentication, or here for a signed-in user)."""
    http_request = _http_request(request)
    caller = getattr(http_request, CALLER_ATTRIBUTE, None)
    if caller is None:
        caller = caller_of(request.user, since=throttle.window_start())
        setattr(http_request, CALLER_ATTRIBUTE, caller)
    return caller


class LookupTokenAuthentication(ApiTokenAuthentication):
    """The API's token authentication, same rules and messages; the user comes with their access to the register
    and their recent lookups, read in the same statement."""

    def authenticate(self, request):
        self.request = request  # DRF makes an authenticator per request
        return super().authenticate(request)

    def holder(self, key: str):
        caller = caller_by_token(key, since=throttle.window_start())
        if caller is None:
            return None
        setattr(_http_request(self.request), CALLER_ATTRIBUTE, caller)
        return caller.user


class LookupThrottle(BaseThrottle):
    """DRF's throttle interface over the caller's count of recent lookups (see breaches.lookup.throttle)."""

    def allow_request(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return True  # anonymous requests are refused before any lookup, by the permission checks
        self.caller = request_caller(request)
        return throttle.allowed(self.caller)

    def wait(self) -> float:
        return throttle.retry_after(self.caller)


class LookupView(APIView):
    """POST {"nir": "...", "purpose": "...", "history": false}: is this person flagged (and, if asked, what the
    caller's fund already knows of them)? The NIR never travels in a URL."""

    authentication_classes = [SessionAuthentication, LookupTokenAuthentication]
    throttle_classes = [LookupThrottle]
    # Bound once: a serializer made per request deep-copies its fields, which cost more than the lookup's own
    # Python. Validation keeps no state on the instance (run_validation returns or raises).
    input_serializer = LookupInputSerializer()

    @extend_schema(request=LookupInputSerializer, responses=LookupResultSerializer)
    def post(self, request):
        data = self.input_serializer.run_validation(request.data)
        caller = request_caller(request)
        result = person_lookup(caller=caller, nir=data["nir"], purpose=data["purpose"],
                               client_address=client_address(request))
        if not data["history"]:
            return Response(result.as_json())
        return Response({**result.as_json(), "history": lookup_history(digest=result.digest, fund=caller.fund())})
