"""Home, clinic switcher, today's dashboard, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from remission.accounts.access import active_memberships
from remission.accounts.decorators import LAST_CLINIC_SESSION_KEY, clinic_member
from remission.accounts.models import Membership
from remission.treatment.selectors import REEVALUATION_NOTICE_DAYS
from remission.web import selectors
from remission.web.worklists import role_home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = active_memberships(request.user)
    if not memberships:
        return render(request, "web/no_clinic.html", status=200)
    last = request.session.get(LAST_CLINIC_SESSION_KEY)
    chosen = next((m for m in memberships if m.clinic.slug == last), None)
    if chosen is None and len(memberships) > 1:
        return redirect("web:clinics")
    chosen = chosen or memberships[0]
    return redirect("web:dashboard", clinic_slug=chosen.clinic.slug)


@login_required
def clinics(request: HttpRequest) -> HttpResponse:
    return render(request, "web/clinics.html", {"choices": active_memberships(request.user)})


@clinic_member
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    return render(
        request,
        "web/dashboard.html",
        {
            "today": today,
            "summary": selectors.dashboard_summary(membership=membership),
            "home": role_home(membership=membership, now=timezone.now()),
            "reevaluation_notice_days": REEVALUATION_NOTICE_DAYS,
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
