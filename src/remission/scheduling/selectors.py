"""Reading bookings: one session, the day board, the calendar week and who is on shift
(authorised; every list of patients shown is audited)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.clinical import registry
from remission.clinical.protocols import (
    VISIT_MINUTES_KEY,
    ClinicCalendar,
    OpeningHours,
    parse_weekdays,
    staffing_gaps,
)
from remission.clinical.protocols.staffing import SESSIONS_PER_NURSE_KEY, minute_of
from remission.clinical.routes import RouteFamily
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.scheduling import ports
from remission.scheduling.models import (
    ACTIVE_STATUSES,
    Chair,
    ClinicCalendarSettings,
    SessionKind,
    SessionStatus,
    StaffShift,
    TreatmentSession,
)


def session_queryset(membership: Membership) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(clinic_id=membership.clinic_id).select_related(
        "patient", "course", "chair", "signed_off_by"
    )


def get_session(
    *, membership: Membership, session_id: Any, capability: Capability
) -> TreatmentSession:
    try:
        pk = session_id if isinstance(session_id, uuid.UUID) else uuid.UUID(str(session_id))
    except ValueError:
        raise Http404("No such session.") from None
    session = session_queryset(membership).filter(pk=pk).first()
    if session is None:
        raise Http404("No such session.")
    require(membership, capability)
    session.clinic = membership.clinic  # the same row (filtered by it), already loaded
    return session


@dataclass
class BoardRow:
    session: TreatmentSession
    open_alerts: int
    progress: ports.SessionProgress = field(default_factory=ports.SessionProgress)
    elapsed_min: int | None = None  # since the dose started
    double_booked: bool = False  # the patient has another session overlapping this one

    @property
    def route(self) -> str:
        """The course's route as screens name it (``RouteFamily.label``); empty without one."""
        code = self.session.course.route if self.session.course else ""
        family = RouteFamily.of_code(code)
        return family.label if family is not None else ""


@dataclass
class DayBoard:
    day: dt.date
    chairs: list[tuple[Chair | None, list[BoardRow]]]
    counts: dict[str, int]
    notices: list[ports.BoardNotice] = field(default_factory=list)


def day_board(*, membership: Membership, day: dt.date) -> DayBoard:
    """Today's sessions by chair with status and outstanding alerts (no clinical notes)."""
    require(membership, Capability.VIEW_SCHEDULE)
    tz = membership.clinic.tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    sessions = list(
        session_queryset(membership).filter(
            scheduled_start__gte=start, scheduled_start__lt=start + dt.timedelta(days=1)
        )
    )
    alerts = ports.open_alerts([s.pk for s in sessions])
    now = timezone.now()
    progress = ports.session_progress(sessions, now, membership.clinic.clinical_overrides)
    twice = _double_booked(sessions)

    def row(s: TreatmentSession) -> BoardRow:
        shown = progress.get(s.pk, ports.SessionProgress())
        started = shown.dose_started_at
        elapsed = int((now - started).total_seconds() // 60) if started else None
        return BoardRow(s, alerts[s.pk], shown, elapsed, s.pk in twice)

    chairs: list[tuple[Chair | None, list[BoardRow]]] = []
    for chair in Chair.objects.filter(clinic_id=membership.clinic_id, is_active=True):
        rows = [row(s) for s in sessions if s.chair_id == chair.pk]
        chairs.append((chair, rows))
    unassigned = [row(s) for s in sessions if s.chair_id is None]
    if unassigned:
        chairs.append((None, unassigned))
    counts = {status.value: 0 for status in SessionStatus}
    for s in sessions:
        counts[s.status] += 1
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"day board {day}",
            patient_ids=[s.patient_id for s in sessions],
        )
    notices = ports.board_notices(membership, day)
    return DayBoard(day=day, chairs=chairs, counts=counts, notices=notices)


def _double_booked(sessions: list[TreatmentSession]) -> set[uuid.UUID]:
    """The sessions (not cancelled) whose patient has another session overlapping them."""
    live = [s for s in sessions if s.status not in _ENDED]
    by_patient: dict[Any, list[TreatmentSession]] = {}
    for s in live:
        by_patient.setdefault(s.patient_id, []).append(s)
    twice: set[uuid.UUID] = set()
    for booked in by_patient.values():
        booked.sort(key=lambda s: s.scheduled_start)
        for a, b in itertools.combinations(booked, 2):
            if b.scheduled_start < a.scheduled_start + dt.timedelta(minutes=a.duration_min):
                twice |= {a.pk, b.pk}
    return twice


_ENDED = (SessionStatus.CANCELLED, SessionStatus.NO_SHOW)


@dataclass
class CalendarDay:
    day: dt.date
    sessions: list[TreatmentSession]
    used_chair_min: int
    capacity_chair_min: int
    conflicts: list[str]
    shifts: list[StaffShift] = field(default_factory=list)

    @property
    def staff_on_shift(self) -> int:
        """How many different members are on shift that day."""
        return len({s.member_id for s in self.shifts})


def calendar_week(*, membership: Membership, start: dt.date) -> list[CalendarDay]:
    """Seven days of bookings with chair capacity used and conflicts: a day closed, a chair
    double-booked, or (once the clinic records shifts, up to the end of its roster) more
    dosing sessions than the staff on shift can monitor."""
    require(membership, Capability.VIEW_SCHEDULE)

    calendar = clinic_calendar(membership)
    tz = membership.clinic.tzinfo
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    sessions = list(
        session_queryset(membership)
        .filter(scheduled_start__gte=begin, scheduled_start__lt=begin + dt.timedelta(days=7))
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
    )
    shifts = list(
        StaffShift.objects.filter(
            clinic_id=membership.clinic_id, on__gte=start, on__lt=start + dt.timedelta(days=7)
        ).select_related("member__user")
    )
    rostered_until = StaffShift.objects.filter(clinic_id=membership.clinic_id).aggregate(
        last=Max("on")
    )["last"]
    per_nurse = sessions_per_nurse(membership)
    days = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        todays = [s for s in sessions if s.scheduled_start.astimezone(tz).date() == day]
        on_shift = [s for s in shifts if s.on == day]
        open_ = calendar.is_open_weekday(day) and day not in calendar.holidays
        hours = calendar.hours_on(day) if calendar.is_open_weekday(day) else None
        minutes_open = 0
        if open_ and hours is not None:
            minutes_open = minute_of(hours.closes) - minute_of(hours.opens)
        conflicts = _conflicts(todays, open_)
        if rostered_until is not None and day <= rostered_until:
            conflicts += _staffing_conflicts(todays, on_shift, per_nurse, tz)
        used = sum(s.duration_min for s in todays if s.chair_id)
        days.append(
            CalendarDay(
                day=day,
                sessions=todays,
                used_chair_min=used,
                capacity_chair_min=minutes_open * calendar.chairs,
                conflicts=conflicts,
                shifts=on_shift,
            )
        )
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"calendar week of {start}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return days


def _conflicts(sessions: list[TreatmentSession], open_: bool) -> list[str]:
    problems = []
    if sessions and not open_:
        problems.append("sessions booked on a closed day")
    twice, named = _double_booked(sessions), set()
    for s in sorted(sessions, key=lambda s: s.scheduled_start):
        if s.pk in twice and s.patient_id not in named:
            named.add(s.patient_id)
            at = s.scheduled_start.astimezone(s.clinic.tzinfo)
            problems.append(f"{s.patient.display_name} is booked twice at {at:%H:%M}")
    by_chair: dict[int, list[TreatmentSession]] = {}
    for s in sessions:
        if s.chair_id:
            by_chair.setdefault(s.chair_id, []).append(s)
    for chair_sessions in by_chair.values():
        chair_sessions.sort(key=lambda s: s.scheduled_start)
        for a, b in itertools.pairwise(chair_sessions):
            if a.scheduled_start + dt.timedelta(minutes=a.duration_min) > b.scheduled_start:
                at = b.scheduled_start.astimezone(a.clinic.tzinfo)
                problems.append(f"{a.chair} double-booked at {at:%H:%M}")
    return problems


def _staffing_conflicts(
    sessions: list[TreatmentSession], shifts: list[StaffShift], per_nurse: int, tz: dt.tzinfo
) -> list[str]:
    """The clinical core's staffing rule over one day's booked dosing sessions."""
    spans = [s.wall_clock(tz) for s in sessions if s.kind == SessionKind.DOSING]
    dosing = [(starts, ends) for _, starts, ends in spans]
    on_shift = [s.on_calendar() for s in shifts]
    return [gap.describe() for gap in staffing_gaps(dosing, on_shift, per_nurse)]


def arrivals(*, membership: Membership, day: dt.date) -> list[TreatmentSession]:
    """The day's sessions still to check in, by booked time (a list read of names and times)."""
    require(membership, Capability.VIEW_SCHEDULE)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=membership.clinic.tzinfo)
    sessions = list(
        session_queryset(membership)
        .filter(
            scheduled_start__gte=start,
            scheduled_start__lt=start + dt.timedelta(days=1),
            status=SessionStatus.SCHEDULED,
        )
        .order_by("scheduled_start")
    )
    if sessions:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=f"arrivals {day}",
            patient_ids=[s.patient_id for s in sessions],
        )
    return sessions


def active_session_count(membership: Membership) -> int:
    return TreatmentSession.objects.filter(
        clinic_id=membership.clinic_id, status__in=ACTIVE_STATUSES
    ).count()


@dataclass
class ShiftDay:
    day: dt.date
    shifts: list[StaffShift]


def coming_shifts(*, membership: Membership, start: dt.date, days: int = 14) -> list[ShiftDay]:
    """Who is on shift each day from ``start``, for those who manage the roster (staff data
    only, no patient is read)."""
    require(membership, Capability.MANAGE_SCHEDULE)
    rows = list(
        StaffShift.objects.filter(
            clinic_id=membership.clinic_id,
            on__gte=start,
            on__lt=start + dt.timedelta(days=days),
        ).select_related("member__user")
    )
    return [
        ShiftDay(day, [r for r in rows if r.on == day])
        for day in (start + dt.timedelta(days=n) for n in range(days))
    ]


def get_shift(*, membership: Membership, shift_id: Any) -> StaffShift:
    require(membership, Capability.MANAGE_SCHEDULE)
    try:
        pk = int(shift_id)
    except (TypeError, ValueError):
        raise Http404("No such shift.") from None
    shift = (
        StaffShift.objects.filter(clinic_id=membership.clinic_id, pk=pk)
        .select_related("member__user")
        .first()
    )
    if shift is None:
        raise Http404("No such shift.")
    return shift


def calendar_settings_of(clinic: Clinic) -> ClinicCalendarSettings:
    """The clinic's calendar settings, or the defaults (unsaved) until it changes them."""
    found = ClinicCalendarSettings.objects.filter(clinic=clinic).first()
    return found if found is not None else ClinicCalendarSettings(clinic=clinic)


def clinic_calendar(membership: Membership) -> ClinicCalendar:
    clinic = membership.clinic
    settings = calendar_settings_of(clinic)
    chairs = Chair.objects.filter(clinic=clinic, is_active=True).count() or 1
    return ClinicCalendar(
        open_weekdays=parse_weekdays(settings.open_weekdays),
        hours=OpeningHours(settings.opens, settings.closes),
        holidays=frozenset(dt.date.fromisoformat(d) for d in settings.holidays),
        chairs=chairs,
        tz=clinic.tzinfo,
    )


def visit_minutes(membership: Membership) -> int:
    """How long a consultation or screening visit is booked for by default at this clinic."""
    return int(registry.resolve(VISIT_MINUTES_KEY, membership.clinic.clinical_overrides))


def patient_to_book(*, membership: Membership, mrn: str) -> Patient | None:
    """The clinic's patient with this MRN, for a booking (None: no such patient here)."""
    require(membership, Capability.MANAGE_SCHEDULE)
    return Patient.objects.filter(clinic_id=membership.clinic_id, mrn=mrn.strip()).first()


def sessions_per_nurse(membership: Membership) -> int:
    """How many concurrent dosing sessions one member on shift may monitor at this clinic."""
    return int(registry.resolve(SESSIONS_PER_NURSE_KEY, membership.clinic.clinical_overrides))


@dataclass(frozen=True, slots=True)
class CalendarSettingsPage:
    settings: ClinicCalendarSettings
    active_chairs: int


def calendar_settings(*, membership: Membership) -> CalendarSettingsPage:
    """The calendar settings to edit (clinic data only, no patient is read)."""
    require(membership, Capability.MANAGE_CLINIC)
    chairs = Chair.objects.filter(clinic_id=membership.clinic_id, is_active=True).count()
    return CalendarSettingsPage(calendar_settings_of(membership.clinic), chairs)
