"""Errors raised outside the API views (no matching route, crash) still answer JSON under /api/, as the schema
says; the intranet's pages keep their HTML error pages."""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "Non trouvé."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "Erreur interne du serveur."}, status=500)
    return defaults.server_error(request)
