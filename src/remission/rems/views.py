"""REMS screens: the submission dashboard, a session's monitoring form (page and PDF),
recording a submission and recording an enrollment."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import actor_label
from remission.forms import add_service_errors
from remission.rems import selectors, services
from remission.rems.forms import EnrollmentForm, MonitoringHcpForm, SubmissionForm
from remission.rems.forms_data import MonitoringFormData
from remission.rems.pdf import monitoring_form_pdf, pdf_filename
from remission.scheduling.models import TreatmentSession


@clinic_member
def dashboard(request: HttpRequest, membership: Membership) -> HttpResponse:
    board = selectors.rems_dashboard(
        membership=membership, today=timezone.localdate(), page_numbers=request.GET
    )
    form = EnrollmentForm(
        initial={"enrolled_on": timezone.localdate()},
        staff=selectors.enrollment_staff(membership=membership),
    )
    return render(request, "rems/dashboard.html", {"board": board, "enroll_form": form})


@clinic_member
@require_http_methods(["GET", "POST"])
def enrollment_create(request: HttpRequest, membership: Membership) -> HttpResponse:
    staff = selectors.enrollment_staff(membership=membership)
    patient = None
    if request.GET.get("patient"):
        patient = selectors.patient_for_enrollment(
            membership=membership, patient_id=request.GET["patient"]
        )
    initial = {"enrolled_on": timezone.localdate(), "mrn": patient.mrn if patient else ""}
    form = EnrollmentForm(
        request.POST or None,
        initial=initial,
        staff=staff,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patient = selectors.patient_for_enrollment(membership=membership, mrn=data["mrn"])
        except Http404:
            form.add_error("mrn", f"No patient with MRN {data['mrn']} in this clinic.")
        else:
            try:
                enrollment = services.record_enrollment(
                    membership=membership,
                    patient=patient,
                    enrolled_on=data["enrolled_on"],
                    rems_patient_id=data["rems_patient_id"],
                    enrolled_by=data["enrolled_by"],
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"{patient.display_name}: REMS enrollment of "
                    f"{enrollment.enrolled_on:%Y-%m-%d} recorded.",
                )
                return redirect(
                    reverse("rems:dashboard", args=[membership.clinic.slug]) + "#enrollments"
                )
    history = (
        selectors.patient_enrollments(membership=membership, patient=patient) if patient else []
    )
    return render(
        request,
        "rems/enrollment_form.html",
        {"form": form, "patient": patient, "history": history},
    )


def _session_page(
    request: HttpRequest,
    membership: Membership,
    session: TreatmentSession,
    data: MonitoringFormData,
    submit_form: SubmissionForm | None = None,
) -> HttpResponse:
    hcps = selectors.monitoring_hcps(membership=membership)
    form_status = selectors.form_status(
        membership=membership, session=session, today=timezone.localdate()
    )
    if submit_form is None and membership.can(Capability.MANAGE_REMS):
        submit_form = SubmissionForm(
            initial={"submitted_at": timezone.localtime().replace(second=0, microsecond=0)},
            missing=data.missing,
        )
    hcp = request.GET.get("hcp", "")
    return render(
        request,
        "rems/session.html",
        {
            "session": session,
            "patient": session.patient,
            "data": data,
            "status": form_status,
            "hcp": hcp,
            "hcp_form": MonitoringHcpForm(initial={"hcp": hcp or None}, staff=hcps),
            "submit_form": submit_form,
        },
    )


@clinic_member
def session_form(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    session, data = selectors.monitoring_form(
        membership=membership, session_id=session_id, hcp_user_id=request.GET.get("hcp")
    )
    return _session_page(request, membership, session, data)


@clinic_member
def form_pdf(request: HttpRequest, membership: Membership, session_id: str) -> HttpResponse:
    session, data = selectors.monitoring_form(
        membership=membership,
        session_id=session_id,
        hcp_user_id=request.GET.get("hcp"),
        action=AuditAction.PDF,
    )
    document = monitoring_form_pdf(
        data,
        clinic=membership.clinic,
        mrn=session.patient.mrn,
        generated_at=timezone.now(),
        generated_by=actor_label(membership.user),
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{pdf_filename(data, session.patient.mrn)}"'
    )
    response["Cache-Control"] = "no-store"
    return response


@clinic_member
@require_POST
def submission_create(
    request: HttpRequest, membership: Membership, session_id: str
) -> HttpResponse:
    session, data = selectors.monitoring_form(
        membership=membership, session_id=session_id, capability=Capability.MANAGE_REMS
    )
    form = SubmissionForm(request.POST, missing=data.missing)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_submission(
                membership=membership,
                session=session,
                submitted_at=d["submitted_at"],
                method=d["method"],
                confirmation_number=d["confirmation_number"],
                note=d["note"],
                acknowledge_missing=bool(d.get("acknowledge_missing")),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Monitoring form of {session.patient.display_name} "
                f"({data.treatment_date:%Y-%m-%d}) recorded as sent.",
            )
            return redirect("rems:dashboard", clinic_slug=membership.clinic.slug)
    return _session_page(request, membership, session, data, submit_form=form)
