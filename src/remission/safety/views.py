"""Safety escalation screens: the open worklist, one escalation with its disposition form, and a
patient's history. Each view validates, calls one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.forms import add_service_errors
from remission.safety import selectors, services
from remission.safety.forms import CloseForm


@clinic_member
def open_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    rows = selectors.open_escalations(membership=membership)
    return render(request, "safety/open.html", {"rows": rows})


@clinic_member
@require_http_methods(["GET", "POST"])
def escalation(request: HttpRequest, membership: Membership, escalation_id: str) -> HttpResponse:
    item = selectors.get_escalation(membership=membership, escalation_id=escalation_id)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close(
                membership=membership,
                escalation=item,
                disposition=form.cleaned_data["disposition"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Escalation closed.")
            if item.session_id:
                return redirect("chairside:session", membership.clinic.slug, item.session_id)
            return redirect("safety:escalation", membership.clinic.slug, item.pk)
    here = reverse("safety:escalation", args=[membership.clinic.slug, item.pk])
    screen_url = reverse(
        "assessments:entry", args=[membership.clinic.slug, item.patient_id, "suicide-screen"]
    )
    return render(
        request,
        "safety/escalation.html",
        {
            "e": item,
            "form": form,
            "screen_url": f"{screen_url}?context=follow_up&next={here}",
            "can_close": membership.can(Capability.CLOSE_ESCALATIONS),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@clinic_member
def patient_history(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    patient, rows = selectors.patient_escalations(membership=membership, patient_id=patient_id)
    return render(request, "safety/patient.html", {"patient": patient, "rows": rows})
