"""Session expiry after inactivity, and the second-factor gate in front of every page (admin included)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from accounts.selectors import has_second_factor, second_factor_expected

LAST_ACTIVITY_KEY = "vigie_last_activity"
ACTIVITY_WRITE_EVERY = 60  # seconds: the session is not rewritten on every request
OTP_CHECK_KEY = "vigie_otp_checked"
# Pages reachable before the second factor: the factor itself, signing out, health checks, static files.
EXEMPT_URL_NAMES = frozenset({
    "mfa-verify", "mfa-setup", "mfa-enrol-link", "logout", "login", "healthz", "favicon",
    "oidc_authentication_init", "oidc_authentication_callback",
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
            if now - last >= ACTIVITY_WRITE_EVERY or LAST_ACTIVITY_KEY not in request.session:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


class VerifiedDevice:
    """Stands for the device that verified this session, while its check is fresh (no query)."""

    def __init__(self, persistent_id: str):
        self.persistent_id = persistent_id


class VerifiedDeviceMiddleware(OTPMiddleware):
    """django-otp's middleware, re-checking the session's device in the database at most every
    OTP_RECHECK_SECONDS instead of on every request (a removed device stops counting within that delay)."""

    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
        if not persistent_id:
            return user
        checked = request.session.get(OTP_CHECK_KEY)
        if checked and checked[:2] == [user.pk, persistent_id] and \
                time.time() - checked[2] < settings.OTP_RECHECK_SECONDS:
            user.otp_device = VerifiedDevice(persistent_id)
            return user
        device = self._finalize_device(request, user, self._device_from_persistent_id(persistent_id))
        user.otp_device = device
        if device is not None:
            request.session[OTP_CHECK_KEY] = [user.pk, persistent_id, time.time()]
        return user


class SecondFactorMiddleware:
    """A signed-in user who must use a second factor sees nothing else until it is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or not second_factor_expected(user):
            return None
        request.vigie_second_factor_pending = True  # the layout shows no menu: every link would lead back here
        if self._exempt(request):
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
