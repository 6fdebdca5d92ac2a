"""One booked session moved by hand: the scheduler's rules checked for that slot alone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    ChairBooking,
    ClinicCalendar,
    OpeningHours,
    PatientBooking,
    SessionKind,
    SlotCheck,
    StaffShift,
    check_slot,
    get_protocol,
    parse_weekdays,
)

TZ = ZoneInfo("America/New_York")
IV = get_protocol("iv-induction-3x-weekly")  # 120-min dosing sessions, 48-hour interval
WEDNESDAY = dt.date(2026, 12, 9)
CALENDAR = ClinicCalendar(
    open_weekdays=parse_weekdays("mon,tue,wed,thu,fri"),
    hours=OpeningHours(dt.time(8), dt.time(18)),
    holidays=frozenset({dt.date(2026, 12, 25)}),
    chairs=2,
    tz=TZ,
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _check(starts_at: dt.datetime, kind: SessionKind = SessionKind.DOSING, **kw) -> SlotCheck:  # type: ignore[no-untyped-def]
    return check_slot(IV, kind, starts_at, 120, calendar=CALENDAR, **kw)


def test_a_free_slot_keeps_the_sessions_own_chair() -> None:
    assert _check(_at(WEDNESDAY, 10), current_chair=2) == SlotCheck(2, ())
    assert _check(_at(WEDNESDAY, 10)) == SlotCheck(1, ())


def test_a_closed_day_a_holiday_and_hours_are_refused() -> None:
    saturday = _check(_at(dt.date(2026, 12, 12), 10))
    assert saturday.problems == ("the clinic is closed on Saturday 2026-12-12",)
    holiday = _check(_at(dt.date(2026, 12, 25), 10))
    assert holiday.problems == ("2026-12-25 is a clinic holiday",)
    late = _check(_at(WEDNESDAY, 16, 30))
    assert late.problems == (
        "a 120-min session at 16:30 on 2026-12-09 is outside the opening hours (08:00–18:00)",
    )
    assert _check(_at(WEDNESDAY, 7, 45)).problems[0].startswith("a 120-min session at 07:45")
    assert _check(_at(WEDNESDAY, 16)).problems == ()  # ends exactly at closing


def test_a_taken_chair_moves_the_session_to_a_free_one_or_is_refused() -> None:
    one = ChairBooking(WEDNESDAY, dt.time(9), dt.time(11), chair=1)
    two = ChairBooking(WEDNESDAY, dt.time(10), dt.time(12), chair=2)
    assert _check(_at(WEDNESDAY, 10), booked=[one], current_chair=1) == SlotCheck(2, ())
    full = _check(_at(WEDNESDAY, 10), booked=[one, two], current_chair=1)
    assert full == SlotCheck(None, ("no chair free for a 120-min session at 10:00 on 2026-12-09",))
    assert _check(_at(WEDNESDAY, 12), booked=[one, two], current_chair=1) == SlotCheck(1, ())


def test_the_minimum_interval_holds_on_both_sides() -> None:
    before, after = _at(dt.date(2026, 12, 7), 10), _at(dt.date(2026, 12, 11), 10)
    assert _check(_at(WEDNESDAY, 10), other_doses=[before, after]).problems == ()
    early = _check(_at(WEDNESDAY, 9, 30), other_doses=[before, after])
    assert early.problems == (
        "09:30 on 2026-12-09 is within the 48-hour minimum interval of the dose booked "
        "2026-12-07 10:00",
    )
    late = _check(_at(WEDNESDAY, 10, 30), other_doses=[before, after])
    assert late.problems[0].endswith("of the dose booked 2026-12-11 10:00")


def test_staff_on_shift_are_checked_up_to_the_end_of_the_roster() -> None:
    shifts = [StaffShift(WEDNESDAY, dt.time(8), dt.time(11))]
    short = _check(_at(WEDNESDAY, 10), shifts=shifts, rostered_until=WEDNESDAY)
    assert short.problems == ("no nurse on shift for a dosing session on 2026-12-09 at 10:00",)
    busy = [ChairBooking(WEDNESDAY, dt.time(9), dt.time(11), chair=c) for c in (1,)]
    ratio = _check(
        _at(WEDNESDAY, 9),
        shifts=[StaffShift(WEDNESDAY, dt.time(8), dt.time(18))],
        rostered_until=WEDNESDAY,
        booked=busy,
        overrides={"protocols.dosing_sessions_per_nurse": 1},
    )
    assert ratio.problems == (
        "no nurse free for a dosing session on 2026-12-09 at 09:00 (1 on shift, 1 session each)",
    )
    unrostered = _check(
        _at(WEDNESDAY, 10), shifts=shifts, rostered_until=WEDNESDAY - dt.timedelta(1)
    )
    assert unrostered.problems == ()


def test_a_therapy_session_needs_only_the_clinic_open() -> None:
    taken = [ChairBooking(WEDNESDAY, dt.time(9), dt.time(11), chair=c) for c in (1, 2)]
    therapy = _check(_at(WEDNESDAY, 10), SessionKind.INTEGRATION, booked=taken, shifts=[])
    assert therapy == SlotCheck(None, ())


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ClinicalInputError):
        _check(dt.datetime(2026, 12, 9, 10))


def test_a_move_over_another_session_of_the_patient_is_refused() -> None:
    therapy = PatientBooking(_at(WEDNESDAY, 11), _at(WEDNESDAY, 12), is_dose=False)
    over = _check(_at(WEDNESDAY, 10), patient_booked=[therapy])
    assert over.problems == ("the patient has another session booked 2026-12-09 11:00–12:00",)
    assert _check(_at(WEDNESDAY, 12), patient_booked=[therapy]).problems == ()
    preparation = _check(_at(WEDNESDAY, 11, 30), SessionKind.PREPARATION, patient_booked=[therapy])
    assert preparation.problems == over.problems


def test_a_third_esketamine_dose_in_a_week_is_refused() -> None:
    """Label: twice weekly in induction. Monday and Wednesday booked; Friday is refused, the
    next Monday is not."""
    esketamine = get_protocol("esketamine-induction")
    monday = dt.date(2026, 12, 7)
    booked = [_at(monday, 9), _at(monday + dt.timedelta(days=2), 9)]

    def move(day: dt.date) -> SlotCheck:
        return check_slot(
            esketamine, SessionKind.DOSING, _at(day, 9), 150, calendar=CALENDAR, other_doses=booked
        )

    (problem,) = move(monday + dt.timedelta(days=4)).problems
    assert "already has 2 doses booked: the protocol allows at most 2 a week" in problem
    assert move(monday + dt.timedelta(days=7)).problems == ()
