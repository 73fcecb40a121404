"""Session expiry after inactivity, and the second-factor gate in front of every page (admin included)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.selectors import has_second_factor, second_factor_expected

LAST_ACTIVITY_KEY = "vigie_last_activity"
# Pages reachable before the second factor: the factor itself, signing out, health checks, static files.
EXEMPT_URL_NAMES = frozenset({
    "mfa-verify", "mfa-setup", "logout", "login", "healthz", "oidc_authentication_init", "oidc_authentication_callback",
})


class IdleTimeoutMiddleware:
    """Signs out a session left idle longer than SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "Votre session a expiré après une période d'inactivité. Reconnectez-vous.")
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in user who must use a second factor sees nothing else until it is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or self._exempt(request):
            return None
        if not second_factor_expected(user):
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": "Double authentification requise."}, status=403)
        target = "mfa-verify" if has_second_factor(user) else "mfa-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _exempt(request) -> bool:
        match = request.resolver_match
        name = match.url_name if match else None
        return name in EXEMPT_URL_NAMES or request.path_info.startswith(settings.STATIC_URL)
