"""Intake and eligibility, courses and scheduling, the clinic calendar."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from remission.accounts.decorators import clinic_member
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.clinical.protocols import all_protocols
from remission.forms import add_service_errors
from remission.patients import selectors as patient_selectors
from remission.scheduling import services as scheduling
from remission.treatment import selectors, services
from remission.treatment.forms import (
    AddendumForm,
    CourseForm,
    IntakeForm,
    PhaseForm,
    ReevaluationForm,
    SignEligibilityForm,
    medication_formset,
    unchecked,
)
from remission.treatment.models import TreatmentCourse

BASELINE_SCALES = ("phq9", "gad7", "qids-sr16", "madrs", "pcl5", "pain-nrs", "suicide-screen")


@clinic_member
def overview(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    data = selectors.treatment_overview(membership=membership, patient_id=patient_id)
    return render(
        request,
        "treatment/overview.html",
        {"o": data, "patient": data.patient, "baseline_scales": BASELINE_SCALES},
    )


@clinic_member
@require_http_methods(["GET", "POST"])
def intake_new(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_for_form(
        membership=membership, patient_id=patient_id, capability=Capability.RUN_INTAKE
    )
    initial = {"sex": patient.sex_at_birth if patient.sex_at_birth in ("female", "male") else None}
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_row" in data
    form = IntakeForm(data, initial=initial)
    formset = medication_formset(data, add_row=adding)
    if data is not None and not adding and form.is_valid() & formset.is_valid():
        try:
            intake = services.record_intake(
                membership=membership,
                patient=patient,
                answers=form.answers(formset.answers()),
                notes=form.cleaned_data.get("notes", ""),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Intake recorded; the eligibility record is ready to sign.")
            return redirect(
                "treatment:intake", clinic_slug=membership.clinic.slug, intake_id=intake.pk
            )
    if adding:  # adding a row is not a submission: keep what was typed, show no errors yet
        unchecked(form, *formset.forms)
    return render(
        request,
        "treatment/intake_form.html",
        {"form": form, "formset": formset, "patient": patient},
    )


@clinic_member
def intake_detail(request: HttpRequest, membership: Membership, intake_id: str) -> HttpResponse:
    intake = selectors.get_intake(membership=membership, intake_id=intake_id)
    signature = getattr(intake, "signature", None)
    return render(
        request,
        "treatment/intake_detail.html",
        {
            "intake": intake,
            "patient": intake.patient,
            "signature": signature,
            "sign_form": SignEligibilityForm(),
            "addendum_form": AddendumForm(),
            "addenda": intake.addenda.select_related("recorded_by"),
        },
    )


@clinic_member
@require_POST
def intake_sign(request: HttpRequest, membership: Membership, intake_id: str) -> HttpResponse:
    intake = selectors.get_intake(membership=membership, intake_id=intake_id)
    form = SignEligibilityForm(request.POST)
    if form.is_valid():
        try:
            services.sign_eligibility(membership=membership, intake=intake, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Eligibility signed and locked.")
            return redirect(
                "treatment:intake", clinic_slug=membership.clinic.slug, intake_id=intake.pk
            )
    return render(
        request,
        "treatment/intake_detail.html",
        {
            "intake": intake,
            "patient": intake.patient,
            "signature": None,
            "sign_form": form,
            "addendum_form": AddendumForm(),
            "addenda": intake.addenda.all(),
        },
        status=400,
    )


@clinic_member
@require_POST
def intake_addendum(request: HttpRequest, membership: Membership, intake_id: str) -> HttpResponse:
    intake = selectors.get_intake(membership=membership, intake_id=intake_id)
    form = AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.add_addendum(
                membership=membership, patient=intake.patient, intake=intake, **form.cleaned_data
            )
            messages.success(request, "Addendum added.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "An addendum needs a reason and a text.")
    return redirect("treatment:intake", clinic_slug=membership.clinic.slug, intake_id=intake.pk)


@clinic_member
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, membership: Membership, patient_id: str) -> HttpResponse:
    patient = patient_selectors.patient_for_form(
        membership=membership, patient_id=patient_id, capability=Capability.MANAGE_COURSES
    )
    form = CourseForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.start_course(
                membership=membership, patient=patient, data=form.cleaned_data
            )
            if membership.can(Capability.MANAGE_SCHEDULE):
                schedule = scheduling.schedule_course(
                    membership=membership,
                    course=course,
                    preferred_time=form.cleaned_data.get("preferred_time"),
                )
                for move in schedule.moves:
                    messages.info(request, move.explanation)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Course started and its sessions booked.")
            return redirect(
                "treatment:course", clinic_slug=membership.clinic.slug, course_id=course.pk
            )
    esketamine = selectors.esketamine_planning(
        patient,
        on=timezone.localdate(timezone=membership.clinic.tzinfo),
        overrides=membership.clinic.clinical_overrides,
    )
    return render(
        request,
        "treatment/course_form.html",
        {"form": form, "patient": patient, "protocols": all_protocols(), "esketamine": esketamine},
    )


@clinic_member
def reevaluations(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    courses = selectors.reevaluations_due(membership=membership, today=today)
    return render(
        request,
        "treatment/reevaluations.html",
        {
            "courses": courses,
            "today": today,
            "notice_days": selectors.REEVALUATION_NOTICE_DAYS,
        },
    )


@clinic_member
def courses(request: HttpRequest, membership: Membership) -> HttpResponse:
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    flagged_only = request.GET.get("induction") == "late"
    rows = selectors.active_courses(
        membership=membership, today=today, induction_flagged_only=flagged_only
    )
    return render(
        request,
        "treatment/courses.html",
        {"rows": rows, "today": today, "flagged_only": flagged_only},
    )


@clinic_member
def course_detail(request: HttpRequest, membership: Membership, course_id: str) -> HttpResponse:
    course = selectors.get_course(membership=membership, course_id=course_id)
    return _course_page(request, course)


def _course_page(
    request: HttpRequest,
    course: TreatmentCourse,
    review_form: ReevaluationForm | None = None,
    status: int = 200,
    phase_form: PhaseForm | None = None,
) -> HttpResponse:
    today = timezone.localdate(timezone=course.clinic.tzinfo)
    return render(
        request,
        "treatment/course_detail.html",
        {
            "course": course,
            "patient": course.patient,
            "sessions": course.sessions.select_related("chair").order_by("scheduled_start"),
            "transitions": course.phases.select_related("by"),
            "reviews": course.reevaluations.select_related("by"),
            "today": today,
            "esketamine": selectors.esketamine_course_view(course, today=today),
            "phase_form": phase_form or PhaseForm(phases=services.next_phases(course)),
            "review_form": review_form or ReevaluationForm(),
        },
        status=status,
    )


@clinic_member
@require_POST
def course_reevaluation(
    request: HttpRequest, membership: Membership, course_id: str
) -> HttpResponse:
    course = selectors.get_course(
        membership=membership, course_id=course_id, capability=Capability.MANAGE_COURSES
    )
    form = ReevaluationForm(request.POST)
    if form.is_valid():
        try:
            services.record_reevaluation(membership=membership, course=course, **form.cleaned_data)
            messages.success(request, "Re-evaluation recorded.")
            return redirect(
                "treatment:course", clinic_slug=membership.clinic.slug, course_id=course.pk
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
    return _course_page(request, course, review_form=form, status=400)


@clinic_member
@require_POST
def course_phase(request: HttpRequest, membership: Membership, course_id: str) -> HttpResponse:
    course = selectors.get_course(
        membership=membership, course_id=course_id, capability=Capability.MANAGE_COURSES
    )
    form = PhaseForm(request.POST, phases=services.next_phases(course))
    if form.is_valid():
        try:
            services.change_phase(membership=membership, course=course, **form.cleaned_data)
            messages.success(request, "Phase changed.")
            return redirect(
                "treatment:course", clinic_slug=membership.clinic.slug, course_id=course.pk
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _course_page(request, course, phase_form=form, status=400)
