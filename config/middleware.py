"""Project middlewares: hostile query strings are refused before any view, domain errors that no view handled
become Django's own responses, and django-csp's header is built once for plain responses."""

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse

from config.api.handlers import not_found
from config.errors import NotFound

NUL_REFUSED = "Requête refusée : l'adresse ou un paramètre contient un caractère nul."


class QueryStringGuardMiddleware:
    """One check of every query string and path, before any view or filter reads them: a NUL character (%00) is
    a 400. PostgreSQL refuses NUL in text, so a view passing it to a query would otherwise answer 500; forms and
    serializers refuse it in posted fields (Django's and DRF's CharField), this covers what they never see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any("\x00" in key or any("\x00" in value for value in values)
                                               for key, values in request.GET.lists()):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class DomainErrorMiddleware:
    """A service's NotFound becomes Django's 404 (the 404 page; JSON under /api/), as Http404 would: services stay
    free of HTTP, pages keep one 404. API views never get here: their exception handler answers first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        return None


class DebugNotFoundMiddleware:
    """With DEBUG on (the demo), a page that is not found shows the French 404 page, as in production, rather than
    Django's technical page listing the URL patterns. The API keeps its JSON 404; DEBUG off changes nothing (Django
    already uses handler404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return not_found(request)
        return response


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the header of a plain response built once rather than on every response.

    Most responses (every API answer, the NIR lookup's above all) use no nonce and no per-view change of the
    policy, so their header is always the same string: it is built by django-csp itself, kept, and rebuilt when
    the settings change. Anything else (a page that used its nonce, a view that changed the policy, exemptions,
    a report-only policy) goes through django-csp's own code."""

    _plain: tuple[object, str] | None = None

    def process_response(self, request, response):
        policy = settings.CONTENT_SECURITY_POLICY
        if not self._is_plain(request, response, policy):
            return super().process_response(request, response)
        if self._plain is None or self._plain[0] is not policy:
            CSPMiddleware._plain = (policy, csp.utils.build_policy())
        response[csp.constants.HEADER] = self._plain[1]
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _is_plain(request, response, policy) -> bool:
        overrides = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_exempt_ro")
        return (getattr(request, "_csp_nonce", None) is None and not any(hasattr(response, o) for o in overrides)
                and csp.constants.HEADER not in response and not policy.get("EXCLUDE_URL_PREFIXES")
                and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
                and not (settings.DEBUG and response.status_code in (404, 500)))
