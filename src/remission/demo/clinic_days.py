"""The clinic day by day: sessions booked on chairs, doses given, series ended, follow-ups
(plain Python; nothing here touches the database)."""

from __future__ import annotations

import datetime as dt
import random

from remission.clinical.protocols.monitoring_plan import PREDOSE_OFFSET_MIN
from remission.clinical.synthetic import sessions as syn
from remission.demo.plans import Booking, Plan, utc_of_clinic_minute
from remission.demo.practice import (
    CANCEL_RATE,
    CLOSES,
    FOLLOW_UP_WEEKS,
    MAINTENANCE_INTERVAL_DAYS,
    MAINTENANCE_STOP_AS_PAUSE,
    MAINTENANCE_STOP_PER_DOSE,
    MAINTENANCE_WEEKLY_DOSES,
    NO_SHOW_RATE,
    OPENS,
    RESTART_AFTER_RELAPSE,
    SLOT_STEP_MIN,
    TODAY_TARGETS_MIN,
)
from remission.treatment.models import (
    CoursePhase,
)

# --- The clinic, day by day -----------------------------------------------------------------


def _minute_of(at: dt.datetime, tz: dt.tzinfo) -> int:
    local = at.astimezone(tz)
    return local.hour * 60 + local.minute


class _Chairs:
    """Which chair is taken when, day by day, in clinic wall-clock minutes."""

    def __init__(self, chairs: int) -> None:
        self.chairs = chairs
        self.taken: dict[tuple[dt.date, int], list[tuple[int, int]]] = {}

    def free(self, day: dt.date, start: int, end: int) -> int | None:
        for chair in range(1, self.chairs + 1):
            spans = self.taken.get((day, chair), ())
            if all(end <= s or e <= start for s, e in spans):
                return chair
        return None

    def take(self, day: dt.date, chair: int, start: int, end: int) -> None:
        self.taken.setdefault((day, chair), []).append((start, end))


def simulate(
    plans: list[Plan],
    *,
    now: dt.datetime,
    today: dt.date,
    tz: dt.tzinfo,
    chairs: int,
    future_days: int,
    maintenance_stop: float = MAINTENANCE_STOP_PER_DOSE,
) -> None:
    """Book and run every course day by day on the clinic's chairs (pure Python)."""
    if not plans:
        return
    board = _Chairs(chairs)
    now_min = _minute_of(now, tz)
    opens, closes = OPENS.hour * 60 + OPENS.minute, CLOSES.hour * 60 + CLOSES.minute
    day = min(p.start_day for p in plans)
    last = today + dt.timedelta(days=future_days)
    waiting = sorted(plans, key=lambda p: (p.start_day, p.index))
    active: list[Plan] = []
    while day <= last:
        while waiting and waiting[0].start_day <= day:
            plan = waiting.pop(0)
            plan.next_due = plan.start_day
            active.append(plan)
        for plan in active:
            _advance(plan, day, today, tz)
        active = [p for p in active if not p.finished]
        due = [p for p in active if _wants_dose(p, day)]
        due.sort(key=lambda p: (p.next_due or day, p.index))
        for turn, plan in enumerate(due):
            low, latest, target = opens, closes - plan.duration_min, plan.preferred_min
            if day == today:
                # Today's sessions gather around now, inside the opening hours (and so the
                # shifts): built before opening they are all still to come, built after
                # closing all done, never booked at night.
                anchor = min(max(now_min, opens + 60), closes - 30)
                target = anchor + TODAY_TARGETS_MIN[turn % len(TODAY_TARGETS_MIN)]
            _book(plan, board, day, low, latest, target, now, today, tz, maintenance_stop)
        day += dt.timedelta(days=1)


def _wants_dose(plan: Plan, day: dt.date) -> bool:
    if plan.next_due is None or plan.next_due > day or plan.stop_on is not None:
        return False
    if plan.phase == CoursePhase.INDUCTION:
        if len(plan.doses) >= plan.series or (
            plan.dropout_after is not None and len(plan.doses) >= plan.dropout_after
        ):
            return False
        week = day.isocalendar()[:2]
        this_week = sum(1 for d in plan.dose_days if d.isocalendar()[:2] == week)
        return this_week < plan.protocol.cadence.max_doses_per_week
    return plan.phase == CoursePhase.MAINTENANCE


def _book(
    plan: Plan,
    board: _Chairs,
    day: dt.date,
    low: int,
    latest: int,
    target: int,
    now: dt.datetime,
    today: dt.date,
    tz: dt.tzinfo,
    maintenance_stop: float,
) -> None:
    duration = plan.duration_min
    interval = dt.timedelta(hours=plan.protocol.min_interval_hours())
    first = low + (-low % SLOT_STEP_MIN)
    starts = list(range(first, latest + 1, SLOT_STEP_MIN))
    starts.sort(key=lambda m: (abs(m - target), m))
    for minute in starts:
        chair = board.free(day, minute, minute + duration)
        if chair is None:
            continue
        start = utc_of_clinic_minute(day, minute, tz)
        dose_at = start + dt.timedelta(minutes=-PREDOSE_OFFSET_MIN)
        if plan.doses and dose_at - plan.doses[-1] < interval:
            continue
        board.take(day, chair, minute, minute + duration)
        break
    else:
        return  # no chair today: try again tomorrow
    rng = random.Random(f"book:{plan.key}:{len(plan.bookings)}")
    if day < today:
        roll = rng.random()
        outcome = "dose"
        if roll < NO_SHOW_RATE:
            outcome = "no_show"
        elif roll < NO_SHOW_RATE + CANCEL_RATE:
            outcome = "cancelled"
    else:  # today's sessions are charted up to now; later ones are only booked
        outcome = "dose" if day == today else "booked"
    booking = Booking(
        number=len(plan.bookings) + 1,
        dose_number=len(plan.doses) + 1,
        chair=chair,
        start=start,
        duration_min=duration,
        outcome=outcome,
        phase=plan.phase,
    )
    plan.bookings.append(booking)
    if outcome in ("no_show", "cancelled"):
        plan.next_due = day + dt.timedelta(days=1)
        return
    dose_at = start + dt.timedelta(minutes=rng.randint(10, 16))
    if outcome == "dose":
        booking.dose_at = dose_at
    plan.doses.append(dose_at)  # given, or planned (the interval and cadence count it)
    plan.dose_days.append(day)
    _after_dose(plan, day, rng, today, maintenance_stop)


def _after_dose(
    plan: Plan, day: dt.date, rng: random.Random, today: dt.date, maintenance_stop: float
) -> None:
    if plan.phase == CoursePhase.INDUCTION:
        done = len(plan.doses)
        if plan.dropout_after is not None and done >= plan.dropout_after:
            plan.pending.append((day + dt.timedelta(days=1), "dropout"))
            plan.next_due = None
            return
        if done >= plan.series:
            plan.end_of_series_at = plan.doses[-1] + dt.timedelta(days=1)
            plan.pending.append((day + dt.timedelta(days=1), "end_of_series"))
            plan.next_due = None
            return
        cadence = plan.protocol.cadence
        nxt = day + dt.timedelta(days=cadence.target_gap_days)
        while (
            sum(1 for d in plan.dose_days if d.isocalendar()[:2] == nxt.isocalendar()[:2])
            >= cadence.max_doses_per_week
        ):
            nxt += dt.timedelta(days=1)
        plan.next_due = nxt
        return
    # maintenance
    if plan.weekly_left > 0:
        plan.weekly_left -= 1
        plan.next_due = day + dt.timedelta(days=7)
    else:
        plan.next_due = day + dt.timedelta(days=MAINTENANCE_INTERVAL_DAYS)
    if day < today and rng.random() < maintenance_stop:
        plan.stop_on = day + dt.timedelta(days=1)
        plan.pending.append((plan.stop_on, "stop_maintenance"))


def _advance(plan: Plan, day: dt.date, today: dt.date, tz: dt.tzinfo) -> None:
    """Decisions dated ``day`` (only in the past: nobody decides tomorrow's phase today)."""
    if day >= today:
        return
    due = [event for on, event in plan.pending if on == day]
    if not due:
        return
    plan.pending = [(on, event) for on, event in plan.pending if on != day]
    rng = random.Random(f"decide:{plan.key}:{day}")
    at = utc_of_clinic_minute(day, rng.randint(9 * 60, 16 * 60), tz)
    for event in due:
        if event == "dropout":
            codes = sorted(plan.adverse.first_session) or ["nausea"]
            reason = f"stopped for tolerability ({rng.choice(codes).replace('_', ' ')})"
            _transition(plan, at, CoursePhase.DISCONTINUED, reason)
            plan.discontinued_reason = reason
        elif event == "end_of_series":
            _end_of_series(plan, day, at, rng)
        elif event == "follow_up":
            _follow_up(plan, day, at, rng)
        elif event == "stop_maintenance":
            plan.stop_on = None
            if rng.random() < MAINTENANCE_STOP_AS_PAUSE:
                _transition(plan, at, CoursePhase.PAUSED, "sustained response: maintenance paused")
                _schedule_follow_ups(plan, day)
            else:
                reason = "patient's choice: maintenance stopped (travel, cost)"
                _transition(plan, at, CoursePhase.DISCONTINUED, reason)
                plan.discontinued_reason = reason


def _transition(plan: Plan, at: dt.datetime, to: str, reason: str) -> None:
    plan.transitions.append((at, plan.phase, to, reason))
    plan.phase = to
    plan.next_due = None


def _end_of_series(plan: Plan, day: dt.date, at: dt.datetime, rng: random.Random) -> None:
    profile = plan.profile
    summary = f"PHQ-9 {profile.phq9_baseline} → {profile.phq9_end_of_series}"
    if not profile.responder:
        reason = f"no response after {plan.series} doses ({summary})"
        _transition(plan, at, CoursePhase.DISCONTINUED, reason)
        plan.discontinued_reason = reason
    elif plan.maintain:
        _transition(plan, at, CoursePhase.MAINTENANCE, f"response ({summary}): maintenance")
        plan.weekly_left = MAINTENANCE_WEEKLY_DOSES - 1
        plan.next_due = plan.dose_days[-1] + dt.timedelta(days=7)
    else:
        _transition(
            plan, at, CoursePhase.PAUSED, f"series complete, response ({summary}): PHQ-9 follow-up"
        )
        _schedule_follow_ups(plan, day)


def _schedule_follow_ups(plan: Plan, day: dt.date) -> None:
    for week in range(1, FOLLOW_UP_WEEKS + 1):
        plan.pending.append((day + dt.timedelta(weeks=week), "follow_up"))


def _follow_up(plan: Plan, day: dt.date, at: dt.datetime, rng: random.Random) -> None:
    plan.follow_ups.append(at)
    if plan.phase != CoursePhase.PAUSED:
        return
    expected = plan.profile.expected_phq9(
        doses_before=len(plan.doses),
        days_since_last_dose=(at - plan.doses[-1]).total_seconds() / 86_400,
        series_doses=plan.series,
    )
    lost = expected > plan.profile.phq9_baseline * (1 - syn.RESPONSE_MIN_DROP)
    if lost:
        plan.pending = [(on, e) for on, e in plan.pending if e != "follow_up"]
        if rng.random() < RESTART_AFTER_RELAPSE:
            _transition(
                plan, at, CoursePhase.MAINTENANCE, f"response lost (PHQ-9 ~{round(expected)}): "
                "maintenance restarted",
            )  # fmt: skip
            plan.weekly_left = MAINTENANCE_WEEKLY_DOSES - 1
            plan.next_due = day + dt.timedelta(days=2)
