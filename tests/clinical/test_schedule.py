"""Dating a protocol's sessions on a clinic calendar: rules, moves and their reasons."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import (
    PROTOCOLS,
    ChairBooking,
    ClinicCalendar,
    OpeningHours,
    PatientBooking,
    Schedule,
    SessionKind,
    generate_schedule,
    get_protocol,
    parse_weekdays,
)

D = dt.date
T = dt.time
NINE = T(9)
MON_WED_FRI = parse_weekdays("mon,wed,fri")
WEEKDAYS = parse_weekdays("mon,tue,wed,thu,fri")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def schedule(
    protocol_id: str,
    start: dt.date,
    *,
    days: frozenset[int] = MON_WED_FRI,
    holidays: frozenset[dt.date] = frozenset(),
    chairs: int = 1,
    booked: tuple[ChairBooking, ...] = (),
    preferred: dt.time | None = NINE,
    **kwargs: object,
) -> Schedule:
    calendar = ClinicCalendar(open_weekdays=days, holidays=holidays, chairs=chairs)
    return generate_schedule(
        get_protocol(protocol_id),
        start=start,
        calendar=calendar,
        booked=booked,
        preferred_time=preferred,
        **kwargs,  # type: ignore[arg-type]
    )


def dates(result: Schedule) -> list[str]:
    return [s.on.isoformat() for s in result.sessions]


@pytest.mark.parametrize(
    ("protocol_id", "days", "start", "expected"),
    [
        (
            "iv-induction-3x-weekly",
            MON_WED_FRI,
            D(2026, 12, 1),
            ["2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11", "2026-12-14"],
        ),
        (  # open every weekday, 3×/week still lands on Mon/Wed/Fri
            "iv-induction-3x-weekly",
            WEEKDAYS,
            D(2026, 11, 30),
            ["2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11"],
        ),
        (  # open seven days: the weekly cap stops a fourth dose on Sunday
            "iv-induction-3x-weekly",
            frozenset(range(7)),
            D(2026, 11, 30),
            ["2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11"],
        ),
        (
            "iv-induction-2x-weekly",
            WEEKDAYS,
            D(2026, 11, 30),
            ["2026-11-30", "2026-12-03", "2026-12-07", "2026-12-10", "2026-12-14", "2026-12-17"],
        ),
        (
            "iv-maintenance",
            WEEKDAYS,
            D(2026, 12, 2),
            ["2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23"],
        ),
        (
            "esketamine-maintenance",
            WEEKDAYS,
            D(2026, 12, 1),
            ["2026-12-01", "2026-12-15", "2026-12-29", "2027-01-12", "2027-01-26", "2027-02-09"],
        ),
    ],
)
def test_doses_follow_the_protocol_cadence_on_clinic_days(
    protocol_id: str, days: frozenset[int], start: dt.date, expected: list[str]
) -> None:
    result = schedule(protocol_id, start, days=days)
    assert dates(result) == expected
    assert result.moves == ()


def test_esketamine_induction_is_twice_weekly_for_four_weeks() -> None:
    result = schedule("esketamine-induction", D(2026, 11, 30), days=WEEKDAYS)
    assert len(result.sessions) == 8
    assert result.sessions[-1].on < D(2026, 11, 30) + dt.timedelta(weeks=4)


def test_a_holiday_moves_the_session_to_the_next_clinic_day_and_says_why() -> None:
    result = schedule(
        "iv-induction-3x-weekly", D(2026, 12, 21), holidays=frozenset({D(2026, 12, 25)})
    )
    assert dates(result)[2] == "2026-12-28"
    (move,) = result.moves
    assert move.dose_number == 3
    assert move.intended_on == D(2026, 12, 25)
    assert move.explanation == "2026-12-25 is a clinic holiday; moved to 2026-12-28"


def test_a_full_chair_moves_the_session_later_the_same_day() -> None:
    busy = ChairBooking(D(2026, 12, 4), T(8), T(12))
    result = schedule("iv-induction-3x-weekly", D(2026, 12, 1), booked=(busy,))
    second = result.sessions[1]
    assert (second.on, second.starts, second.chair) == (D(2026, 12, 4), T(12), 1)
    assert result.moves[0].explanation == "no chair free at 09:00 on 2026-12-04; moved to 12:00"


def test_a_second_chair_keeps_the_preferred_time() -> None:
    busy = ChairBooking(D(2026, 12, 4), T(8), T(12), chair=1)
    result = schedule("iv-induction-3x-weekly", D(2026, 12, 1), chairs=2, booked=(busy,))
    assert (result.sessions[1].starts, result.sessions[1].chair) == (T(9), 2)
    assert result.moves == ()


def test_a_fully_booked_day_moves_the_session_to_another_day() -> None:
    busy = ChairBooking(D(2026, 12, 4), T(8), T(18))
    result = schedule("iv-induction-3x-weekly", D(2026, 12, 1), booked=(busy,))
    assert dates(result)[1] == "2026-12-07"
    assert result.moves[0].explanation == (
        "no chair free on 2026-12-04 for a 120-min session (08:00–18:00); moved to 2026-12-07"
    )


def test_a_late_dose_pushes_the_next_one_to_keep_the_48_hour_interval() -> None:
    busy = ChairBooking(D(2026, 12, 2), T(8), T(16))
    result = schedule("iv-induction-3x-weekly", D(2026, 12, 1), booked=(busy,))
    first, second = result.sessions[:2]
    assert (first.on, first.starts) == (D(2026, 12, 2), T(16))
    assert (second.on, second.starts) == (D(2026, 12, 4), T(16))
    assert result.moves[1].explanation == (
        "09:00 on 2026-12-04 would break the 48-hour minimum interval after dose 1 "
        "(2026-12-02 16:10); moved to 16:00"
    )


def test_a_dose_that_cannot_keep_the_interval_on_its_day_moves_to_the_next() -> None:
    busy = ChairBooking(D(2026, 12, 2), T(8), T(16))
    late_close = ClinicCalendar(
        open_weekdays=MON_WED_FRI,
        hours_by_weekday={4: OpeningHours(T(8), T(12))},  # Friday closes at noon
    )
    result = generate_schedule(
        get_protocol("iv-induction-3x-weekly"),
        start=D(2026, 12, 1),
        calendar=late_close,
        booked=[busy],
        preferred_time=T(9),
    )
    assert dates(result)[1] == "2026-12-07"
    assert result.moves[1].reasons == (
        "2026-12-04 would break the 48-hour minimum interval after dose 1 (2026-12-02 16:10)",
    )


def test_the_interval_after_the_previous_course_is_respected() -> None:
    result = schedule(
        "iv-maintenance",
        D(2026, 12, 1),
        days=WEEKDAYS,
        last_dose_at=dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC),
    )
    first = result.sessions[0]
    assert first.starts_at + dt.timedelta(minutes=10) >= dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)
    assert first.on == D(2026, 12, 2)
    assert "2026-12-01 would break the 48-hour minimum interval after the last dose" in (
        result.moves[0].explanation
    )


def test_a_change_to_summer_time_cannot_shorten_the_interval() -> None:
    # 28 Mar 2026 09:00 CET is 08:00 UTC; 30 Mar 09:00 CEST is only 47 h later.
    calendar = ClinicCalendar(open_weekdays=parse_weekdays("thu,sat,mon"), tz=BERLIN)
    result = generate_schedule(
        get_protocol("iv-induction-3x-weekly"),
        start=D(2026, 3, 26),
        calendar=calendar,
        preferred_time=T(9),
    )
    third = result.sessions[2]
    assert (third.on, third.starts) == (D(2026, 3, 30), T(10))
    assert third.starts_at == dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC)
    assert result.moves[0].explanation.endswith("moved to 10:00")


def test_kap_puts_preparation_first_and_integration_after_each_dose() -> None:
    result = schedule("kap", D(2026, 12, 1), days=WEEKDAYS)
    kinds = [s.kind for s in result.sessions]
    assert kinds[0] is SessionKind.PREPARATION
    assert kinds[1:] == [SessionKind.DOSING, SessionKind.INTEGRATION] * 6
    for dose, integration in zip(result.sessions[1::2], result.sessions[2::2], strict=True):
        assert integration.dose_number == dose.dose_number
        assert integration.on > dose.on
        assert integration.chair is None


def test_a_dose_waits_for_the_integration_session_of_the_previous_dose() -> None:
    # Integration after Mon's dose would be Tue; Tue–Thu are holidays, so it moves to Fri,
    # and the next weekly dose (intended the following Mon) stays after it.
    holidays = frozenset({D(2026, 12, 8), D(2026, 12, 9), D(2026, 12, 10)})
    result = schedule("kap", D(2026, 12, 4), days=WEEKDAYS, holidays=holidays)
    integration = result.sessions[2]
    assert (integration.kind, integration.on) == (SessionKind.INTEGRATION, D(2026, 12, 11))
    assert result.sessions[3].on > integration.on


def test_the_number_of_dosing_sessions_can_be_set_for_a_maintenance_horizon() -> None:
    result = schedule("esketamine-maintenance", D(2026, 12, 1), dosing_sessions=10)
    assert len(result.sessions) == 10
    assert "10 dosing sessions scheduled; the protocol has 6." in result.notes


def test_the_same_input_always_gives_the_same_schedule() -> None:
    holidays = frozenset({D(2026, 12, 25)})
    assert schedule("kap", D(2026, 12, 1), holidays=holidays) == schedule(
        "kap", D(2026, 12, 1), holidays=holidays
    )


def test_without_a_preferred_time_sessions_start_at_opening() -> None:
    result = schedule("iv-booster", D(2026, 12, 2), preferred=None)
    assert result.sessions[0].starts == T(8)
    assert result.moves == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"today": D(2026, 12, 2)}, "in the past"),
        ({"dosing_sessions": 0}, "dosing sessions must be 1 to 60"),
        ({"preferred": T(17)}, "does not fit the opening hours of any clinic day"),
        ({"booked": (ChairBooking(D(2026, 12, 4), T(8), T(9), chair=2),)}, "chairs 1 to 1"),
        ({"booked": (ChairBooking(D(2026, 12, 4), T(9), T(8)),)}, "ends before it starts"),
        ({"last_dose_at": dt.datetime(2026, 11, 30, 9)}, "naive datetime"),
    ],
)
def test_impossible_input_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        schedule("iv-booster", D(2026, 12, 1), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("calendar_kwargs", "message"),
    [
        ({"open_weekdays": frozenset()}, "no open weekdays"),
        ({"open_weekdays": frozenset({7})}, "0 \\(Monday\\) to 6"),
        ({"open_weekdays": MON_WED_FRI, "chairs": 0}, "at least one chair"),
        (
            {"open_weekdays": MON_WED_FRI, "hours_by_weekday": {1: OpeningHours(T(8), T(9))}},
            "closed weekdays: tue",
        ),
    ],
)
def test_an_impossible_calendar_is_refused(
    calendar_kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        ClinicCalendar(**calendar_kwargs)  # type: ignore[arg-type]


def test_opening_hours_must_open_before_they_close() -> None:
    with pytest.raises(ClinicalInputError, match="opening must precede closing"):
        OpeningHours(T(18), T(8))


def test_opening_hours_too_short_for_any_dosing_session_are_refused() -> None:
    calendar = ClinicCalendar(open_weekdays=MON_WED_FRI, hours=OpeningHours(T(8), T(9)))
    with pytest.raises(ClinicalInputError, match="long enough for a 120-min dosing session"):
        generate_schedule(get_protocol("iv-booster"), start=D(2026, 12, 1), calendar=calendar)


def test_a_calendar_booked_solid_for_a_year_is_refused_rather_than_searched_for_ever() -> None:
    start = D(2026, 12, 1)
    solid = tuple(ChairBooking(start + dt.timedelta(days=n), T(8), T(18)) for n in range(0, 400))
    with pytest.raises(ClinicalInputError, match="no date within 366 days"):
        schedule("iv-booster", start, booked=solid)


def test_weekday_names_are_parsed_and_unknown_names_refused() -> None:
    assert parse_weekdays("Mon, wednesday,FRI") == frozenset({0, 2, 4})
    with pytest.raises(ClinicalInputError, match="unknown weekday 'funday'"):
        parse_weekdays("mon,funday")


# -- properties ------------------------------------------------------------------------------

START = D(2026, 3, 2)


@st.composite
def scheduling_inputs(draw: st.DrawFn) -> dict[str, object]:
    chairs = draw(st.integers(1, 3))
    offsets = st.integers(0, 90)
    bookings = draw(
        st.lists(
            st.builds(
                lambda day, hour, length, chair: ChairBooking(
                    START + dt.timedelta(days=day),
                    T(hour),
                    T(
                        min(hour * 60 + length, 18 * 60) // 60,
                        min(hour * 60 + length, 18 * 60) % 60,
                    ),
                    chair,
                ),
                offsets,
                st.integers(8, 16),
                st.integers(30, 240),
                st.integers(1, chairs),
            ),
            max_size=40,
        )
    )
    return {
        "protocol": draw(st.sampled_from(list(PROTOCOLS.values()))),
        "calendar": ClinicCalendar(
            open_weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
            holidays=draw(
                st.frozensets(offsets.map(lambda n: START + dt.timedelta(days=n)), max_size=12)
            ),
            chairs=chairs,
            tz=draw(st.sampled_from([dt.UTC, BERLIN])),
        ),
        "booked": bookings,
        "preferred_time": draw(
            st.none() | st.integers(32, 56).map(lambda q: T(q // 4, q % 4 * 15))
        ),
        "start": START + dt.timedelta(days=draw(st.integers(0, 30))),
    }


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@settings(max_examples=150, deadline=None)
@given(scheduling_inputs())
def test_schedules_respect_every_rule(inputs: dict[str, object]) -> None:
    protocol = inputs["protocol"]
    calendar = inputs["calendar"]
    booked = inputs["booked"]
    assert isinstance(calendar, ClinicCalendar)
    assert isinstance(booked, list)
    result = generate_schedule(**inputs)  # type: ignore[arg-type]
    sessions = result.sessions
    interval = dt.timedelta(hours=result.min_interval_hours)

    # the protocol's count, numbered and sorted in time
    assert len(sessions) == protocol.session_count  # type: ignore[attr-defined]
    assert [s.sequence for s in sessions] == list(range(1, len(sessions) + 1))
    assert [s.starts_at for s in sessions] == sorted(s.starts_at for s in sessions)
    assert sessions[0].on >= inputs["start"]  # type: ignore[operator]

    # only open, non-holiday days, inside opening hours
    for s in sessions:
        assert s.on.weekday() in calendar.open_weekdays
        assert s.on not in calendar.holidays
        hours = calendar.hours_on(s.on)
        assert hours.opens <= s.starts
        assert s.ends <= hours.closes

    # never closer than the minimum interval
    doses = [s for s in sessions if s.kind is SessionKind.DOSING]
    for earlier, later in itertools.pairwise(doses):
        assert later.starts_at - earlier.starts_at >= interval

    # never more chairs than the clinic has
    spans = [(b.on, b.chair, _minutes(b.starts), _minutes(b.ends)) for b in booked]
    for s in doses:
        assert s.chair is not None
        assert 1 <= s.chair <= calendar.chairs
        start, end = _minutes(s.starts), _minutes(s.ends)
        for on, chair, other_start, other_end in spans:
            if (on, chair) == (s.on, s.chair):
                assert end <= other_start or other_end <= start
        spans.append((s.on, s.chair, start, end))

    # every move is explained
    moved = {m.sequence for m in result.moves}
    for move in result.moves:
        assert move.explanation
        assert move.scheduled_on >= move.intended_on
    preferred = inputs["preferred_time"]
    for s in sessions:
        if s.sequence not in moved and preferred is not None:
            assert s.starts == preferred


# --- the patient's other bookings (another course) ----------------------------------------------


def _booking(day: dt.date, start: dt.time, minutes: int, *, dose: bool) -> PatientBooking:
    starts_at = dt.datetime.combine(day, start, tzinfo=dt.UTC)
    return PatientBooking(starts_at, starts_at + dt.timedelta(minutes=minutes), is_dose=dose)


def test_a_new_course_keeps_the_interval_from_a_dose_booked_in_another_course() -> None:
    monday = D(2026, 12, 7)
    other = _booking(monday, NINE, 120, dose=True)
    result = schedule("iv-induction-3x-weekly", monday, chairs=2, patient_booked=(other,))
    first = result.sessions[0]
    assert first.starts_at - other.starts_at >= dt.timedelta(hours=48)
    assert first.on == D(2026, 12, 9)
    assert "minimum interval of the dose booked 2026-12-07 09:00" in result.moves[0].explanation


def test_no_session_is_placed_over_another_session_of_the_patient() -> None:
    monday = D(2026, 12, 7)
    therapy = _booking(monday, NINE, 60, dose=False)  # e.g. a therapy session elsewhere booked
    result = schedule("iv-induction-3x-weekly", monday, chairs=2, patient_booked=(therapy,))
    first = result.sessions[0]
    assert first.on == monday
    assert first.starts_at >= therapy.ends_at or first.ends_at <= therapy.starts_at


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(8 * 4, 15 * 4), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_property_a_schedule_never_overlaps_the_patients_bookings(
    raw: list[tuple[int, int, bool]],
) -> None:
    monday = D(2026, 12, 7)
    bookings = tuple(
        _booking(monday + dt.timedelta(days=d), T(q // 4, (q % 4) * 15), 90, dose=dose)
        for d, q, dose in raw
    )
    result = schedule(
        "iv-induction-3x-weekly", monday, days=WEEKDAYS, chairs=3, patient_booked=bookings
    )
    for session in result.sessions:
        for other in bookings:
            assert session.ends_at <= other.starts_at or other.ends_at <= session.starts_at
            if session.kind is SessionKind.DOSING and other.is_dose:
                assert abs(session.starts_at - other.starts_at) >= dt.timedelta(hours=48)


@settings(max_examples=60, deadline=None)
@given(
    protocol_id=st.sampled_from(["esketamine-induction", "iv-induction-3x-weekly"]),
    holidays=st.sets(st.integers(0, 27), max_size=8),
    days=st.sampled_from([MON_WED_FRI, WEEKDAYS, parse_weekdays("mon,tue,wed,thu,fri,sat")]),
)
def test_property_no_calendar_week_gets_more_doses_than_the_cadence_allows(
    protocol_id: str, holidays: set[int], days: frozenset[int]
) -> None:
    monday = D(2026, 12, 7)
    result = schedule(
        protocol_id,
        monday,
        days=days,
        holidays=frozenset(monday + dt.timedelta(days=h) for h in holidays),
        chairs=2,
    )
    cap = get_protocol(protocol_id).cadence.max_doses_per_week
    weeks = [s.on.isocalendar()[:2] for s in result.sessions if s.kind is SessionKind.DOSING]
    assert max(weeks.count(w) for w in weeks) <= cap
