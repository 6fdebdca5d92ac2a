"""Dated sessions for a protocol on a clinic's calendar, with the reason for every move.

Each dose's *intended* date follows the protocol's cadence from the previous dose, on the
clinic's regular open weekdays. The session then takes the first date on or after its intended
date that is not a holiday, has opening hours long enough, has a chair free, has a nurse on
shift free to monitor a dosing session (when the clinic gives its staff shifts) and keeps the
minimum interval after the previous dose; when that date or the preferred time could not be
kept, the schedule says why. Times are the clinic's wall-clock times; intervals are measured
on aware datetimes so that a change to or from daylight saving time cannot shorten them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.protocols.definitions import Protocol, SessionKind
from remission.clinical.protocols.monitoring_plan import PREDOSE_OFFSET_MIN
from remission.clinical.protocols.staffing import (
    SESSIONS_PER_NURSE_KEY,
    Span,
    StaffShift,
    coverage,
    minute_of,
    time_of,
)
from remission.clinical.registry import Overrides

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Past this many days the calendar is treated as full rather than searched for ever.
SEARCH_HORIZON_DAYS = 366
MAX_DOSING_SESSIONS = 60
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class OpeningHours:
    opens: dt.time
    closes: dt.time

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ClinicalInputError(f"opening hours {self.text}: opening must precede closing")

    @property
    def text(self) -> str:
        return f"{_hhmm(self.opens)}–{_hhmm(self.closes)}"


DEFAULT_OPENING_HOURS = OpeningHours(dt.time(8), dt.time(18))


@dataclass(frozen=True)
class ClinicCalendar:
    """When the clinic doses: open weekdays (0 = Monday), hours, holidays and infusion chairs."""

    open_weekdays: frozenset[int]
    hours: OpeningHours = DEFAULT_OPENING_HOURS
    hours_by_weekday: Mapping[int, OpeningHours] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    chairs: int = 1
    tz: dt.tzinfo = dt.UTC
    slot_step_min: int = 15

    def __post_init__(self) -> None:
        object.__setattr__(self, "open_weekdays", frozenset(self.open_weekdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        if not self.open_weekdays:
            raise ClinicalInputError("the clinic calendar has no open weekdays")
        if not self.open_weekdays <= set(range(7)):
            raise ClinicalInputError("open weekdays must be 0 (Monday) to 6 (Sunday)")
        closed = set(self.hours_by_weekday) - self.open_weekdays
        if closed:
            names = ", ".join(WEEKDAY_NAMES[d] for d in sorted(closed))
            raise ClinicalInputError(f"opening hours given for closed weekdays: {names}")
        if self.chairs < 1:
            raise ClinicalInputError(f"a clinic needs at least one chair, got {self.chairs}")
        if not 1 <= self.slot_step_min <= 60:
            raise ClinicalInputError("slot_step_min must be 1 to 60 minutes")

    def is_open_weekday(self, day: dt.date) -> bool:
        return day.weekday() in self.open_weekdays

    def hours_on(self, day: dt.date) -> OpeningHours:
        return self.hours_on_weekday(day.weekday())

    def hours_on_weekday(self, weekday: int) -> OpeningHours:
        return self.hours_by_weekday.get(weekday, self.hours)

    def aware(self, day: dt.date, minute_of_day: int) -> dt.datetime:
        local = dt.datetime.combine(day, time_of(minute_of_day), tzinfo=self.tz)
        return local.astimezone(dt.UTC)


@dataclass(frozen=True, slots=True)
class ChairBooking:
    """A chair already taken (by another patient) on a date, in clinic wall-clock time."""

    on: dt.date
    starts: dt.time
    ends: dt.time
    chair: int = 1


@dataclass(frozen=True, slots=True)
class PatientBooking:
    """A session the patient already has (any course): no new session may overlap it, and a
    new dose keeps the minimum interval from it when it is a dose."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    is_dose: bool


@dataclass(frozen=True, slots=True)
class ScheduledSession:
    sequence: int
    kind: SessionKind
    dose_number: int | None
    on: dt.date
    starts: dt.time
    ends: dt.time
    chair: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True, slots=True)
class SessionMove:
    """Why a session is not on its intended date (or at the preferred time)."""

    sequence: int
    kind: SessionKind
    dose_number: int | None
    intended_on: dt.date
    scheduled_on: dt.date
    scheduled_time: dt.time
    reasons: tuple[str, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Schedule:
    protocol_id: str
    min_interval_hours: int
    chair_occupancy_min: int
    sessions: tuple[ScheduledSession, ...]
    moves: tuple[SessionMove, ...]
    notes: tuple[str, ...]


def parse_weekdays(text: str) -> frozenset[int]:
    """``"mon,wed,fri"`` → ``{0, 2, 4}``."""
    days = set()
    for name in text.split(","):
        key = name.strip().lower()[:3]
        if key not in WEEKDAY_NAMES:
            raise ClinicalInputError(f"unknown weekday {name.strip()!r}; use mon,tue,…,sun")
        days.add(WEEKDAY_NAMES.index(key))
    return frozenset(days)


def generate_schedule(
    protocol: Protocol,
    *,
    start: dt.date,
    calendar: ClinicCalendar,
    booked: Iterable[ChairBooking] = (),
    preferred_time: dt.time | None = None,
    today: dt.date | None = None,
    last_dose_at: dt.datetime | None = None,
    dosing_sessions: int | None = None,
    overrides: Overrides | None = None,
    shifts: Iterable[StaffShift] | None = None,
    rostered_until: dt.date | None = None,
    patient_booked: Iterable[PatientBooking] = (),
) -> Schedule:
    """Date the sessions of ``protocol`` from ``start`` on ``calendar``; pure and deterministic.

    ``booked`` holds chairs other patients already occupy; ``last_dose_at`` is the start of the
    patient's previous dose (e.g. the last induction infusion before maintenance), which the
    minimum interval also respects; ``dosing_sessions`` overrides the protocol's count (the
    remaining doses of a course, or a maintenance horizon).

    ``shifts`` are the nurses on shift: when given, a dosing session is only placed where, for
    its whole chair time, nurses on shift × ``protocols.dosing_sessions_per_nurse`` exceeds the
    dosing sessions already running (every ``booked`` chair counts as one). Therapy sessions
    need no nurse. ``None`` leaves staff out of scheduling. Days after ``rostered_until`` (the
    end of the published roster) are not checked for staff, and the schedule notes it.

    ``patient_booked`` are the patient's sessions already booked (other courses): no session is
    placed over one, and no dose within the minimum interval of a booked dose.
    """
    if today is not None and start < today:
        raise ClinicalInputError(f"start {start} is in the past (today is {today})")
    count = protocol.dosing_sessions if dosing_sessions is None else dosing_sessions
    if not 1 <= count <= MAX_DOSING_SESSIONS:
        raise ClinicalInputError(f"dosing sessions must be 1 to {MAX_DOSING_SESSIONS}, got {count}")
    planner = _Planner(protocol, calendar, booked, preferred_time, overrides)
    planner.set_patient_bookings(patient_booked)
    if shifts is not None:
        planner.set_shifts(shifts, rostered_until)
    if last_dose_at is not None:
        planner.previous_dose = _Dose(require_aware(last_dose_at, "last_dose_at"), "the last dose")
    sessions = planner.plan(start, count)
    notes = list(protocol.notes)
    if count != protocol.dosing_sessions:
        notes.append(
            f"{count} dosing sessions scheduled; the protocol has {protocol.dosing_sessions}."
        )
    if rostered_until is not None and shifts is not None:
        unchecked = [s for s in sessions if s.kind is SessionKind.DOSING and s.on > rostered_until]
        if unchecked:
            notes.append(
                f"Staff shifts are recorded until {rostered_until}; {len(unchecked)} dosing "
                "session(s) after it are booked without checking that a nurse is on shift."
            )
    return Schedule(
        protocol_id=protocol.id,
        min_interval_hours=planner.interval_hours,
        chair_occupancy_min=planner.durations[SessionKind.DOSING],
        sessions=tuple(sessions),
        moves=tuple(planner.moves),
        notes=tuple(notes),
    )


@dataclass(frozen=True, slots=True)
class SlotCheck:
    """Whether one booked session may move to a slot: the chair it would take, or why not."""

    chair: int | None
    problems: tuple[str, ...]


def check_slot(
    protocol: Protocol,
    kind: SessionKind,
    starts_at: dt.datetime,
    duration_min: int,
    *,
    calendar: ClinicCalendar,
    booked: Iterable[ChairBooking] = (),
    current_chair: int | None = None,
    other_doses: Iterable[dt.datetime] = (),
    overrides: Overrides | None = None,
    shifts: Iterable[StaffShift] | None = None,
    rostered_until: dt.date | None = None,
    patient_booked: Iterable[PatientBooking] = (),
) -> SlotCheck:
    """The scheduler's rules for one session moved by hand to ``starts_at``: an open day, not a
    holiday, within opening hours; and for a dosing session a free chair (its own first), the
    minimum interval from the patient's ``other_doses`` (session starts, either side) and, up
    to ``rostered_until``, staff on shift free to monitor it, and no more doses in the calendar
    week than the protocol's cadence allows (the label's twice weekly for esketamine induction).
    ``booked`` must leave out the
    session's own chair booking; ``patient_booked``, the patient's other sessions, which it may
    not overlap."""
    local = require_aware(starts_at, "starts_at").astimezone(calendar.tz)
    day, start_min = local.date(), minute_of(local.time())
    at = f"{local:%H:%M} on {day}"
    problems = open_slot_problems(starts_at, duration_min, calendar, patient_booked)
    if kind is not SessionKind.DOSING:
        return SlotCheck(None, tuple(problems))
    planner = _Planner(protocol, calendar, booked, None, overrides)
    if shifts is not None:
        planner.set_shifts(shifts, rostered_until)
    keeps_chair = current_chair is not None and planner.chair_is_free(
        day, current_chair, start_min, duration_min
    )
    chair = current_chair if keeps_chair else planner.free_chair(day, start_min, duration_min)
    if chair is None:
        problems.append(f"no chair free for a {duration_min}-min session at {at}")
    interval = dt.timedelta(hours=planner.interval_hours)
    doses = sorted(require_aware(d, "other_doses") for d in other_doses)
    for dose in doses:
        if abs(starts_at - dose) < interval:
            other = dose.astimezone(calendar.tz)
            problems.append(
                f"{at} is within the {planner.interval_hours}-hour minimum interval of the dose "
                f"booked {other:%Y-%m-%d %H:%M}"
            )
    cap = protocol.cadence.max_doses_per_week
    same_week = [d for d in doses if _iso_week(d.astimezone(calendar.tz).date()) == _iso_week(day)]
    if len(same_week) >= cap:
        doses_text = f"{len(same_week)} dose{'' if len(same_week) == 1 else 's'}"
        problems.append(
            f"the week of {day} already has {doses_text} booked: the protocol allows at most "
            f"{cap} a week ({protocol.cadence.text})"
        )
    staff_problem = planner.staff_problem(day, start_min, duration_min)
    if staff_problem:
        problems.append(staff_problem)
    return SlotCheck(chair, tuple(problems))


def open_slot_problems(
    starts_at: dt.datetime,
    duration_min: int,
    calendar: ClinicCalendar,
    patient_booked: Iterable[PatientBooking] = (),
) -> list[str]:
    """What every booking by hand must meet: an open day, not a holiday, within opening hours,
    and no overlap with the patient's other sessions."""
    local = require_aware(starts_at, "starts_at").astimezone(calendar.tz)
    day, start_min = local.date(), minute_of(local.time())
    problems: list[str] = []
    if not calendar.is_open_weekday(day):
        problems.append(f"the clinic is closed on {day:%A} {day}")
    elif day in calendar.holidays:
        problems.append(f"{day} is a clinic holiday")
    else:
        hours = calendar.hours_on(day)
        window = _start_window(hours, duration_min)
        if window is None or not window[0] <= start_min <= window[1]:
            problems.append(
                f"a {duration_min}-min session at {local:%H:%M} on {day} is outside the "
                f"opening hours ({hours.text})"
            )
    ends_at = starts_at + dt.timedelta(minutes=duration_min)
    for booking in patient_booked:
        if starts_at < booking.ends_at and booking.starts_at < ends_at:
            problems.append(_overlap_text(booking, calendar.tz))
    return problems


@dataclass(frozen=True, slots=True)
class _Dose:
    at: dt.datetime  # dose start, UTC
    label: str


@dataclass(frozen=True, slots=True)
class _Slot:
    start_min: int
    chair: int | None


@dataclass(frozen=True, slots=True)
class _DayOutcome:
    slot: _Slot | None
    reason: str  # why the day failed, or why the slot is not at the preferred time


class _Planner:
    def __init__(
        self,
        protocol: Protocol,
        calendar: ClinicCalendar,
        booked: Iterable[ChairBooking],
        preferred_time: dt.time | None,
        overrides: Overrides | None,
    ) -> None:
        self.protocol = protocol
        self.calendar = calendar
        self.preferred_time = preferred_time
        self.interval_hours = protocol.min_interval_hours(overrides)
        self.durations = {t.kind: t.duration_min for t in protocol.session_timings(overrides)}
        self.occupied: dict[tuple[dt.date, int], list[tuple[int, int]]] = {}
        self.dosing_spans: dict[dt.date, list[tuple[int, int]]] = {}
        # per day: (span, staff) of each shift, as ``staffing.coverage`` reads them
        self.shifts: dict[dt.date, list[tuple[Span, int]]] | None = None
        self.rostered_until: dt.date | None = None
        self.sessions_per_nurse = int(registry.resolve(SESSIONS_PER_NURSE_KEY, overrides))
        self.previous_dose: _Dose | None = None
        self.patient_booked: list[PatientBooking] = []
        self.moves: list[SessionMove] = []
        self.sessions: list[ScheduledSession] = []
        for booking in booked:
            self._add_booking(booking)
        self._check_hours_can_fit()

    # -- inputs -------------------------------------------------------------------------------

    def _add_booking(self, booking: ChairBooking) -> None:
        if not 1 <= booking.chair <= self.calendar.chairs:
            raise ClinicalInputError(
                f"booking on {booking.on} uses chair {booking.chair}; "
                f"the clinic has chairs 1 to {self.calendar.chairs}"
            )
        if booking.starts >= booking.ends:
            raise ClinicalInputError(f"booking on {booking.on} ends before it starts")
        span = (minute_of(booking.starts), minute_of(booking.ends))
        self.occupied.setdefault((booking.on, booking.chair), []).append(span)
        self.dosing_spans.setdefault(booking.on, []).append(span)

    def set_patient_bookings(self, bookings: Iterable[PatientBooking]) -> None:
        for booking in bookings:
            require_aware(booking.starts_at, "patient_booked")
            self.patient_booked.append(booking)

    def _patient_conflict(self, day: dt.date, start_min: int, kind: SessionKind) -> str:
        """Why the patient cannot have this session here (their other bookings), or ""."""
        starts_at = self.calendar.aware(day, start_min)
        ends_at = starts_at + dt.timedelta(minutes=self.durations[kind])
        interval = dt.timedelta(hours=self.interval_hours)
        for other in self.patient_booked:
            if starts_at < other.ends_at and other.starts_at < ends_at:
                return _overlap_text(other, self.calendar.tz)
            too_close = abs(starts_at - other.starts_at) < interval
            if kind is SessionKind.DOSING and other.is_dose and too_close:
                local = other.starts_at.astimezone(self.calendar.tz)
                return (
                    f"{_clock(start_min)} on {day} is within the {self.interval_hours}-hour "
                    f"minimum interval of the dose booked {local:%Y-%m-%d %H:%M}"
                )
        return ""

    def set_shifts(self, shifts: Iterable[StaffShift], rostered_until: dt.date | None) -> None:
        self.shifts = {}
        self.rostered_until = rostered_until
        for shift in shifts:
            self.shifts.setdefault(shift.on, []).append((shift.span, shift.staff))

    def _check_hours_can_fit(self) -> None:
        duration = self.durations[SessionKind.DOSING]
        windows = [self._window(d, duration) for d in sorted(self.calendar.open_weekdays)]
        if all(w is None for w in windows):
            raise ClinicalInputError(
                f"no clinic day has opening hours long enough for a {duration}-min dosing session"
            )
        if self.preferred_time is not None:
            wanted = minute_of(self.preferred_time)
            if not any(w and w[0] <= wanted <= w[1] for w in windows):
                raise ClinicalInputError(
                    f"a {duration}-min session at {_hhmm(self.preferred_time)} does not fit the "
                    "opening hours of any clinic day"
                )

    def _window(self, weekday: int, duration_min: int) -> tuple[int, int] | None:
        """First and last start minute for a session on ``weekday``, or None if it cannot fit."""
        return _start_window(self.calendar.hours_on_weekday(weekday), duration_min)

    # -- the course ---------------------------------------------------------------------------

    def plan(self, start: dt.date, dosing_sessions: int) -> list[ScheduledSession]:
        protocol = self.protocol
        after: tuple[dt.date, str] | None = None  # the last therapy session a dose must follow
        for index in range(protocol.preparation_sessions_before_course):
            intended = self._next_open(start if after is None else after[0] + _ONE_DAY)
            session = self._place(SessionKind.PREPARATION, None, intended, after)
            after = (session.on, f"preparation session {index + 1}")
        intended = self._next_open(start if after is None else after[0] + _ONE_DAY)
        dose_days: list[dt.date] = []
        for number in range(1, dosing_sessions + 1):
            if dose_days:
                intended = self._next_dose_day(dose_days)
            following = self._later(after, self._previous_dose_day())
            dose = self._place(SessionKind.DOSING, number, intended, following)
            dose_days.append(dose.on)
            self.previous_dose = _Dose(
                dose.starts_at + dt.timedelta(minutes=-PREDOSE_OFFSET_MIN), f"dose {number}"
            )
            after = None
            for index in range(protocol.integration_sessions_after_each_dose):
                anchor = dose.on if after is None else after[0]
                intended_day = self._next_open(anchor + _ONE_DAY)
                session = self._place(SessionKind.INTEGRATION, number, intended_day, after)
                after = (session.on, f"integration session {index + 1} after dose {number}")
        return self.sessions

    def _next_dose_day(self, dose_days: list[dt.date]) -> dt.date:
        """The protocol's rhythm after the last dose, on the clinic's regular weekdays.

        Holidays and bookings are left to ``_place`` so that a move is reported; counting from
        the dose's actual day keeps the cadence's spacing after a move.
        """
        cadence = self.protocol.cadence
        day = dose_days[-1] + dt.timedelta(days=cadence.target_gap_days)
        while not self.calendar.is_open_weekday(day) or (
            sum(_iso_week(d) == _iso_week(day) for d in dose_days) >= cadence.max_doses_per_week
        ):
            day += _ONE_DAY
        return day

    def _next_open(self, day: dt.date) -> dt.date:
        while not self.calendar.is_open_weekday(day):
            day += _ONE_DAY
        return day

    def _previous_dose_day(self) -> tuple[dt.date, str] | None:
        if self.previous_dose is None:
            return None
        return self.previous_dose.at.astimezone(self.calendar.tz).date(), self.previous_dose.label

    @staticmethod
    def _later(
        a: tuple[dt.date, str] | None, b: tuple[dt.date, str] | None
    ) -> tuple[dt.date, str] | None:
        if a is None or b is None:
            return a or b
        return a if a[0] >= b[0] else b

    # -- one session --------------------------------------------------------------------------

    def _place(
        self,
        kind: SessionKind,
        dose_number: int | None,
        intended: dt.date,
        must_follow: tuple[dt.date, str] | None,
    ) -> ScheduledSession:
        reasons: list[str] = []
        day = intended
        if must_follow is not None and must_follow[0] >= intended:
            reasons.append(f"must follow {must_follow[1]} on {must_follow[0]}")
            day = must_follow[0] + _ONE_DAY
        for _ in range(SEARCH_HORIZON_DAYS):
            if not self.calendar.is_open_weekday(day):
                day += _ONE_DAY
                continue
            if day in self.calendar.holidays:
                reasons.append(f"{day} is a clinic holiday")
                day += _ONE_DAY
                continue
            outcome = self._try_day(day, kind)
            if outcome.slot is not None:
                break
            reasons.append(outcome.reason)
            day += _ONE_DAY
        else:
            what = _session_label(kind, dose_number)
            raise ClinicalInputError(
                f"no date within {SEARCH_HORIZON_DAYS} days after {intended} can take {what}: "
                f"{reasons[-1] if reasons else 'no open day'}"
            )
        session = self._book(kind, dose_number, day, outcome.slot)
        moved_time = self.preferred_time is not None and outcome.slot.start_min != minute_of(
            self.preferred_time
        )
        if moved_time and outcome.reason:
            reasons.append(outcome.reason)
        if day != intended or moved_time:
            self._record_move(session, intended, reasons)
        return session

    def _week_is_full(self, day: dt.date) -> str:
        """Why no further dose fits in ``day``'s calendar week (the cadence's cap), or ""."""
        week = _iso_week(day)
        planned = sum(
            1 for s in self.sessions if s.kind is SessionKind.DOSING and _iso_week(s.on) == week
        )
        booked = sum(
            1
            for b in self.patient_booked
            if b.is_dose and _iso_week(b.starts_at.astimezone(self.calendar.tz).date()) == week
        )
        cap = self.protocol.cadence.max_doses_per_week
        if planned + booked < cap:
            return ""
        return f"the week of {day} already has {planned + booked} doses (at most {cap} a week)"

    def _try_day(self, day: dt.date, kind: SessionKind) -> _DayOutcome:
        duration = self.durations[kind]
        if kind is SessionKind.DOSING:
            full = self._week_is_full(day)
            if full:
                return _DayOutcome(None, full)
        hours = self.calendar.hours_on(day)
        window = self._window(day.weekday(), duration)
        if window is None:
            return _DayOutcome(
                None,
                f"opening hours on {day} ({hours.text}) are too short for a {duration}-min session",
            )
        preferred = minute_of(self.preferred_time or hours.opens)
        candidates = set(range(window[0], window[1] + 1, self.calendar.slot_step_min))
        first_rejection = ""
        if window[0] <= preferred <= window[1]:
            candidates.add(preferred)
        else:
            first_rejection = (
                f"{_clock(preferred)} is outside the opening hours on {day} ({hours.text})"
            )
        nearest_first = sorted(candidates, key=lambda m: (abs(m - preferred), m))
        if kind is not SessionKind.DOSING:  # therapy sessions need neither chair nor interval
            for start_min in nearest_first:
                conflict = self._patient_conflict(day, start_min, kind)
                if not conflict:
                    return _DayOutcome(_Slot(start_min, None), first_rejection)
                first_rejection = first_rejection or conflict
            return _DayOutcome(None, f"the patient has other sessions all day on {day}")
        any_chair_free = any_interval_kept = any_chair_and_interval = any_staffed = False
        last_conflict = ""
        for start_min in nearest_first:
            conflict = self._patient_conflict(day, start_min, kind)
            if conflict:
                last_conflict = conflict
                first_rejection = first_rejection or conflict
                continue
            chair = self.free_chair(day, start_min, duration)
            keeps_interval = not self._breaks_interval(day, start_min)
            staff_problem = self.staff_problem(day, start_min, duration)
            if chair is not None and keeps_interval and not staff_problem:
                return _DayOutcome(_Slot(start_min, chair), first_rejection)
            any_chair_free = any_chair_free or chair is not None
            any_interval_kept = any_interval_kept or keeps_interval
            any_chair_and_interval = any_chair_and_interval or (
                chair is not None and keeps_interval
            )
            any_staffed = any_staffed or not staff_problem
            if not first_rejection:
                at = f"{_clock(start_min)} on {day}"
                if not keeps_interval:
                    first_rejection = f"{at} {self._interval_text()}"
                elif chair is None:
                    first_rejection = f"no chair free at {at}"
                else:
                    first_rejection = staff_problem
        tried = any_chair_free or any_interval_kept or any_staffed
        if last_conflict and not tried:
            reason = f"the patient's other bookings leave no time on {day}: {last_conflict}"
        elif not any_chair_free:
            reason = f"no chair free on {day} for a {duration}-min session ({hours.text})"
        elif not any_interval_kept:
            reason = f"{day} {self._interval_text()}"
        elif not any_chair_and_interval:
            reason = f"no chair free on {day} at a time that keeps the {self._interval_rule()}"
        else:
            reason = f"no nurse on shift for a {duration}-min dosing session on {day}"
            if any_staffed:
                reason += " at a time with a chair free"
                if self.previous_dose is not None:
                    reason += f" that keeps the {self._interval_rule()}"
        return _DayOutcome(None, reason)

    def staff_problem(self, day: dt.date, start_min: int, duration_min: int) -> str:
        """Why no nurse on shift can monitor a dosing session here, or "" when one can."""
        if self.shifts is None or (self.rostered_until is not None and day > self.rostered_until):
            return ""
        running = self.dosing_spans.get(day, [])
        at = f"on {day} at {_clock(start_min)}"
        within = (start_min, start_min + duration_min)
        for point in coverage(self.shifts.get(day, []), running, within):
            if point.staff == 0:
                return f"no nurse on shift for a dosing session {at}"
            if point.running >= point.capacity(self.sessions_per_nurse):
                each = self.sessions_per_nurse
                return (
                    f"no nurse free for a dosing session {at} ({point.staff} on shift, "
                    f"{each} session{'' if each == 1 else 's'} each)"
                )
        return ""

    def _breaks_interval(self, day: dt.date, start_min: int) -> bool:
        if self.previous_dose is None:
            return False
        dose_at = self.calendar.aware(day, start_min) + dt.timedelta(minutes=-PREDOSE_OFFSET_MIN)
        return dose_at - self.previous_dose.at < dt.timedelta(hours=self.interval_hours)

    def _interval_rule(self) -> str:
        assert self.previous_dose is not None
        local = self.previous_dose.at.astimezone(self.calendar.tz)
        return (
            f"{self.interval_hours}-hour minimum interval after "
            f"{self.previous_dose.label} ({local:%Y-%m-%d %H:%M})"
        )

    def _interval_text(self) -> str:
        return f"would break the {self._interval_rule()}"

    def free_chair(self, day: dt.date, start_min: int, duration_min: int) -> int | None:
        for chair in range(1, self.calendar.chairs + 1):
            if self.chair_is_free(day, chair, start_min, duration_min):
                return chair
        return None

    def chair_is_free(self, day: dt.date, chair: int, start_min: int, duration_min: int) -> bool:
        end_min = start_min + duration_min
        spans = self.occupied.get((day, chair), [])
        return all(end_min <= s or e <= start_min for s, e in spans)

    def _book(
        self, kind: SessionKind, dose_number: int | None, day: dt.date, slot: _Slot
    ) -> ScheduledSession:
        end_min = slot.start_min + self.durations[kind]
        if slot.chair is not None:
            self.occupied.setdefault((day, slot.chair), []).append((slot.start_min, end_min))
            self.dosing_spans.setdefault(day, []).append((slot.start_min, end_min))
        session = ScheduledSession(
            sequence=len(self.sessions) + 1,
            kind=kind,
            dose_number=dose_number,
            on=day,
            starts=time_of(slot.start_min),
            ends=time_of(end_min),
            chair=slot.chair,
            starts_at=self.calendar.aware(day, slot.start_min),
            ends_at=self.calendar.aware(day, end_min),
        )
        self.sessions.append(session)
        return session

    def _record_move(
        self, session: ScheduledSession, intended: dt.date, reasons: list[str]
    ) -> None:
        if session.on != intended:
            where = f"moved to {session.on}"
            if self.preferred_time is not None and session.starts != self.preferred_time:
                where += f" at {_hhmm(session.starts)}"
        else:
            where = f"moved to {_hhmm(session.starts)}"
        self.moves.append(
            SessionMove(
                sequence=session.sequence,
                kind=session.kind,
                dose_number=session.dose_number,
                intended_on=intended,
                scheduled_on=session.on,
                scheduled_time=session.starts,
                reasons=tuple(reasons),
                explanation="; ".join([*reasons, where]),
            )
        )


def _overlap_text(other: PatientBooking, tz: dt.tzinfo) -> str:
    start, end = other.starts_at.astimezone(tz), other.ends_at.astimezone(tz)
    what = "dose" if other.is_dose else "session"
    return f"the patient has another {what} booked {start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _session_label(kind: SessionKind, dose_number: int | None) -> str:
    if kind is SessionKind.DOSING:
        return f"dose {dose_number}"
    if kind is SessionKind.INTEGRATION:
        return f"the integration session after dose {dose_number}"
    return "the preparation session"


def _iso_week(day: dt.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def _start_window(hours: OpeningHours, duration_min: int) -> tuple[int, int] | None:
    """First and last start minute for a session within ``hours``, or None if it cannot fit."""
    first, last = minute_of(hours.opens), minute_of(hours.closes) - duration_min
    return (first, last) if first <= last else None


def _hhmm(value: dt.time) -> str:
    return f"{value:%H:%M}"


def _clock(minute_of_day: int) -> str:
    return _hhmm(time_of(minute_of_day))
