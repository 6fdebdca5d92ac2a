"""View decorator that resolves the acting member of the clinic named in the URL."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from remission.accounts.access import membership_for
from remission.accounts.models import Membership

P = ParamSpec("P")
ClinicView = Callable[Concatenate[HttpRequest, Membership, P], HttpResponseBase]

LAST_CLINIC_SESSION_KEY = "remission_last_clinic"


def clinic_member(view: ClinicView[P]) -> Callable[..., HttpResponseBase]:
    """Pass the user's membership of ``clinic_slug`` (404 when there is none)."""

    @login_required
    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, clinic_slug: str, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        membership = membership_for(request.user, clinic_slug)
        request.session[LAST_CLINIC_SESSION_KEY] = clinic_slug
        request.membership = membership  # type: ignore[attr-defined]
        # Show every time in the clinic's own time zone (stored in UTC).
        with timezone.override(membership.clinic.tzinfo):
            return view(request, membership, *args, **kwargs)

    return wrapper
