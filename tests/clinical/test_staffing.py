"""Staff on shift against the dosing sessions booked: where a day's bookings outrun them."""

from __future__ import annotations

import datetime as dt

import pytest

from remission.clinical.protocols import StaffingGap, StaffShift, staffing_gaps
from remission.clinical.protocols.staffing import coverage

DAY = dt.date(2026, 12, 7)


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _sessions(*spans: str) -> list[tuple[dt.time, dt.time]]:
    return [(_t(s.split("-")[0]), _t(s.split("-")[1])) for s in spans]


def _shift(starts: str, ends: str, staff: int = 1) -> StaffShift:
    return StaffShift(on=DAY, starts=_t(starts), ends=_t(ends), staff=staff)


def test_no_sessions_no_gaps_even_without_staff() -> None:
    assert staffing_gaps([], [], 2) == []


def test_sessions_within_what_the_staff_can_monitor_leave_no_gap() -> None:
    sessions = _sessions("09:00-11:00", "09:30-11:30", "11:00-13:00")
    assert staffing_gaps(sessions, [_shift("08:00", "18:00")], 2) == []


def test_a_third_overlapping_session_outruns_one_nurse_monitoring_two() -> None:
    sessions = _sessions("09:00-11:00", "09:30-11:30", "10:00-12:00")
    gaps = staffing_gaps(sessions, [_shift("08:00", "18:00")], 2)
    assert gaps == [StaffingGap(_t("10:00"), running=3, staff=1, sessions_per_nurse=2)]
    assert gaps[0].describe() == "3 dosing sessions at 10:00, 1 on shift (monitoring 2 at most)"


def test_a_second_nurse_or_a_higher_ratio_closes_the_gap() -> None:
    sessions = _sessions("09:00-11:00", "09:30-11:30", "10:00-12:00")
    assert staffing_gaps(sessions, [_shift("08:00", "18:00", staff=2)], 2) == []
    assert staffing_gaps(sessions, [_shift("08:00", "12:00"), _shift("10:00", "14:00")], 2) == []
    assert staffing_gaps(sessions, [_shift("08:00", "18:00")], 3) == []


def test_a_session_outside_every_shift_has_no_one_on_shift() -> None:
    gaps = staffing_gaps(_sessions("16:30-18:30"), [_shift("08:00", "17:00")], 2)
    assert gaps == [StaffingGap(_t("17:00"), running=1, staff=0, sessions_per_nurse=2)]
    assert gaps[0].describe() == "no one on shift at 17:00 for 1 dosing session"
    assert staffing_gaps(_sessions("07:00-08:30"), [], 2)[0].starts == _t("07:00")


def test_one_stretch_is_one_gap_with_the_most_sessions_running_in_it() -> None:
    sessions = _sessions("09:00-12:00", "09:10-12:00", "09:20-12:00", "09:30-10:00")
    gaps = staffing_gaps(sessions, [_shift("08:00", "18:00")], 2)
    assert gaps == [StaffingGap(_t("09:20"), running=4, staff=1, sessions_per_nurse=2)]


def test_separate_stretches_are_separate_gaps() -> None:
    sessions = _sessions("09:00-10:00", "09:00-10:00", "09:00-10:00", "14:00-15:00")
    shifts = [_shift("08:00", "12:00"), _shift("15:00", "18:00")]
    gaps = staffing_gaps(sessions, shifts, 2)
    assert [(g.starts, g.running, g.staff) for g in gaps] == [
        (_t("09:00"), 3, 1),
        (_t("14:00"), 1, 0),
    ]


def test_a_change_of_staff_within_a_stretch_starts_a_new_gap() -> None:
    sessions = _sessions("09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00", "09:00-12:00")
    shifts = [_shift("08:00", "18:00"), _shift("08:00", "10:00")]
    gaps = staffing_gaps(sessions, shifts, 2)
    assert [(g.starts, g.running, g.staff) for g in gaps] == [
        (_t("09:00"), 5, 2),
        (_t("10:00"), 5, 1),
    ]


def test_a_session_ending_as_another_starts_does_not_overlap_it() -> None:
    sessions = _sessions("09:00-11:00", "09:00-11:00", "11:00-13:00")
    assert staffing_gaps(sessions, [_shift("08:00", "18:00")], 2) == []


def test_coverage_is_evaluated_at_every_edge_inside_the_window() -> None:
    points = coverage([((480, 600), 1), ((540, 720), 2)], [(500, 560), (550, 650)], (500, 700))
    assert [(p.minute, p.staff, p.running) for p in points] == [
        (500, 1, 1),
        (540, 3, 1),
        (550, 3, 2),
        (560, 3, 1),
        (600, 2, 1),
        (650, 2, 0),
    ]
    assert points[1].capacity(2) == 6


@pytest.mark.parametrize(
    ("starts", "ends", "staff"), [("10:00", "09:00", 1), ("09:00", "10:00", 0)]
)
def test_a_shift_must_end_after_it_starts_and_hold_someone(
    starts: str, ends: str, staff: int
) -> None:
    from remission.clinical.errors import ClinicalInputError

    with pytest.raises(ClinicalInputError):
        _shift(starts, ends, staff)
