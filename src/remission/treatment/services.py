"""Intake and eligibility, treatment courses, scheduling: authorised, validated, audited.

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
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.services import audited_delete, audited_save
from remission.chairside.models import SessionKind, SessionStatus, TreatmentSession
from remission.clinical import eligibility as el
from remission.clinical import registry
from remission.clinical.demographics import age_years
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    ChairBooking,
    ClinicCalendar,
    OpeningHours,
    Schedule,
    SlotCheck,
    check_slot,
    generate_schedule,
    get_protocol,
    parse_weekdays,
)
from remission.clinical.protocols import SessionKind as ProtocolSessionKind
from remission.clinical.protocols import StaffShift as ShiftOnCalendar
from remission.clinical.protocols.staffing import SESSIONS_PER_NURSE_KEY
from remission.clinical.routes import Route
from remission.patients.models import DiagnosisStatus, Patient
from remission.serialization import to_jsonable
from remission.treatment.models import (
    Addendum,
    Chair,
    ClinicCalendarSettings,
    CoursePhase,
    CourseReevaluation,
    Decision,
    EligibilitySignature,
    Intake,
    PhaseTransition,
    StaffShift,
    TreatmentCourse,
)

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
    mapping = {
        **answers,
        "age_years": age_years(patient.date_of_birth, today),
        "diagnoses_icd10cm": diagnoses,
        "antidepressant_trials": trials,
    }
    return el.Intake.from_mapping(mapping)


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
    contraindicated = {
        r["route"] for r in intake.assessment["routes"] if r["status"] == "contraindicated"
    }
    if decision == Decision.ELIGIBLE and contraindicated & set(routes) and not note.strip():
        raise ValidationError(
            "A route the rules mark contraindicated needs a note explaining the decision."
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
    course = TreatmentCourse(
        patient=patient,
        clinic=membership.clinic,
        recorded_by=membership.user,
        protocol_id=protocol.id,
        route=protocol.route.family.value if protocol.route else "none",
        start_date=data["start_date"],
        mg_per_kg=data.get("mg_per_kg") or protocol.dose.mg_per_kg,
        fixed_dose_mg=data.get("fixed_dose_mg") or protocol.dose.fixed_mg,
        weight_basis=data.get("weight_basis") or "actual",
        concentration_mg_per_ml=data.get("concentration_mg_per_ml")
        or (Decimal("10") if protocol.route is Route.IV_RACEMIC else None),
        infusion_minutes=data.get("infusion_minutes") or protocol.infusion_min,
        reevaluation_due=data.get("reevaluation_due"),
    )
    audited_save(course, actor=membership.user, summary=f"started course {protocol.title}")
    phase = (
        CoursePhase.MAINTENANCE
        if protocol.phase.value in {"maintenance", "booster"}
        else CoursePhase.INDUCTION
    )
    _transition(membership, course, phase, "course started")
    return course


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
        for session in course.sessions.filter(status=SessionStatus.SCHEDULED):
            session.status = SessionStatus.CANCELLED
            session.status_reason = f"course discontinued: {reason}"
            audited_save(session, actor=membership.user, summary="cancelled: course discontinued")
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


# --- calendar and scheduling ----------------------------------------------------------------


def clinic_calendar(membership: Membership) -> ClinicCalendar:
    clinic = membership.clinic
    settings, _ = ClinicCalendarSettings.objects.get_or_create(clinic=clinic)
    chairs = Chair.objects.filter(clinic=clinic, is_active=True).count() or 1
    return ClinicCalendar(
        open_weekdays=parse_weekdays(settings.open_weekdays),
        hours=OpeningHours(settings.opens, settings.closes),
        holidays=frozenset(dt.date.fromisoformat(d) for d in settings.holidays),
        chairs=chairs,
        tz=clinic.tzinfo,
    )


def _chair_bookings(
    membership: Membership,
    start: dt.date,
    end: dt.date | None = None,
    leave_out: TreatmentSession | None = None,
) -> list[ChairBooking]:
    """Chairs taken from ``start`` on (up to ``end``), but for the ``leave_out`` session."""
    tz = membership.clinic.tzinfo
    chairs = {c.pk: c.position for c in Chair.objects.filter(clinic_id=membership.clinic_id)}
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    rows = TreatmentSession.objects.filter(
        clinic_id=membership.clinic_id,
        scheduled_start__gte=since,
        chair__isnull=False,
    ).exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
    if end is not None:
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        rows = rows.filter(scheduled_start__lt=until)
    if leave_out is not None:
        rows = rows.exclude(pk=leave_out.pk)
    bookings = []
    for session in rows:
        on, starts, ends = session.wall_clock(tz)
        chair = chairs[session.chair_id]  # type: ignore[index]
        bookings.append(ChairBooking(on=on, starts=starts, ends=ends, chair=chair))
    return bookings


@transaction.atomic
def schedule_course(
    *,
    membership: Membership,
    course: TreatmentCourse,
    preferred_time: dt.time | None = None,
    dosing_sessions: int | None = None,
) -> Schedule:
    """Book the course's sessions on the clinic calendar (chairs, staff on shift, hours,
    minimum interval). Staff count only once the clinic records shifts from ``start`` on."""
    require(membership, Capability.MANAGE_SCHEDULE)
    _same_clinic(membership, course.patient)
    protocol = get_protocol(course.protocol_id)
    today = timezone.localdate(timezone=membership.clinic.tzinfo)
    last = (
        TreatmentSession.objects.filter(
            patient=course.patient, kind=SessionKind.DOSING, status=SessionStatus.DISCHARGED
        )
        .order_by("-scheduled_start")
        .first()
    )
    start = max(course.start_date, today)
    shifts, rostered_until = _roster(membership, start)
    try:
        schedule = generate_schedule(
            protocol,
            start=start,
            calendar=clinic_calendar(membership),
            booked=_chair_bookings(membership, course.start_date),
            preferred_time=preferred_time,
            today=today,
            last_dose_at=last.scheduled_start if last else None,
            dosing_sessions=dosing_sessions,
            overrides=membership.clinic.clinical_overrides,
            shifts=shifts,
            rostered_until=rostered_until,
        )
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    chairs = {c.position: c for c in Chair.objects.filter(clinic_id=membership.clinic_id)}
    for planned in schedule.sessions:
        session = TreatmentSession(
            clinic=membership.clinic,
            patient=course.patient,
            course=course,
            kind=SessionKind(planned.kind.value),
            sequence=planned.sequence,
            dose_number=planned.dose_number,
            scheduled_start=planned.starts_at,
            duration_min=int((planned.ends_at - planned.starts_at).total_seconds() // 60),
            chair=chairs.get(planned.chair) if planned.chair else None,
        )
        audited_save(session, actor=membership.user, summary=f"booked {session}")
    return schedule


def check_move(
    *, membership: Membership, session: TreatmentSession, new_start: dt.datetime
) -> SlotCheck:
    """The scheduler's rules for moving one booked session by hand (``check_slot``): open day
    and hours, and for a dose a free chair, the minimum interval from the patient's other
    doses and staff on shift. A session outside any course is checked for nothing."""
    course = session.course
    if course is None:
        return SlotCheck(None, ())
    day = new_start.astimezone(membership.clinic.tzinfo).date()
    other_doses = (
        TreatmentSession.objects.filter(patient_id=session.patient_id, kind=SessionKind.DOSING)
        .exclude(pk=session.pk)
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
        .values_list("scheduled_start", flat=True)
    )
    shifts, rostered_until = _roster(membership, day)
    try:
        return check_slot(
            get_protocol(course.protocol_id),
            ProtocolSessionKind(session.kind),
            new_start,
            session.duration_min,
            calendar=clinic_calendar(membership),
            booked=_chair_bookings(membership, day, day, leave_out=session),
            current_chair=session.chair.position if session.chair else None,
            other_doses=list(other_doses),
            overrides=membership.clinic.clinical_overrides,
            shifts=shifts,
            rostered_until=rostered_until,
        )
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None


def _roster(
    membership: Membership, start: dt.date
) -> tuple[list[ShiftOnCalendar] | None, dt.date | None]:
    """The clinic's shifts from ``start`` on and the roster's last day, or (None, None) when it
    records none (no staff check)."""
    rows = StaffShift.objects.filter(clinic_id=membership.clinic_id, on__gte=start)
    shifts = [row.on_calendar() for row in rows]
    return (shifts, max(s.on for s in shifts)) if shifts else (None, None)


def sessions_per_nurse(membership: Membership) -> int:
    """How many concurrent dosing sessions one member on shift may monitor at this clinic."""
    return int(registry.resolve(SESSIONS_PER_NURSE_KEY, membership.clinic.clinical_overrides))


# Roles whose members can monitor a dosing session (chart it) and so count as staff on shift.
SHIFT_ROLES = tuple(r for r in Role.values if Capability.CHART_SESSIONS in capabilities_of(r))


@transaction.atomic
def add_shift(
    *, membership: Membership, member: Membership, on: dt.date, starts: dt.time, ends: dt.time
) -> StaffShift:
    """Record ``member`` on shift (clinic wall-clock times); audited."""
    require(membership, Capability.MANAGE_SCHEDULE)
    if member.clinic_id != membership.clinic_id:
        raise ValidationError({"member": "This member belongs to another clinic."})
    if not member.is_active:
        raise ValidationError({"member": "This member is no longer active."})
    if not member.can(Capability.CHART_SESSIONS):
        raise ValidationError(
            {"member": f"A {member.get_role_display().lower()} cannot monitor dosing sessions."}
        )
    if ends <= starts:
        raise ValidationError({"ends": "A shift must end after it starts."})
    overlapping = StaffShift.objects.filter(
        member=member, on=on, starts__lt=ends, ends__gt=starts
    ).first()
    if overlapping is not None:
        raise ValidationError(
            f"{member.user} is already on shift on {on} "
            f"{overlapping.starts:%H:%M}–{overlapping.ends:%H:%M}."
        )
    shift = StaffShift(clinic=membership.clinic, member=member, on=on, starts=starts, ends=ends)
    audited_save(
        shift,
        actor=membership.user,
        summary=f"{member.user} on shift {on} {starts:%H:%M}–{ends:%H:%M}",
    )
    return shift


@transaction.atomic
def remove_shift(*, membership: Membership, shift: StaffShift) -> None:
    require(membership, Capability.MANAGE_SCHEDULE)
    if shift.clinic_id != membership.clinic_id:
        raise ValidationError("This shift belongs to another clinic.")
    audited_delete(
        shift,
        actor=membership.user,
        summary=f"removed the shift of {shift.member.user} on {shift.on} "
        f"{shift.starts:%H:%M}–{shift.ends:%H:%M}",
    )


@transaction.atomic
def update_calendar(*, membership: Membership, data: Mapping[str, Any]) -> ClinicCalendarSettings:
    """Open days, hours, holidays and the number of active chairs (audited)."""
    require(membership, Capability.MANAGE_CLINIC)
    settings, _ = ClinicCalendarSettings.objects.get_or_create(clinic=membership.clinic)
    try:
        parse_weekdays(data["open_weekdays"])
        OpeningHours(data["opens"], data["closes"])
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    settings.open_weekdays = data["open_weekdays"]
    settings.opens = data["opens"]
    settings.closes = data["closes"]
    settings.holidays = list(data.get("holidays_text") or [])
    audited_save(settings, actor=membership.user, summary="changed the clinic calendar")
    wanted = int(data["chairs"])
    chairs = list(Chair.objects.filter(clinic=membership.clinic).order_by("position"))
    for position in range(1, wanted + 1):
        chair = next((c for c in chairs if c.position == position), None)
        if chair is None:
            chair = Chair(clinic=membership.clinic, position=position, name=f"Chair {position}")
        chair.is_active = True
        audited_save(chair, actor=membership.user, summary=f"{chair.name} in use")
    for chair in chairs:
        if chair.position > wanted and chair.is_active:
            chair.is_active = False
            audited_save(chair, actor=membership.user, summary=f"{chair.name} out of use")
    return settings
