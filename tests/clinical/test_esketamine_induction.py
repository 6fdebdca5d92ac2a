"""Whether an esketamine induction still gives its 8 doses by the end of week 4 (dates pinned:
day 1 is Monday 2 November 2026, week 4 ends on Sunday 29 November)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical.errors import ClinicalInputError
from remission.clinical.esketamine import induction_progress

DAY_1 = dt.date(2026, 11, 2)  # a Monday
WEEK_4_ENDS = dt.date(2026, 11, 29)


def day(n: int) -> dt.date:
    """Day ``n`` of the course (day 1 is the first dose)."""
    return DAY_1 + dt.timedelta(days=n - 1)


# Mondays and Thursdays of weeks 1–4: the twice-weekly rhythm.
ON_TIME = [day(n) for n in (1, 4, 8, 11, 15, 18, 22, 25)]


def progress(doses, today, *, start=DAY_1, interval=48):
    return induction_progress(
        course_start=start, dose_dates=doses, today=today, min_interval_hours=interval
    )


def test_eight_doses_by_week_4_complete_the_induction():
    result = progress(ON_TIME, day(26))
    assert (result.complete, result.flagged, result.reason) == (True, False, "")
    assert (result.day_1, result.week_4_ends) == (DAY_1, WEEK_4_ENDS)


def test_on_schedule_midway_is_not_flagged():
    result = progress(ON_TIME[:4], day(12))
    assert not result.flagged
    assert result.doses_by_week_4 == 4
    assert result.still_possible >= 4


def test_one_missed_dose_that_can_still_be_made_up_is_not_flagged():
    # dose 4 (day 11) missed: today is day 12; days 12 and 15, 18, 22, 25 can still take doses,
    # but only two per week: week 2 (days 8–14) has one dose, so day 12 or 13 takes the second
    doses = [day(n) for n in (1, 4, 8)]
    result = progress(doses, day(12))
    assert not result.flagged
    assert result.still_possible == 5  # one in week 2, two in week 3, two in week 4


def test_missed_doses_that_cannot_be_made_up_flag_the_course_with_a_reason():
    # three doses by day 15: at most one more in week 3 and two in week 4
    doses = [day(n) for n in (1, 4, 8)]
    result = progress(doses, day(20))
    assert result.flagged
    assert result.still_possible == 3
    assert result.reason == (
        "Induction cannot finish by week 4: 3 of 8 doses so far, at most 3 more fit by "
        "2026-11-29 (day 28) at twice weekly and the minimum interval"
    )


def test_induction_that_ran_past_week_4_is_flagged():
    doses = [*ON_TIME[:7], day(30)]  # the eighth dose given on day 30
    result = progress(doses, day(31))
    assert result.flagged
    assert (result.doses_by_week_4, result.doses_after_week_4) == (7, 1)
    assert result.reason.startswith("Induction ran past week 4: 7 of 8 doses by 2026-11-29")


def test_the_weekly_cap_counts_weeks_from_day_1_not_calendar_weeks():
    # day 1 on a Thursday: course week 1 is Thursday to Wednesday
    thursday = dt.date(2026, 11, 5)
    result = progress([thursday], thursday, start=thursday)
    assert result.week_4_ends == dt.date(2026, 12, 2)
    assert result.still_possible == 7  # one more in week 1, two in each of weeks 2–4
    assert not result.flagged


def test_a_dose_already_charted_today_leaves_today_out():
    assert progress([DAY_1], DAY_1).still_possible == 7
    assert progress([DAY_1], day(2)).still_possible == 7


def test_a_longer_minimum_interval_fits_fewer_doses():
    # 96 h between doses: at most one every 4 days
    result = progress([DAY_1], DAY_1, interval=96)
    assert result.still_possible == 6  # days 5, 9, 13, 17, 21, 25
    assert result.flagged


def test_before_any_dose_week_1_starts_on_the_course_start():
    result = progress([], DAY_1 - dt.timedelta(days=3))
    assert result.day_1 == DAY_1
    assert result.still_possible == 8
    assert not result.flagged
    late = progress([], day(8))  # no dose by day 8: 6 of 8 can still fit
    assert late.flagged and late.still_possible == 6


def test_a_dose_in_the_future_or_a_zero_interval_is_refused():
    with pytest.raises(ClinicalInputError, match="after today"):
        progress([day(5)], day(4))
    with pytest.raises(ClinicalInputError, match="positive"):
        progress([], DAY_1, interval=0)


@given(
    given_days=st.lists(st.integers(min_value=1, max_value=28), unique=True, max_size=8),
    today_n=st.integers(min_value=1, max_value=40),
)
def test_flagged_exactly_when_eight_doses_cannot_be_reached_by_the_end_of_week_4(
    given_days, today_n
):
    today = day(today_n)
    doses = sorted(day(n) for n in given_days if n <= today_n)
    result = progress(doses, today)
    assert result.week_4_ends == (doses[0] if doses else DAY_1) + dt.timedelta(days=27)
    if today > result.week_4_ends:
        assert result.flagged is (result.doses_by_week_4 < 8)
    else:
        assert result.flagged is (result.doses_by_week_4 + result.still_possible < 8)
    assert result.still_possible <= 8
