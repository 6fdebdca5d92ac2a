"""Intake and eligibility, treatment courses and their phases: authorised, validated, audited.

The clinical arithmetic (eligibility, staging, schedules) is the clinical core's; these
services gather the chart's data for it, store what it returned and who signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.clinical import dosing, esketamine
from remission.clinical import eligibility as el
from remission.clinical.courses import ActiveCourse, concurrent_course_problem
from remission.clinical.demographics import age_years
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import Phase, get_protocol
from remission.clinical.routes import Route, RouteFamily
from remission.clinical.units import body_mass_index
from remission.patients.models import DiagnosisStatus, MeasurementKind, Patient
from remission.scheduling.models import TreatmentSession
from remission.scheduling.services import cancel_course_sessions
from remission.serialization import to_jsonable
from remission.treatment.models import (
    Addendum,
    CoursePhase,
    CourseReevaluation,
    Decision,
    EligibilitySignature,
    Intake,
    PhaseTransition,
    TreatmentCourse,
)
from remission.treatment.selectors import course_label_notices

# The chart records a trial's outcome and adherence in its own words; the staging reads these.
_TRIAL_OUTCOME = {
    "no_response": el.TrialOutcome.NONE,
    "partial_response": el.TrialOutcome.PARTIAL,
    "response": el.TrialOutcome.RESPONSE,
    "remission": el.TrialOutcome.REMISSION,
    "intolerance": el.TrialOutcome.INTOLERANCE,
}
# An unknown adherence is read as poor so an unverified trial never counts toward resistance.
_ADHERENCE = {"good": el.Adherence.GOOD, "partial": el.Adherence.PARTIAL}


def _same_clinic(membership: Membership, patient: Patient) -> None:
    if patient.clinic_id != membership.clinic_id:
        raise ValidationError("This patient belongs to another clinic.")


def build_intake(patient: Patient, answers: Mapping[str, Any], today: dt.date) -> el.Intake:
    """The clinical core's intake: the form's answers plus what the chart already holds."""
    trials = [
        {
            "drug": t.drug,
            "adequate_dose": t.adequate_trial,
            "duration_weeks": t.duration_weeks,
            "adherence": _ADHERENCE.get(t.adherence, el.Adherence.POOR).value,
            "outcome": _TRIAL_OUTCOME[t.outcome].value,
            "current_episode": t.current_episode,
            "augmentation": t.augmentation,
        }
        for t in patient.antidepressant_trials.all()
        if t.outcome in _TRIAL_OUTCOME
    ]
    diagnoses = sorted(
        {
            d.code
            for d in patient.diagnoses.all()
            if d.status in (DiagnosisStatus.ACTIVE, DiagnosisStatus.IN_REMISSION)
        }
    )
    mapping: dict[str, Any] = {
        **answers,
        "age_years": age_years(patient.date_of_birth, today),
        "diagnoses_icd10cm": diagnoses,
        "antidepressant_trials": trials,
    }
    presedation = answers.get("presedation")
    if isinstance(presedation, Mapping):  # the STOP-Bang BMI item is the chart's, not typed in
        bmi = chart_bmi(patient)
        mapping["presedation"] = {
            **presedation,
            "bmi_kg_per_m2": None if bmi is None else float(bmi),
        }
    return el.Intake.from_mapping(mapping)


def chart_bmi(patient: Patient) -> Decimal | None:
    """BMI from the chart's latest weight and height, or ``None`` when either is missing."""
    latest = {
        kind: patient.measurements.filter(kind=kind)
        .order_by("-measured_on", "-recorded_at")
        .first()
        for kind in (MeasurementKind.WEIGHT, MeasurementKind.HEIGHT)
    }
    weight, height = latest[MeasurementKind.WEIGHT], latest[MeasurementKind.HEIGHT]
    if weight is None or height is None:
        return None
    return body_mass_index(weight.value_si, height.value_si)


@transaction.atomic
def record_intake(
    *, membership: Membership, patient: Patient, answers: Mapping[str, Any], notes: str = ""
) -> Intake:
    require(membership, Capability.RUN_INTAKE)
    _same_clinic(membership, patient)
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    try:
        intake = build_intake(patient, answers, today)
        assessment = el.assess_eligibility(intake, overrides=membership.clinic.clinical_overrides)
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    record = Intake(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        answers=to_jsonable(intake),
        assessment=to_jsonable(assessment),
        notes=notes,
    )
    audited_save(record, actor=membership.user, summary="recorded an intake")
    return record


@transaction.atomic
def sign_eligibility(
    *,
    membership: Membership,
    intake: Intake,
    decision: str,
    routes: Sequence[str],
    note: str = "",
) -> EligibilitySignature:
    require(membership, Capability.SIGN_ELIGIBILITY)
    _same_clinic(membership, intake.patient)
    if EligibilitySignature.objects.filter(intake=intake).exists():
        raise ValidationError("This intake is already signed; add an addendum instead.")
    if decision not in Decision.values:
        raise ValidationError(f"Unknown decision {decision!r}.")
    stopped = [
        r
        for r in intake.assessment["routes"]
        if r["status"] == "contraindicated" and r["route"] in routes
    ]
    if decision == Decision.ELIGIBLE and stopped:
        hard = sorted(
            {
                reason["message"]
                for r in stopped
                for reason in r["reasons"]
                if reason["severity"] == "absolute"
            }
        )
        raise ValidationError(
            [
                "A hard stop applies to "
                + ", ".join(Route(r["route"]).label for r in stopped)
                + ": it cannot be signed eligible until resolved (run a new intake then).",
                *hard,
            ]
        )
    signature = EligibilitySignature(
        intake=intake,
        patient=intake.patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        decision=decision,
        routes=list(routes),
        note=note,
    )
    audited_save(signature, actor=membership.user, summary=f"signed eligibility: {decision}")
    return signature


@transaction.atomic
def add_addendum(
    *,
    membership: Membership,
    patient: Patient,
    reason: str,
    text: str,
    intake: Intake | None = None,
    session: TreatmentSession | None = None,
) -> Addendum:
    require(
        membership, Capability.SIGN_SESSIONS if session is not None else Capability.SIGN_ELIGIBILITY
    )
    _same_clinic(membership, patient)
    if not reason.strip() or not text.strip():
        raise ValidationError("An addendum needs a reason and a text.")
    addendum = Addendum(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        intake=intake,
        session=session,
        reason=reason,
        text=text,
    )
    audited_save(addendum, actor=membership.user, summary=f"addendum: {reason}")
    return addendum


def eligible_routes(patient: Patient) -> set[str]:
    """Routes covered by the latest signed 'eligible' decision."""
    latest = EligibilitySignature.objects.filter(patient=patient).order_by("-recorded_at").first()
    if latest is None or latest.decision != Decision.ELIGIBLE:
        return set()
    return set(latest.routes)


@transaction.atomic
def start_course(
    *, membership: Membership, patient: Patient, data: Mapping[str, Any]
) -> TreatmentCourse:
    require(membership, Capability.MANAGE_COURSES)
    _same_clinic(membership, patient)
    try:
        protocol = get_protocol(data["protocol_id"])
    except ClinicalInputError as exc:
        raise ValidationError({"protocol_id": str(exc)}) from None
    needed = protocol.route
    if needed is not None and needed.value not in eligible_routes(patient):
        raise ValidationError(
            f"No signed eligibility covers {needed.value.replace('_', ' ')}: "
            "run an intake and have a prescriber sign it first."
        )
    if protocol.route is Route.ESKETAMINE_NASAL and not membership.clinic.rems_certification_number:
        raise ValidationError(
            "This clinic has no SPRAVATO REMS setting certification number; record it under "
            "Settings before starting an esketamine course."
        )
    indication = _indication(protocol.route, data.get("indication"))
    concurrent_reason = str(data.get("concurrent_reason") or "").strip()
    conflict = concurrent_course_problem(
        protocol.route.family if protocol.route else None,
        _active_courses(patient),
        override_reason=concurrent_reason,
    )
    if conflict:
        raise ValidationError({"concurrent_reason": conflict})
    course = TreatmentCourse(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        protocol_id=protocol.id,
        route=protocol.route.family.value if protocol.route else "none",
        start_date=data["start_date"],
        mg_per_kg=data.get("mg_per_kg") or protocol.dose.mg_per_kg,
        fixed_dose_mg=data.get("fixed_dose_mg") or protocol.dose.fixed_mg,
        indication=indication,
        weight_basis=data.get("weight_basis") or "actual",
        concentration_mg_per_ml=data.get("concentration_mg_per_ml")
        or (Decimal("10") if protocol.route is Route.IV_RACEMIC else None),
        infusion_minutes=data.get("infusion_minutes") or protocol.infusion_min,
        reevaluation_due=data.get("reevaluation_due"),
        concurrent_reason=concurrent_reason,
    )
    review, reviewed = _label_review(
        membership,
        course,
        given_dose=data.get("fixed_dose_mg"),
        acknowledged=bool(data.get("acknowledge_label")),
    )
    problems: dict[str, Any] = dict(review)
    if protocol.route is not None:
        problems |= dosing.course_plan_problems(
            protocol.route,
            mg_per_kg=course.mg_per_kg,
            concentration_mg_per_ml=course.concentration_mg_per_ml,
            infusion_minutes=None
            if course.infusion_minutes is None
            else Decimal(course.infusion_minutes),
            fixed_dose_mg=course.fixed_dose_mg,
            overrides=membership.clinic.clinical_overrides,
        )
    if problems:
        raise ValidationError(problems)
    summary = f"started course {protocol.title}"
    if reviewed:
        summary += "; label review acknowledged: " + ", ".join(reviewed)
    audited_save(course, actor=membership.user, summary=summary)
    phase = (
        CoursePhase.MAINTENANCE
        if protocol.phase.value in {"maintenance", "booster"}
        else CoursePhase.INDUCTION
    )
    _transition(membership, course, phase, "course started")
    return course


def _indication(route: Route | None, given: object) -> str:
    """The course's labelled indication: esketamine only, TRD unless another is chosen."""
    if route is not Route.ESKETAMINE_NASAL:
        if given:
            raise ValidationError({"indication": "Only an esketamine course has an indication."})
        return ""
    try:
        return esketamine.Indication(str(given or esketamine.Indication.TRD)).value
    except ValueError:
        raise ValidationError({"indication": f"Unknown indication {given!r}."}) from None


def _label_review(
    membership: Membership, course: TreatmentCourse, *, given_dose: object, acknowledged: bool
) -> tuple[dict[str, list[str]], list[str]]:
    """An esketamine course's label review (an oral antidepressant for its indication, the
    day-1 dose): the form errors while the prescriber has not acknowledged every reason, and
    the codes acknowledged. A blank dose of an induction takes the label's day-1 dose."""
    if course.route != RouteFamily.ESKETAMINE_NASAL.value:
        return {}, []
    start, notices = course_label_notices(
        patient=course.patient,
        protocol_id=course.protocol_id,
        indication=course.indication,
        fixed_dose_mg=int(str(given_dose)) if given_dose else None,
        start_date=course.start_date,
        overrides=membership.clinic.clinical_overrides,
    )
    if (
        not given_dose
        and start.dose_mg
        and get_protocol(course.protocol_id).phase is Phase.INDUCTION
    ):
        course.fixed_dose_mg = start.dose_mg
    if notices and not acknowledged:
        reasons = [n.message for n in notices]
        return {
            "acknowledge_label": ["Review the esketamine label and tick to go on:", *reasons]
        }, []
    return {}, [n.code for n in notices]


def _active_courses(patient: Patient) -> list[ActiveCourse]:
    return [
        ActiveCourse(
            family=RouteFamily.of_code(course.route),
            title=get_protocol(course.protocol_id).title,
            start_date=course.start_date,
        )
        for course in TreatmentCourse.objects.filter(patient=patient).exclude(
            phase=CoursePhase.DISCONTINUED
        )
    ]


def _transition(
    membership: Membership, course: TreatmentCourse, to_phase: str, reason: str
) -> PhaseTransition:
    transition = PhaseTransition(
        course=course,
        from_phase=course.phase,
        to_phase=to_phase,
        reason=reason,
        at=timezone.now(),
        by=membership.user,
    )
    audited_save(transition, actor=membership.user, summary=f"phase → {to_phase}")
    course.phase = to_phase
    audited_save(course, actor=membership.user, summary=f"phase → {to_phase}")
    return transition


_ALLOWED_TRANSITIONS = {
    CoursePhase.EVALUATION: {CoursePhase.INDUCTION, CoursePhase.DISCONTINUED},
    CoursePhase.INDUCTION: {
        CoursePhase.OPTIMISATION,
        CoursePhase.MAINTENANCE,
        CoursePhase.PAUSED,
        CoursePhase.DISCONTINUED,
    },
    CoursePhase.OPTIMISATION: {
        CoursePhase.MAINTENANCE,
        CoursePhase.PAUSED,
        CoursePhase.DISCONTINUED,
    },
    CoursePhase.MAINTENANCE: {
        CoursePhase.OPTIMISATION,
        CoursePhase.PAUSED,
        CoursePhase.DISCONTINUED,
    },
    CoursePhase.PAUSED: {
        CoursePhase.INDUCTION,
        CoursePhase.OPTIMISATION,
        CoursePhase.MAINTENANCE,
        CoursePhase.DISCONTINUED,
    },
    CoursePhase.DISCONTINUED: set(),
}


def next_phases(course: TreatmentCourse) -> list[CoursePhase]:
    """The phases ``course`` may move to from where it is, in the phases' order (the choices
    the phase form offers, and the only ones ``change_phase`` accepts)."""
    allowed = _ALLOWED_TRANSITIONS[CoursePhase(course.phase)]
    return [phase for phase in CoursePhase if phase in allowed]


@transaction.atomic
def change_phase(
    *, membership: Membership, course: TreatmentCourse, to_phase: str, reason: str
) -> PhaseTransition:
    require(membership, Capability.MANAGE_COURSES)
    _same_clinic(membership, course.patient)
    allowed = _ALLOWED_TRANSITIONS[CoursePhase(course.phase)]
    if to_phase not in allowed:
        raise ValidationError(
            f"A course in {course.get_phase_display()} cannot move to "
            f"{CoursePhase(to_phase).label if to_phase in CoursePhase.values else to_phase}."
        )
    if to_phase in (CoursePhase.DISCONTINUED, CoursePhase.PAUSED) and not reason.strip():
        raise ValidationError("Say why the course is paused or discontinued.")
    if to_phase == CoursePhase.DISCONTINUED:
        course.discontinued_reason = reason
        cancel_course_sessions(membership=membership, course_id=course.pk, reason=reason)
    return _transition(membership, course, to_phase, reason)


@transaction.atomic
def record_reevaluation(
    *, membership: Membership, course: TreatmentCourse, note: str, next_due: dt.date
) -> CourseReevaluation:
    """The prescriber reviewed the course today; the next review is due on ``next_due``."""
    require(membership, Capability.MANAGE_COURSES)
    _same_clinic(membership, course.patient)
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    if course.phase == CoursePhase.DISCONTINUED:
        raise ValidationError("A discontinued course has no re-evaluation.")
    if not note.strip():
        raise ValidationError("Note what the re-evaluation found.")
    if next_due <= today:
        raise ValidationError("The next re-evaluation must fall after today.")
    review = CourseReevaluation(
        course=course, at=timezone.now(), by=membership.user, note=note.strip(), next_due=next_due
    )
    audited_save(review, actor=membership.user, summary=f"re-evaluated; next due {next_due}")
    course.reevaluation_due = next_due
    audited_save(course, actor=membership.user, summary=f"re-evaluation due {next_due}")
    return review
