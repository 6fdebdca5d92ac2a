"""Session hygiene for a clinic: idle sign-out and enforced two-factor for staff."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from remission.accounts import selectors

IDLE_SESSION_KEY = "remission_last_activity"
# Background requests (HTMX polling of a live board) must not keep an idle session alive.
BACKGROUND_HEADER = "X-Remission-Background"


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(IDLE_SESSION_KEY)
            minutes = selectors.idle_timeout_minutes(user)
            request.idle_timeout_minutes = minutes  # type: ignore[attr-defined]  # for the page
            limit = minutes * 60
            if last is not None and now - float(last) > limit:
                logout(request)
                messages.info(request, "You were signed out after a period of inactivity.")
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = reverse(settings.LOGIN_URL)
                    return response
                return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if not request.headers.get(BACKGROUND_HEADER):
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


_OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password-reset/", "/healthz")


class TwoFactorRequiredMiddleware:
    """A signed-in user with an authenticator must enter a code before anything else; staff
    of a clinic that requires two-factor must set one up first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        path = request.path
        if path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        verify_url = reverse("accounts:two_factor_verify")
        setup_url = reverse("accounts:two_factor_setup")
        if selectors.has_confirmed_device(user):
            if path != verify_url:
                return _redirect(request, verify_url)
        elif selectors.two_factor_required(user) and path != setup_url:
            return _redirect(request, setup_url)
        return self.get_response(request)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    if request.path.startswith("/api/"):
        return HttpResponse("Two-factor verification required.", status=401)
    return HttpResponseRedirect(url)
