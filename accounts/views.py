"""Account security pages: enrol an authenticator, verify a code, manage recovery codes and API tokens."""

import base64
from binascii import unhexlify

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts.forms import TokenForm
from accounts.selectors import (
    api_token_lifetime,
    api_tokens_of,
    has_second_factor,
    recovery_codes_left,
    second_factor_required,
    self_enrolment_allowed,
    session_verified,
)
from accounts.services import (
    api_token_issue,
    api_tokens_revoke,
    enrolment_link_get,
    recovery_codes_generate,
    second_factor_check,
    second_factor_disable,
    totp_device_confirm,
    totp_device_start,
)
from config.errors import ApplicationError


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
def mfa_verify(request):
    if not has_second_factor(request.user):
        return redirect("mfa-setup")
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device = second_factor_check(user=request.user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", str(error))
        else:
            otp_login(request, device)
            return redirect(_next_url(request))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def mfa_setup(request):
    if has_second_factor(request.user):
        return redirect("account-security")
    if not self_enrolment_allowed(request.user):
        return render(request, "accounts/mfa_link_required.html", {"required": second_factor_required(request.user)})
    return _enrolment(request, link=None)


@login_required
def mfa_enrol_by_link(request, token: str):
    """The admin's one-time enrolment link: only the account it was issued to may use it, once, before it expires."""
    try:
        link = enrolment_link_get(user=request.user, token=token)
    except ApplicationError as error:
        return render(request, "accounts/mfa_link_invalid.html", {"reason": str(error)}, status=404)
    if has_second_factor(request.user):
        return redirect("account-security")
    return _enrolment(request, link=link)


def _enrolment(request, *, link):
    """Show the authenticator's QR code, then confirm it with a first code (the setup page, or a link's)."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = totp_device_confirm(user=request.user, token=form.cleaned_data["token"], link=link)
        except ApplicationError as error:
            form.add_error("token", str(error))
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    device = totp_device_start(user=request.user, link=link)
    context = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#161616"),
        "secret": base64.b32encode(unhexlify(device.key)).decode(),
        "required": second_factor_required(request.user),
    }
    return render(request, "accounts/mfa_setup.html", context)


@login_required
def account_security(request):
    context = {
        "enabled": has_second_factor(request.user),
        "required": second_factor_required(request.user),
        "codes_left": recovery_codes_left(user=request.user),
    }
    return render(request, "accounts/security.html", context)


@require_POST
@login_required
def recovery_codes_renew(request):
    if not has_second_factor(request.user):
        return redirect("mfa-setup")
    codes = recovery_codes_generate(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})


@require_POST
@login_required
def mfa_disable(request):
    try:
        second_factor_disable(user=request.user, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "La double authentification est désactivée.")
    return redirect("account-security")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request):
    """The user's API tokens; POST issues a new one, whose key this response shows once."""
    issued = None
    if request.method == "POST":
        try:
            issued = api_token_issue(user=request.user)[1]
        except ApplicationError as error:
            messages.error(request, str(error))
    context = {
        "tokens": api_tokens_of(user=request.user),
        "issued": issued,
        "may_issue": session_verified(request.user) and has_second_factor(request.user),
        "has_second_factor": has_second_factor(request.user),
        "lifetime_days": api_token_lifetime(request.user).days,
    }
    return render(request, "accounts/api_tokens.html", context)


@require_POST
@login_required
def api_token_revoke(request, token_key: str):
    tokens = api_tokens_of(user=request.user).filter(token_key=token_key)
    if not api_tokens_revoke(tokens=tokens, actor=request.user):
        raise Http404
    messages.success(request, "Le jeton est révoqué : il ne donne plus accès à l'API.")
    return redirect("api-tokens")
