"""Entering a rating scale for a patient (intake, follow-up, before or after a session)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments import services
from remission.assessments.forms import scale_form_class
from remission.assessments.models import AssessmentContext
from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from remission.patients import selectors as patient_selectors


@clinic_member
@require_http_methods(["GET", "POST"])
def scale_entry(
    request: HttpRequest, membership: Membership, patient_id: str, instrument_id: str
) -> HttpResponse:
    try:
        instrument = instruments.get(instrument_id)
    except ClinicalInputError:
        raise Http404("No such scale.") from None
    context_value = request.GET.get("context") or request.POST.get("context") or "follow_up"
    if context_value not in AssessmentContext.values:
        raise Http404("No such context.")
    patient = patient_selectors.patient_for_form(
        membership=membership, patient_id=patient_id, capability=Capability.VIEW_CLINICAL
    )
    form = scale_form_class(instrument)(request.POST or None)
    back = request.GET.get("next") or request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST" and form.is_valid():
        try:
            administration = services.record_scale(
                membership=membership,
                patient=patient,
                instrument_id=instrument.id,
                answers=form.answers(),  # type: ignore[attr-defined]
                administered_at=timezone.now(),
                context=AssessmentContext(context_value),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            total = (
                f"{administration.total}/{administration.maximum}"
                if administration.total is not None
                else f"incomplete ({administration.invalid_reason})"
            )
            messages.success(request, f"{instrument.short_name} recorded: {total}.")
            for flag in administration.flags:
                messages.error(request, f"Safety: {flag['message']}")
            return redirect(
                back or reverse("patients:chart", args=[membership.clinic.slug, patient.pk])
            )
    return render(
        request,
        "assessments/scale_form.html",
        {
            "form": form,
            "instrument": instrument,
            "patient": patient,
            "context_value": context_value,
            "next": back,
        },
    )
