"""Sign-in, two-factor verification and set-up, sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts import selectors, services
from remission.accounts.forms import SetupForm, TokenForm

SETUP_SESSION_KEY = "remission_totp_setup_device"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.record_sign_in(user=form.get_user(), succeeded=True)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        services.record_sign_in(user=None, succeeded=False, username=form.data.get("username", ""))
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("web:home")


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return HttpResponseRedirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip().replace(" ", "")
        for device in devices_for_user(request.user):
            if device.verify_token(code):
                otp_login(request, device)
                return HttpResponseRedirect(_next_url(request))
        form.add_error("code", "That code is not right. Codes change every 30 seconds.")
    return render(request, "accounts/two_factor_verify.html", {"form": form})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    import segno

    user = request.user
    device = None
    device_id = request.session.get(SETUP_SESSION_KEY)
    if device_id:
        device = TOTPDevice.objects.filter(pk=device_id, user=user, confirmed=False).first()
    if device is None:
        device = services.start_totp_setup(user=user)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.confirm_totp_setup(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            form.add_error("code", exc.messages[0])
        else:
            request.session.pop(SETUP_SESSION_KEY, None)
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    secret_b32 = _base32(device.bin_key)
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_data_uri": qr,
            "secret": " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)),
            "required": selectors.two_factor_required(user),
        },
    )


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.record_sign_out(user=request.user)
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@require_POST
def keepalive(request: HttpRequest) -> HttpResponse:
    """Activity in the page (typing) keeps the session from idling out."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)
