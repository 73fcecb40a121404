"""Second-factor pages: enrol an authenticator, verify a code, manage recovery codes."""

import base64
from binascii import unhexlify

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from accounts.forms import TokenForm
from accounts.selectors import has_second_factor, recovery_codes_left, second_factor_required
from accounts.services import (
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
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = totp_device_confirm(user=request.user, token=form.cleaned_data["token"])
        except ApplicationError as error:
            form.add_error("token", str(error))
        else:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    device = totp_device_start(user=request.user)
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
