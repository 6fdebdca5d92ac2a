"""Intakes with their signed eligibility, consents, courses with their phases and
re-evaluations, written in bulk."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from remission.accounts.models import User
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.clinical import eligibility as el
from remission.clinical import instruments
from remission.clinical.protocols import get_protocol
from remission.clinical.routes import Route
from remission.clinical.synthetic import sessions as syn
from remission.clinics.models import Clinic
from remission.demo.plans import Evaluation, Plan, signable_routes
from remission.demo.writer import BulkWriter
from remission.patients.models import BodyMeasurement, Consent, ConsentType, Patient
from remission.rems.models import RemsEnrollment
from remission.scheduling.models import TreatmentSession
from remission.serialization import to_jsonable
from remission.treatment.models import (
    CoursePhase,
    CourseReevaluation,
    Decision,
    EligibilitySignature,
    Intake,
    PhaseTransition,
    TreatmentCourse,
)

# --- Intakes, eligibility, consents, courses ---------------------------------------------------


def _signed_decision(
    kind: str, source: Any, assessment: el.EligibilityAssessment
) -> tuple[str, list[str], str]:
    """The prescriber's decision on an intake, its routes and note, by the demo's kind of case:
    a patient to treat, one eligible but undecided, or one left for review or refused."""
    if kind == "treat":
        return Decision.ELIGIBLE, source.routes_signed, source.review_note
    if kind == "eligible":
        routes = signable_routes(assessment)
        note = "Eligible; the patient is considering the options." if routes else ""
        return (Decision.ELIGIBLE if routes else Decision.NOT_ELIGIBLE), routes, note
    if el.RouteStatus.ELIGIBLE in {d.status for d in assessment.routes}:
        return Decision.NEEDS_REVIEW, [], "Awaiting records from the referring psychiatrist."
    return (
        Decision.NOT_ELIGIBLE,
        [],
        "Contraindications or cautions outweigh the expected benefit for now.",
    )


def _treatment_consents(
    plan: Plan, clinic: Clinic, nurse: User, signed_at: dt.datetime
) -> list[Consent]:
    """The consents a patient to treat signs with the decision (esketamine: the REMS too)."""
    patient = plan.patient
    consent_types = (
        (ConsentType.ESKETAMINE_TREATMENT, ConsentType.REMS_ENROLLMENT)
        if plan.route is Route.ESKETAMINE_NASAL
        else (ConsentType.KETAMINE_TREATMENT,)
    )
    return [
        Consent(
            patient=patient, clinic=clinic, recorded_by=nurse,
            recorded_at=signed_at, consent_type=consent_type, version="2025.1",
            signed_at=signed_at, signed_by=f"{patient.legal_first_name} "
            f"{patient.legal_last_name}",
        )
        for consent_type in consent_types
    ]  # fmt: skip


def _write_intake_rows(
    writer: BulkWriter,
    nurse: User,
    prescriber: User,
    intakes: list[Intake],
    signatures: list[EligibilitySignature],
    scales: list[ScaleAdministration],
    weights: list[BodyMeasurement],
    consents: list[Consent],
    enrollments: list[RemsEnrollment],
) -> None:
    by_nurse: Callable[[Any], User | None] = lambda _: nurse  # noqa: E731
    of_patient: Callable[[Any], uuid.UUID | None] = lambda row: row.patient_id  # noqa: E731
    writer.create(
        intakes, actor=by_nurse, summary=lambda _: "recorded an intake", patient=of_patient
    )
    writer.create(
        signatures,
        actor=lambda _: prescriber,
        summary=lambda s: f"signed eligibility: {s.decision}",
        patient=of_patient,
    )
    writer.create(scales, actor=by_nurse, summary=lambda s: f"recorded {s}", patient=of_patient)
    writer.create(weights, actor=by_nurse, summary=lambda m: f"recorded {m}", patient=of_patient)
    writer.create(consents, actor=by_nurse, summary=lambda c: f"recorded {c}", patient=of_patient)
    writer.create(
        enrollments, actor=by_nurse, summary=lambda e: f"recorded {e}", patient=of_patient
    )


def _intake_weight(
    rng: random.Random, patient: Patient, clinic: Clinic, nurse: User, at: dt.datetime
) -> BodyMeasurement | None:
    """The weight taken at the intake: the last one charted, give or take a little."""
    weight = latest_measurement_on(patient, "weight", at.date())
    if weight is None:
        return None
    drift = Decimal(str(round(rng.gauss(0, 0.8), 1)))
    kg = (weight.value_si + drift).quantize(Decimal("0.1"))
    return BodyMeasurement(
        patient=patient, clinic=clinic, recorded_by=nurse, recorded_at=at,
        kind="weight", measured_on=at.date(), value=kg, unit="kg", value_si=kg,
    )  # fmt: skip


def write_intakes(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[Plan],
    evaluations: list[Evaluation],
    now: dt.datetime,
) -> None:
    nurse, prescriber = staff[Role.NURSE], staff[Role.PRESCRIBER]
    intakes: list[Intake] = []
    signatures: list[EligibilitySignature] = []
    scales: list[ScaleAdministration] = []
    weights: list[BodyMeasurement] = []
    consents: list[Consent] = []
    enrollments: list[RemsEnrollment] = []
    entries: list[tuple[Patient, str, dt.datetime, el.Intake, el.EligibilityAssessment, Any]] = []
    for plan in plans:
        entries.append((plan.patient, "treat", plan.intake_at, plan.intake, plan.assessment, plan))
    for e in evaluations:
        entries.append((e.patient, e.kind, e.intake_at, e.intake, e.assessment, e))
    for patient, kind, at, intake, assessment, source in entries:
        rng = random.Random(f"intake:{patient.mrn}")
        record = Intake(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            patient=patient,
            clinic=clinic,
            recorded_by=nurse,
            recorded_at=at,
            answers=to_jsonable(intake),
            assessment=to_jsonable(assessment),
            notes="",
        )
        intakes.append(record)
        profile: syn.ResponseProfile = source.profile
        phq9 = syn.phq9_at(profile, rng, at=at, dose_starts=(), series_doses=0, exact=True)
        gad7 = syn.gad7_at(profile, rng, phq9_total=phq9.total, exact=True)
        for draw in (phq9, gad7):
            scales.append(
                scale_row(
                    clinic, patient, nurse, draw.instrument_id, draw.answers,
                    at - dt.timedelta(minutes=20), AssessmentContext.INTAKE, None, "",
                )
            )  # fmt: skip
        measured = _intake_weight(rng, patient, clinic, nurse, at)
        if measured is not None:
            weights.append(measured)
            if kind == "treat":
                source.intake_weight = measured
        signed_at = at + dt.timedelta(hours=rng.randint(1, 30))
        if kind == "unsigned" or signed_at > now:
            continue
        decision, routes, note = _signed_decision(kind, source, assessment)
        if kind == "treat":
            plan = source
            signed_at = plan.signed_at
        signatures.append(
            EligibilitySignature(
                intake=record, patient=patient, clinic=clinic, recorded_by=prescriber,
                recorded_at=signed_at, decision=decision, routes=routes, note=note,
            )
        )  # fmt: skip
        if kind == "treat" and plan.route is Route.ESKETAMINE_NASAL:
            enrollments.append(
                RemsEnrollment(
                    patient=patient, clinic=clinic, recorded_by=nurse, recorded_at=signed_at,
                    enrolled_on=signed_at.astimezone(clinic.tzinfo).date(),
                    rems_patient_id=f"DEMO-R{plan.index + 1:05d}", enrolled_by=prescriber,
                )
            )  # fmt: skip
        if kind == "treat":
            consents += _treatment_consents(plan, clinic, nurse, signed_at)
    _write_intake_rows(
        writer, nurse, prescriber, intakes, signatures, scales, weights, consents, enrollments
    )


def latest_measurement_on(
    patient: Patient, kind: str, on: dt.date, extra: Sequence[BodyMeasurement] = ()
) -> BodyMeasurement | None:
    """The latest measurement of ``kind`` on or before ``on`` (else the earliest one)."""
    rows = sorted(
        (m for m in [*patient.measurements.all(), *extra] if m.kind == kind),
        key=lambda m: (m.measured_on, m.recorded_at),
    )
    before = [m for m in rows if m.measured_on <= on]
    if before:
        return before[-1]
    return rows[0] if rows else None


# Re-evaluations: the first four weeks after the start, then every four weeks while a course is
# being built up and every eight once it holds; a few are left overdue so the worklist has some.
FIRST_REEVALUATION = dt.timedelta(days=28)
REEVALUATION_EVERY = {
    CoursePhase.INDUCTION: dt.timedelta(days=28),
    CoursePhase.OPTIMISATION: dt.timedelta(days=28),
    CoursePhase.MAINTENANCE: dt.timedelta(days=56),
    CoursePhase.PAUSED: dt.timedelta(days=56),
}
REEVALUATION_LEFT_OVERDUE = 0.08
REEVALUATION_NOTES = {
    CoursePhase.INDUCTION: "Series under way and tolerated; scales reviewed. Continue as planned.",
    CoursePhase.OPTIMISATION: "Partial response; dose being optimised. Review side effects.",
    CoursePhase.MAINTENANCE: "Response holding on maintenance; scales reviewed. Continue.",
    CoursePhase.PAUSED: "Paused after the series; follow-up scales reviewed. Resume if relapse.",
}
REEVALUATION_AT = dt.time(16, 30)


def _phase_at(plan: Plan, at: dt.datetime) -> str:
    phase: str = CoursePhase.INDUCTION
    for when, _, to_phase, _ in plan.transitions:
        if when <= at:
            phase = to_phase
    return phase


def _reevaluations(
    plan: Plan, course: TreatmentCourse, by: User, now: dt.datetime, tz: dt.tzinfo
) -> list[CourseReevaluation]:
    """The prescriber's reviews of a course up to ``now``; sets the course's next due date."""
    rng = random.Random(f"reevaluation:{plan.key}")
    today = now.astimezone(tz).date()
    due = plan.start_day + FIRST_REEVALUATION
    reviews: list[CourseReevaluation] = []
    while due <= today and rng.random() >= REEVALUATION_LEFT_OVERDUE:
        at = dt.datetime.combine(due + dt.timedelta(days=rng.randint(0, 2)), REEVALUATION_AT, tz)
        phase = _phase_at(plan, at)
        if at > now or phase == CoursePhase.DISCONTINUED:
            break
        next_due = at.date() + REEVALUATION_EVERY[CoursePhase(phase)]
        reviews.append(
            CourseReevaluation(
                course=course, at=at, by=by, note=REEVALUATION_NOTES[CoursePhase(phase)],
                next_due=next_due,
            )
        )  # fmt: skip
        due = next_due
    course.reevaluation_due = due
    return reviews


def write_courses(
    writer: BulkWriter,
    clinic: Clinic,
    staff: Mapping[str, User],
    plans: list[Plan],
    now: dt.datetime,
) -> dict[int, TreatmentCourse]:
    prescriber = staff[Role.PRESCRIBER]
    courses: dict[int, TreatmentCourse] = {}
    transitions: list[PhaseTransition] = []
    reviews: list[CourseReevaluation] = []
    for plan in plans:
        rng = random.Random(f"course:{plan.key}")
        protocol = plan.protocol
        course = TreatmentCourse(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            patient=plan.patient,
            clinic=clinic,
            recorded_by=prescriber,
            recorded_at=plan.course_at,
            protocol_id=protocol.id,
            route=protocol.route.family.value if protocol.route else "none",
            phase=plan.phase,
            mg_per_kg=protocol.dose.mg_per_kg,
            fixed_dose_mg=protocol.dose.fixed_mg,
            weight_basis="actual",
            concentration_mg_per_ml=(
                Decimal("10") if plan.route is Route.IV_RACEMIC
                else Decimal("50") if plan.route is Route.IM_RACEMIC
                else None
            ),
            infusion_minutes=protocol.infusion_min,
            indication="trd" if plan.route is Route.ESKETAMINE_NASAL else "",
            start_date=plan.start_day,
            discontinued_reason=plan.discontinued_reason,
        )  # fmt: skip
        reviews += _reevaluations(plan, course, prescriber, now, clinic.tzinfo)
        courses[plan.index] = course
        transitions.append(
            PhaseTransition(
                course=course,
                from_phase=CoursePhase.EVALUATION,
                to_phase=CoursePhase.INDUCTION,
                reason="course started",
                at=plan.course_at,
                by=prescriber,
            )
        )
        for at, from_phase, to_phase, reason in plan.transitions:
            transitions.append(
                PhaseTransition(
                    course=course, from_phase=from_phase, to_phase=to_phase,
                    reason=reason[:200], at=at, by=prescriber,
                )
            )  # fmt: skip
    rows = list(courses.values())
    writer.create(
        rows,
        actor=lambda _: prescriber,
        summary=lambda c: f"started course {get_protocol(c.protocol_id).title}",
        patient=lambda c: c.patient_id,
    )
    patient_of = {c.pk: c.patient_id for c in rows}
    writer.create(
        transitions,
        actor=lambda _: prescriber,
        summary=lambda t: f"phase → {t.to_phase}",
        patient=lambda t: patient_of[t.course_id],
    )
    writer.create(
        reviews,
        actor=lambda _: prescriber,
        summary=lambda r: f"re-evaluated; next due {r.next_due}",
        patient=lambda r: patient_of[r.course_id],
    )
    return courses


SCORE_CACHE: dict[tuple[str, tuple[int, ...]], instruments.ScoreResult] = {}


def scale_row(
    clinic: Clinic,
    patient: Patient,
    by: User,
    instrument_id: str,
    answers: Sequence[int],
    at: dt.datetime,
    context: AssessmentContext,
    session: TreatmentSession | None,
    check_id: str,
) -> ScaleAdministration:
    """Scored by the clinical core exactly as ``assessments.services.record_scale`` does."""
    key = (instrument_id, tuple(answers))
    result = SCORE_CACHE.get(key)
    if result is None:
        result = instruments.score(
            instrument_id, list(answers), overrides=clinic.clinical_overrides
        )
        SCORE_CACHE[key] = result
    return ScaleAdministration(
        patient=patient,
        clinic=clinic,
        recorded_by=by,
        recorded_at=at,
        instrument_id=instrument_id,
        answers=list(result.answers),
        total=result.total,
        maximum=result.maximum,
        severity=result.severity.label if result.severity else "",
        valid=result.valid,
        invalid_reason=result.reason or "",
        flags=[{"id": f.id, "message": f.message} for f in result.flags],
        administered_at=at,
        context=context,
        session=session,
        check_id=check_id,
    )
