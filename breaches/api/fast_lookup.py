"""The lookup API's fast lane: `POST /api/v1/lookups/` with `Authorization: Token …` and a JSON body.

Fund software calls the lookup for every risky request in every fund, so it must answer in a few milliseconds on
a modest server. Django's full middleware stack and DRF's dispatch cost more CPU than the lookup itself; this
middleware, placed just after SecurityMiddleware, answers those requests itself. It is the same endpoint with
the same rules, only a shorter road: the same token authentication, throttle, input serializer, service
(`person_lookup`) and error handler as `LookupView`, which still serves every other request to that URL
(session cookies, form bodies, other methods). tests/breaches/test_fast_lookup.py holds the two to the same
answers.
"""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from rest_framework import exceptions

from breaches.api.lookup import lookup_body
from breaches.api.serializers import LookupInputSerializer
from breaches.lookup_access import lookup_caller
from breaches.throttling import LookupThrottle
from config.api import exception_handler
from config.api.authentication import TokenAuthentication

LOOKUP_INPUT = LookupInputSerializer()
JSON_OPTIONS = {"ensure_ascii": False, "separators": (",", ":")}  # as DRF's JSONRenderer writes it


class LookupFastLane:
    def __init__(self, get_response):
        self.get_response = get_response
        self._path = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._path is None:
            self._path = reverse("api:lookup")
        if not self._takes(request):
            return self.get_response(request)
        try:
            return _answer(200, _lookup(request))
        except Exception as exc:  # noqa: BLE001 - the API's one exception handler decides, as in DRF
            return _error(request, exc)

    def _takes(self, request: HttpRequest) -> bool:
        """Token requests only; a request carrying a session cookie goes to DRF, which tries the session first."""
        return (request.method == "POST" and request.path_info == self._path
                and request.META.get("HTTP_AUTHORIZATION", "")[:6].lower() == "token "
                and request.content_type == "application/json"
                and settings.SESSION_COOKIE_NAME not in request.COOKIES)


class _LookupCaller(TokenAuthentication):
    """DRF's token rules and messages; the user comes with their lookup access and their recent lookups (the
    throttle's count) attached: one query."""

    def __init__(self, throttle: LookupThrottle):
        self.throttle = throttle

    def user_for(self, key: str):
        return lookup_caller(token=key, since=self.throttle.window_start())


def _lookup(request: HttpRequest) -> dict:
    request.get_host()  # ALLOWED_HOSTS, which CommonMiddleware checks on the other road
    throttle = LookupThrottle()
    user, _token = _LookupCaller(throttle).authenticate(request)
    request.user = user
    if not throttle.allow_request(request, None):
        raise exceptions.Throttled(throttle.wait())
    try:
        payload = json.loads(request.body)
    except ValueError as error:
        raise exceptions.ParseError(f"JSON parse error - {error}")
    if not isinstance(payload, dict):  # refused with DRF's very words, through a full serializer
        LookupInputSerializer(data=payload).is_valid(raise_exception=True)
    # The serializer's own validation, on one instance bound once (a new one per request deep-copies its fields).
    return lookup_body(user=user, data=LOOKUP_INPUT.run_validation(payload), request=request)


def _error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, exceptions.AuthenticationFailed):
        # DRF answers 403, not 401, when the first authentication class (the session) sends no challenge.
        exc = exceptions.PermissionDenied(exc.detail)
    response = exception_handler(exc, {"request": request})
    if response is None:
        raise exc
    answer = _answer(response.status_code, response.data)
    for name, value in response.items():
        if name.lower() != "content-type":  # e.g. Retry-After
            answer[name] = value
    return answer


def _answer(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params=JSON_OPTIONS)
    response["Content-Length"] = str(len(response.content))  # CommonMiddleware's job, which this lane skips
    return response
