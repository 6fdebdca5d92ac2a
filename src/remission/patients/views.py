"""Patient register screens: list and search, chart, create/edit forms, chart entries."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.forms import add_service_errors
from remission.patients import selectors, services
from remission.patients.forms import PatientForm
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS, RecordKind


def _kind(slug: str) -> RecordKind:
    kind = RECORD_KINDS.get(slug)
    if kind is None:
        raise Http404("No such section.")
    return kind


@clinic_member
def patient_list(request: HttpRequest, membership: Membership) -> HttpResponse:
    query = request.GET.get("q", "")
    page = selectors.patient_list(
        membership=membership, query=query, page_number=request.GET.get("page", 1)
    )
    context = {"page": page, "query": query}
    template = "patients/_results.html" if request.htmx else "patients/list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@clinic_member
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    blank = selectors.new_patient(membership=membership)
    form = PatientForm(request.POST or None, instance=blank, clinic=membership.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.register_patient(membership=membership, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.display_name} is registered.")
            return redirect(
                "patients:chart", clinic_slug=membership.clinic.slug, patient_id=patient.pk
            )
    return render(request, "patients/patient_form.html", {"form": form, "patient": None})


@clinic_member
def patient_chart(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    chart = selectors.patient_chart(membership=membership, patient_id=patient_id)
    return render(
        request,
        "patients/chart.html",
        {"chart": chart, "patient": chart.patient, "kinds": RECORD_KINDS},
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    patient = selectors.patient_for_form(
        membership=membership, patient_id=patient_id, capability=Capability.EDIT_DEMOGRAPHICS
    )
    form = PatientForm(request.POST or None, instance=patient, clinic=membership.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patient(membership=membership, patient=patient, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Demographics saved.")
            return redirect(
                "patients:chart", clinic_slug=membership.clinic.slug, patient_id=patient.pk
            )
    return render(request, "patients/patient_form.html", {"form": form, "patient": patient})


@clinic_member
@require_http_methods(["GET", "POST"])
def record_create(
    request: HttpRequest, membership: Membership, patient_id: str, kind_slug: str
) -> HttpResponse:
    kind = _kind(kind_slug)
    patient = selectors.patient_for_form(
        membership=membership, patient_id=patient_id, capability=kind.edit_capability
    )
    form = kind.form(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_record(
                membership=membership, patient=patient, kind=kind, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added the {kind.singular}.")
            return _back_to_chart(membership, patient.pk, kind)
    return render(
        request,
        "patients/record_form.html",
        {"form": form, "patient": patient, "kind": kind, "record": None},
    )


def _record_to_change(
    membership: Membership, patient_id: str, kind_slug: str, record_id: str
) -> tuple[RecordKind, Patient, Any]:
    """The chart entry to edit or delete, for a member who may change entries of its kind."""
    kind = _kind(kind_slug)
    patient = selectors.get_patient(
        membership=membership, patient_id=patient_id, capability=kind.edit_capability
    )
    record = selectors.patient_record(
        membership=membership,
        patient=patient,
        kind=kind,
        record_id=record_id,
        capability=kind.edit_capability,
    )
    return kind, patient, record


@clinic_member
@require_http_methods(["GET", "POST"])
def record_edit(
    request: HttpRequest, membership: Membership, patient_id: str, kind_slug: str, record_id: str
) -> HttpResponse:
    kind, patient, record = _record_to_change(membership, patient_id, kind_slug, record_id)
    form = kind.form(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(
                membership=membership,
                patient=patient,
                kind=kind,
                record=record,
                data=form.cleaned_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved the {kind.singular}.")
            return _back_to_chart(membership, patient.pk, kind)
    return render(
        request,
        "patients/record_form.html",
        {"form": form, "patient": patient, "kind": kind, "record": record},
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def record_delete(
    request: HttpRequest, membership: Membership, patient_id: str, kind_slug: str, record_id: str
) -> HttpResponse:
    kind, patient, record = _record_to_change(membership, patient_id, kind_slug, record_id)
    if request.method == "POST":
        services.delete_record(membership=membership, patient=patient, kind=kind, record=record)
        messages.success(
            request, f"Deleted the {kind.singular}. Its last version stays in the audit trail."
        )
        return _back_to_chart(membership, patient.pk, kind)
    return render(
        request, "patients/record_delete.html", {"patient": patient, "kind": kind, "record": record}
    )


@clinic_member
def consent_file(
    request: HttpRequest, membership: Membership, patient_id: str, record_id: str
) -> HttpResponseBase:
    kind = RECORD_KINDS["consents"]
    patient = selectors.get_patient(
        membership=membership, patient_id=patient_id, capability=kind.view_capability
    )
    consent = selectors.patient_record(
        membership=membership,
        patient=patient,
        kind=kind,
        record_id=record_id,
        capability=kind.view_capability,
    )
    if not consent.file:
        raise Http404("This consent has no file.")
    return FileResponse(
        consent.file.open("rb"), as_attachment=True, filename=consent.file.name.rsplit("/", 1)[-1]
    )


@clinic_member
def patient_audit_log(
    request: HttpRequest, membership: Membership, patient_id: str
) -> HttpResponse:
    patient, page = selectors.patient_audit_trail(
        membership=membership,
        patient_id=patient_id,
        before=request.GET.get("before"),
        include_lists=request.GET.get("lists") == "1",
    )
    return render(request, "patients/audit_log.html", {"patient": patient, "page": page})


@clinic_member
def patient_export(request: HttpRequest, membership: Membership) -> HttpResponse:
    patients = selectors.patients_for_export(membership=membership)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{membership.clinic.slug}-patients.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "mrn",
            "legal_name",
            "preferred_name",
            "date_of_birth",
            "sex_at_birth",
            "phone",
            "email",
            "diagnoses",
        ]
    )
    for p in patients:
        writer.writerow(
            [
                p.mrn,
                p.legal_name,
                p.preferred_name,
                p.date_of_birth.isoformat(),
                p.sex_at_birth,
                p.phone,
                p.email,
                "; ".join(d.code for d in p.diagnoses.all()),
            ]
        )
    return response


def _back_to_chart(membership: Membership, patient_id: Any, kind: RecordKind) -> HttpResponse:
    url = reverse("patients:chart", args=[membership.clinic.slug, patient_id])
    return redirect(f"{url}#{kind.slug}")
