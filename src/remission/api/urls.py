"""The JSON API (django-ninja): the same selectors and services as the screens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import SessionAuth

from remission.accounts.selectors import has_confirmed_device, two_factor_required
from remission.api import patients


class VerifiedSessionAuth(SessionAuth):
    """The browser session, once two-factor is satisfied (if the user has a device)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        verified = request.user.is_verified()  # type: ignore[union-attr]
        if not verified and (has_confirmed_device(user) or two_factor_required(user)):
            return None
        return user


api = NinjaAPI(
    title="Remission API",
    version="1",
    description="Patient register of a ketamine-therapy clinic. Every read is audited.",
    auth=VerifiedSessionAuth(),
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)


api.add_router("/", patients.router)
