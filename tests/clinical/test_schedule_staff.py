"""Staff on shift as a scheduling constraint: a dosing session needs a nurse free to monitor it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    PROTOCOLS,
    ChairBooking,
    ClinicCalendar,
    Schedule,
    SessionKind,
    StaffShift,
    generate_schedule,
    get_protocol,
    parse_weekdays,
)
from remission.clinical.protocols.staffing import SESSIONS_PER_NURSE_KEY

D = dt.date
T = dt.time
MON_WED_FRI = parse_weekdays("mon,wed,fri")
WEEKDAYS = parse_weekdays("mon,tue,wed,thu,fri")
START = D(2026, 12, 1)  # a Tuesday


def all_day(start: dt.date, days: int, staff: int = 1) -> list[StaffShift]:
    return [StaffShift(start + dt.timedelta(days=n), T(8), T(18), staff) for n in range(days)]


def schedule(
    protocol_id: str = "iv-induction-3x-weekly",
    *,
    shifts: list[StaffShift] | None,
    chairs: int = 1,
    booked: tuple[ChairBooking, ...] = (),
    days: frozenset[int] = MON_WED_FRI,
    **kwargs: object,
) -> Schedule:
    return generate_schedule(
        get_protocol(protocol_id),
        start=START,
        calendar=ClinicCalendar(open_weekdays=days, chairs=chairs),
        booked=booked,
        preferred_time=T(9),
        shifts=shifts,
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_ratio_is_a_registered_clinic_convention() -> None:
    default = registry.get(SESSIONS_PER_NURSE_KEY)
    assert default.value == 2
    assert (default.minimum, default.maximum) == (1, 6)
    assert default.evidence.citation.startswith("Clinic convention: a clinic staffing convention")


def test_without_shifts_staff_is_not_a_constraint() -> None:
    assert schedule(shifts=None) == schedule(shifts=None, chairs=1)
    assert schedule(shifts=None).moves == ()


def test_a_nurse_on_shift_every_day_changes_nothing() -> None:
    assert schedule(shifts=all_day(START, 30)).sessions == schedule(shifts=None).sessions


@pytest.mark.parametrize(
    ("shift_on_friday", "expected_on", "expected_time", "explanation"),
    [
        (  # no nurse on Friday at all: the dose moves to Monday
            None,
            D(2026, 12, 7),
            T(9),
            "no nurse on shift for a 120-min dosing session on 2026-12-04; moved to 2026-12-07",
        ),
        (  # the nurse starts at 12:00: the dose moves to 12:00
            StaffShift(D(2026, 12, 4), T(12), T(18)),
            D(2026, 12, 4),
            T(12),
            "no nurse on shift for a dosing session on 2026-12-04 at 09:00; moved to 12:00",
        ),
        (  # the nurse leaves at 10:00, during the 2-hour chair time: the dose moves later
            StaffShift(D(2026, 12, 4), T(8), T(10)),
            D(2026, 12, 7),
            T(9),
            "no nurse on shift for a 120-min dosing session on 2026-12-04 at a time with a chair "
            "free that keeps the 48-hour minimum interval after dose 1 (2026-12-02 09:10); "
            "moved to 2026-12-07",
        ),
    ],
)
def test_a_dose_without_a_nurse_on_shift_moves_and_says_why(
    shift_on_friday: StaffShift | None,
    expected_on: dt.date,
    expected_time: dt.time,
    explanation: str,
) -> None:
    shifts = [s for s in all_day(START, 30) if s.on != D(2026, 12, 4)]
    if shift_on_friday is not None:
        shifts.append(shift_on_friday)
    result = schedule(shifts=shifts)
    second = result.sessions[1]
    assert (second.on, second.starts) == (expected_on, expected_time)
    (move,) = [m for m in result.moves if m.dose_number == 2]
    assert move.explanation == explanation


def test_booked_chairs_count_against_the_nurses_ratio() -> None:
    # Three chairs, one nurse monitoring at most two sessions: two chairs busy at 09:00 leave
    # the third chair free but no nurse to watch it.
    busy = (
        ChairBooking(D(2026, 12, 2), T(8), T(11), chair=1),
        ChairBooking(D(2026, 12, 2), T(9), T(11), chair=2),
    )
    result = schedule(shifts=all_day(START, 30), chairs=3, booked=busy)
    first = result.sessions[0]
    assert (first.on, first.starts) == (D(2026, 12, 2), T(11))
    assert result.moves[0].explanation == (
        "no nurse free for a dosing session on 2026-12-02 at 09:00 (1 on shift, 2 sessions each); "
        "moved to 11:00"
    )


def test_a_second_nurse_or_a_higher_ratio_keeps_the_preferred_time() -> None:
    busy = (
        ChairBooking(D(2026, 12, 2), T(8), T(11), chair=1),
        ChairBooking(D(2026, 12, 2), T(9), T(11), chair=2),
    )
    two_nurses = schedule(shifts=all_day(START, 30, staff=2), chairs=3, booked=busy)
    assert two_nurses.sessions[0].starts == T(9)
    ratio_three = schedule(
        shifts=all_day(START, 30),
        chairs=3,
        booked=busy,
        overrides={SESSIONS_PER_NURSE_KEY: 3},
    )
    assert ratio_three.sessions[0].starts == T(9)
    assert ratio_three.moves == ()


def test_shifts_of_two_nurses_add_up() -> None:
    busy = (ChairBooking(D(2026, 12, 2), T(9), T(11), chair=1),)
    shifts = [
        StaffShift(D(2026, 12, 2), T(8), T(18)),
        StaffShift(D(2026, 12, 2), T(8), T(18)),
    ]
    result = schedule(
        shifts=shifts + all_day(D(2026, 12, 3), 30),
        chairs=2,
        booked=busy,
        overrides={SESSIONS_PER_NURSE_KEY: 1},
    )
    assert (result.sessions[0].on, result.sessions[0].starts) == (D(2026, 12, 2), T(9))


def test_therapy_sessions_need_no_nurse() -> None:
    # Nurses only on Mon/Wed/Fri: KAP's preparation and integration sessions stay on their days.
    shifts = [s for s in all_day(START, 60) if s.on.weekday() in MON_WED_FRI]
    result = schedule("kap", shifts=shifts, days=WEEKDAYS)
    therapy = [s for s in result.sessions if s.kind is not SessionKind.DOSING]
    assert any(s.on.weekday() not in MON_WED_FRI for s in therapy)
    for s in result.sessions:
        if s.kind is SessionKind.DOSING:
            assert s.on.weekday() in MON_WED_FRI


def test_days_after_the_roster_are_not_checked_and_the_schedule_says_so() -> None:
    result = schedule(shifts=all_day(START, 4), rostered_until=D(2026, 12, 4))
    assert result.sessions == schedule(shifts=None).sessions
    assert (
        "Staff shifts are recorded until 2026-12-04; 4 dosing session(s) after it are booked "
        "without checking that a nurse is on shift." in result.notes
    )


def test_no_nurse_ever_on_shift_is_refused_rather_than_searched_for_ever() -> None:
    with pytest.raises(ClinicalInputError, match="no nurse on shift"):
        schedule(shifts=[])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"starts": T(10), "ends": T(9)}, "ends before it starts"),
        ({"starts": T(9), "ends": T(9)}, "ends before it starts"),
        ({"starts": T(9), "ends": T(10), "staff": 0}, "at least one member of staff"),
    ],
)
def test_an_impossible_shift_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        StaffShift(on=START, **kwargs)  # type: ignore[arg-type]


def test_a_ratio_outside_its_bounds_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="above the maximum 6"):
        schedule(shifts=all_day(START, 30), overrides={SESSIONS_PER_NURSE_KEY: 7})


# -- property --------------------------------------------------------------------------------

PROPERTY_START = D(2026, 3, 2)


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _clock(minute: int) -> dt.time:
    minute = min(minute, 18 * 60)
    return T(minute // 60, minute % 60)


@st.composite
def staffed_inputs(draw: st.DrawFn) -> dict[str, object]:
    chairs = draw(st.integers(1, 4))
    day = st.integers(0, 60).map(lambda n: PROPERTY_START + dt.timedelta(days=n))
    bookings = draw(
        st.lists(
            st.builds(
                lambda on, hour, length, chair: ChairBooking(
                    on, T(hour), _clock(hour * 60 + length), chair
                ),
                day,
                st.integers(8, 16),
                st.integers(30, 240),
                st.integers(1, chairs),
            ),
            max_size=30,
        )
    )
    # Nurses on most of the first 60 days, with gaps and part-day shifts; a plain roster after.
    shifts = []
    for offset in range(61):
        if draw(st.integers(0, 4)) > 0:
            starts = draw(st.sampled_from([8, 8, 10, 13]))
            shifts.append(
                StaffShift(
                    PROPERTY_START + dt.timedelta(days=offset),
                    T(starts),
                    T(draw(st.integers(starts + 1, 18))),
                    draw(st.integers(1, 2)),
                )
            )
    shifts += all_day(PROPERTY_START + dt.timedelta(days=61), 340)
    ratio = draw(st.integers(1, 3))
    return {
        "protocol": draw(st.sampled_from(list(PROTOCOLS.values()))),
        "calendar": ClinicCalendar(open_weekdays=frozenset(range(7)), chairs=chairs),
        "booked": bookings,
        "shifts": shifts,
        "overrides": {SESSIONS_PER_NURSE_KEY: ratio},
        "preferred_time": draw(st.none() | st.integers(32, 48).map(lambda q: T(q // 4))),
        "start": PROPERTY_START + dt.timedelta(days=draw(st.integers(0, 20))),
    }


@settings(max_examples=100, deadline=None)
@given(staffed_inputs())
def test_never_more_concurrent_dosing_sessions_than_staff_times_ratio(
    inputs: dict[str, object],
) -> None:
    result = generate_schedule(**inputs)  # type: ignore[arg-type]
    shifts: list[StaffShift] = inputs["shifts"]  # type: ignore[assignment]
    booked: list[ChairBooking] = inputs["booked"]  # type: ignore[assignment]
    ratio = inputs["overrides"][SESSIONS_PER_NURSE_KEY]  # type: ignore[index]
    doses = [s for s in result.sessions if s.kind is SessionKind.DOSING]
    running = [(b.on, _minute(b.starts), _minute(b.ends)) for b in booked]
    running += [(s.on, _minute(s.starts), _minute(s.ends)) for s in doses]
    for dose in doses:
        for minute in range(_minute(dose.starts), _minute(dose.ends)):
            staff = sum(
                s.staff
                for s in shifts
                if s.on == dose.on and _minute(s.starts) <= minute and minute < _minute(s.ends)
            )
            concurrent = sum(1 for on, a, b in running if on == dose.on and a <= minute < b)
            assert concurrent <= staff * ratio, (dose, minute, staff, concurrent)
    for move in result.moves:
        assert move.explanation
