"""Booking: a course's sessions on the clinic calendar, moves, cancellations, check-in, staff
shifts and the calendar's settings. Authorised, validated, audited.

The scheduling rules themselves (open days and hours, chairs, the minimum interval, staff on
shift) are the clinical core's (``remission.clinical.protocols``); these services gather the
clinic's bookings for it and store what it decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.services import audited_delete, audited_save
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    ChairBooking,
    OpeningHours,
    PatientBooking,
    Schedule,
    SlotCheck,
    check_slot,
    generate_schedule,
    get_protocol,
    parse_weekdays,
)
from remission.clinical.protocols import SessionKind as ProtocolSessionKind
from remission.clinical.protocols import StaffShift as ShiftOnCalendar
from remission.patients.models import Patient
from remission.scheduling.models import (
    Chair,
    ClinicCalendarSettings,
    SessionKind,
    SessionStatus,
    StaffShift,
    TreatmentSession,
)
from remission.scheduling.selectors import calendar_settings_of, clinic_calendar


class CourseToBook(Protocol):
    """What booking reads of a treatment course (``treatment.TreatmentCourse``)."""

    @property
    def pk(self) -> Any: ...

    @property
    def patient(self) -> Patient: ...

    @property
    def protocol_id(self) -> str: ...

    @property
    def start_date(self) -> dt.date: ...


STATUS_REASON_MAX = TreatmentSession._meta.get_field("status_reason").max_length or 0
DISCONTINUED = "course discontinued:"


def _require_reason_fits(reason: str, taken: int = 0) -> None:
    """A reason fits the session's status line beside the ``taken`` characters of its prefix;
    a longer one is refused, never cut."""
    limit = STATUS_REASON_MAX - taken
    if len(reason) > limit:
        raise ValidationError(f"Keep the reason within {limit} characters.")


class ConflictError(ValidationError):
    """Someone else changed the session since it was loaded."""


def locked_session(membership: Membership, session: TreatmentSession) -> TreatmentSession:
    """The session row, locked for this transaction; refuses other clinics and signed sessions."""
    if session.clinic_id != membership.clinic_id:
        raise ValidationError("This session belongs to another clinic.")
    fresh = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if fresh.is_locked:
        raise ValidationError("This session is signed and locked; add an addendum instead.")
    return fresh


def set_status(
    membership: Membership, session: TreatmentSession, status: SessionStatus, reason: str = ""
) -> None:
    session.status = status
    session.status_reason = reason
    session.version += 1
    audited_save(session, actor=membership.user, summary=f"session status → {status.label}")


@transaction.atomic
def check_in(*, membership: Membership, session: TreatmentSession) -> TreatmentSession:
    require(membership, Capability.MANAGE_SCHEDULE)
    session = locked_session(membership, session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(f"A {session.get_status_display().lower()} session cannot check in.")
    session.checked_in_at = timezone.now()
    set_status(membership, session, SessionStatus.CHECKED_IN)
    return session


@transaction.atomic
def reschedule(
    *,
    membership: Membership,
    session: TreatmentSession,
    new_start: dt.datetime,
    reason: str,
    expected_version: int,
) -> TreatmentSession:
    require(membership, Capability.MANAGE_SCHEDULE)
    session = locked_session(membership, session)
    if session.version != expected_version:
        raise ConflictError("Someone else changed this session meanwhile; reload and try again.")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be moved.")
    if not reason.strip():
        raise ValidationError("Say why the session moves.")
    if new_start < timezone.now():
        raise ValidationError("A session cannot move into the past.")
    slot = check_move(membership=membership, session=session, new_start=new_start)
    if slot.problems:
        raise ValidationError([f"Cannot move it there: {p}." for p in slot.problems])
    old = session.scheduled_start
    session.scheduled_start = new_start
    moved = f"moved from {old.astimezone(membership.clinic.tzinfo):%Y-%m-%d %H:%M}"
    if slot.chair is not None and (session.chair is None or session.chair.position != slot.chair):
        session.chair = Chair.objects.get(
            clinic_id=membership.clinic_id, position=slot.chair, is_active=True
        )
        moved += f" to {session.chair.name}"
    _require_reason_fits(reason.strip(), taken=len(moved) + 2)
    set_status(membership, session, SessionStatus.SCHEDULED, f"{moved}: {reason.strip()}")
    return session


@transaction.atomic
def cancel(
    *, membership: Membership, session: TreatmentSession, reason: str, no_show: bool = False
) -> TreatmentSession:
    """Cancel a session before charting begins, or mark a booked one a no-show."""
    require(membership, Capability.MANAGE_SCHEDULE)
    session = locked_session(membership, session)
    if no_show and session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a booked session the patient has not arrived for is a no-show.")
    if session.status not in (SessionStatus.SCHEDULED, SessionStatus.CHECKED_IN):
        raise ValidationError(
            "Charting has begun: the nurse ends it without a dose, or charts and discharges it."
        )
    end_without_dose(
        membership, session, SessionStatus.NO_SHOW if no_show else SessionStatus.CANCELLED, reason
    )
    return session


def cancel_course_sessions(*, membership: Membership, course_id: Any, reason: str) -> int:
    """Cancel every still-booked session of a discontinued course, saying why; each audited."""
    status_reason = f"{DISCONTINUED} {reason}"
    _require_reason_fits(reason, taken=len(DISCONTINUED) + 1)
    booked = TreatmentSession.objects.select_for_update().filter(
        clinic_id=membership.clinic_id, course_id=course_id, status=SessionStatus.SCHEDULED
    )
    count = 0
    for session in booked:
        set_status(membership, session, SessionStatus.CANCELLED, status_reason)
        count += 1
    return count


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


def _patient_bookings(
    patient_id: Any, since: dt.datetime, leave_out: TreatmentSession | None = None
) -> list[PatientBooking]:
    """The patient's sessions still booked or under way from ``since`` on (any course)."""
    rows = TreatmentSession.objects.filter(
        patient_id=patient_id, scheduled_start__gte=since - dt.timedelta(days=1)
    ).exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
    if leave_out is not None:
        rows = rows.exclude(pk=leave_out.pk)
    return [
        PatientBooking(
            starts_at=row.scheduled_start,
            ends_at=row.scheduled_start + dt.timedelta(minutes=row.duration_min),
            is_dose=row.kind == SessionKind.DOSING,
        )
        for row in rows
    ]


@transaction.atomic
def schedule_course(
    *,
    membership: Membership,
    course: CourseToBook,
    preferred_time: dt.time | None = None,
    dosing_sessions: int | None = None,
) -> Schedule:
    """Book the course's sessions on the clinic calendar (chairs, staff on shift, hours,
    minimum interval). Staff count only once the clinic records shifts from ``start`` on."""
    require(membership, Capability.MANAGE_SCHEDULE)
    if course.patient.clinic_id != membership.clinic_id:
        raise ValidationError("This patient belongs to another clinic.")
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
            patient_booked=_patient_bookings(
                course.patient.pk,
                dt.datetime.combine(start, dt.time.min, tzinfo=membership.clinic.tzinfo),
            ),
        )
    except ClinicalInputError as exc:
        raise ValidationError(str(exc)) from None
    chairs = {c.position: c for c in Chair.objects.filter(clinic_id=membership.clinic_id)}
    for planned in schedule.sessions:
        session = TreatmentSession(
            clinic=membership.clinic,
            patient=course.patient,
            course_id=course.pk,
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
            patient_booked=_patient_bookings(
                session.patient_id, new_start - dt.timedelta(days=1), leave_out=session
            ),
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
    settings = calendar_settings_of(membership.clinic)
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


def end_without_dose(
    membership: Membership, session: TreatmentSession, status: SessionStatus, reason: str
) -> None:
    if not reason.strip():
        raise ValidationError("Give a reason.")
    _require_reason_fits(reason)
    set_status(membership, session, status, reason)
