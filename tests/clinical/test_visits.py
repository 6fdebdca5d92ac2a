"""A consultation or screening visit booked by hand (``clinical.protocols.visits``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from remission.clinical.protocols import (
    ClinicCalendar,
    OpeningHours,
    PatientBooking,
    StaffShift,
    parse_weekdays,
    visit_problems,
)

TZ = ZoneInfo("America/New_York")
WEDNESDAY = dt.date(2026, 12, 9)
NOW = dt.datetime(2026, 12, 8, 12, tzinfo=TZ)
CALENDAR = ClinicCalendar(
    open_weekdays=parse_weekdays("mon,tue,wed,thu,fri"),
    hours=OpeningHours(dt.time(8), dt.time(18)),
    holidays=frozenset({dt.date(2026, 12, 25)}),
    tz=TZ,
)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def _problems(starts_at: dt.datetime, minutes: int = 45, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    return visit_problems(starts_at, minutes, calendar=CALENDAR, now=NOW, **kw)


def test_a_visit_in_opening_hours_may_be_booked() -> None:
    assert _problems(_at(WEDNESDAY, 10)) == []


def test_a_visit_on_a_closed_day_a_holiday_or_after_hours_is_refused() -> None:
    assert "closed" in _problems(_at(dt.date(2026, 12, 12), 10))[0]  # a Saturday
    assert "holiday" in _problems(_at(dt.date(2026, 12, 25), 10))[0]
    assert "outside the opening hours" in _problems(_at(WEDNESDAY, 17, 30))[0]


def test_a_visit_in_the_past_is_refused() -> None:
    assert _problems(_at(dt.date(2026, 12, 7), 10)) == ["a visit cannot be booked in the past"]


def test_a_visit_may_not_overlap_the_patients_other_sessions() -> None:
    dose = PatientBooking(_at(WEDNESDAY, 9), _at(WEDNESDAY, 11), is_dose=True)
    assert "another dose booked" in _problems(_at(WEDNESDAY, 10, 30), patient_booked=[dose])[0]
    assert _problems(_at(WEDNESDAY, 11), patient_booked=[dose]) == []


def test_where_a_roster_is_kept_someone_must_be_on_shift_for_the_whole_visit() -> None:
    morning = [StaffShift(WEDNESDAY, dt.time(8), dt.time(12))]
    rostered: dict[str, Any] = {"shifts": morning, "rostered_until": WEDNESDAY}
    assert _problems(_at(WEDNESDAY, 10), **rostered) == []
    assert "no member of staff is on shift" in _problems(_at(WEDNESDAY, 11, 30), **rostered)[0]
    # past the roster's last day nobody is asked for
    assert _problems(_at(dt.date(2026, 12, 10), 15), **rostered) == []


def test_every_reason_is_listed_at_once() -> None:
    dose = PatientBooking(_at(WEDNESDAY, 17), _at(WEDNESDAY, 19), is_dose=True)
    assert len(_problems(_at(WEDNESDAY, 17, 30), patient_booked=[dose])) == 2
