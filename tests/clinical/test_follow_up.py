"""The 24-hour follow-up call: when it falls due, its state, and what an attempt needs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring.follow_up import (
    FOLLOW_UP_AFTER,
    FOLLOW_UP_OVERDUE,
    CallAttempt,
    CallOutcome,
    CallState,
    attempt_problems,
    call_state,
    follow_up_due,
)

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_the_call_is_due_at_the_same_wall_time_the_next_day() -> None:
    discharged = dt.datetime(2026, 12, 2, 16, 15, tzinfo=dt.UTC)  # 11:15 in New York
    due = follow_up_due(discharged, NEW_YORK)
    assert due == dt.datetime(2026, 12, 3, 11, 15, tzinfo=NEW_YORK)
    assert due.astimezone(dt.UTC) - discharged == dt.timedelta(hours=24)


def test_across_a_change_of_summer_time_the_wall_clock_is_kept() -> None:
    discharged = dt.datetime(2026, 3, 7, 11, 15, tzinfo=NEW_YORK)  # the clocks go on that night
    due = follow_up_due(discharged, NEW_YORK)
    assert due.replace(tzinfo=None) == dt.datetime(2026, 3, 8, 11, 15)
    assert due.astimezone(dt.UTC) - discharged.astimezone(dt.UTC) == dt.timedelta(hours=23)


def test_a_wall_time_skipped_by_summer_time_moves_to_a_real_time() -> None:
    discharged = dt.datetime(2026, 3, 7, 2, 30, tzinfo=NEW_YORK)  # 02:30 does not exist on 8 March
    due = follow_up_due(discharged, NEW_YORK)
    assert due.utcoffset() == dt.timedelta(hours=-4)
    assert due.replace(tzinfo=None) == dt.datetime(2026, 3, 8, 3, 30)  # an hour on


def test_the_delay_is_a_bounded_clinic_setting() -> None:
    discharged = dt.datetime(2026, 12, 2, 16, 15, tzinfo=dt.UTC)
    assert follow_up_due(
        discharged, dt.UTC, {FOLLOW_UP_AFTER.key: 48}
    ) == discharged + dt.timedelta(hours=48)
    for bad in (6, 96):
        with pytest.raises(ClinicalInputError):
            registry.validate_overrides({FOLLOW_UP_AFTER.key: bad})
    with pytest.raises(ClinicalInputError, match="naive"):
        follow_up_due(dt.datetime(2026, 12, 2, 16, 15), NEW_YORK)


@pytest.mark.parametrize(
    ("minutes_after_due", "state"),
    [(-1, CallState.UPCOMING), (0, CallState.DUE), (239, CallState.DUE), (240, CallState.OVERDUE)],
)
def test_a_call_is_upcoming_then_due_then_overdue_after_four_hours(
    minutes_after_due: int, state: CallState
) -> None:
    due = dt.datetime(2026, 12, 3, 16, 15, tzinfo=dt.UTC)
    now = due + dt.timedelta(minutes=minutes_after_due)
    assert call_state(due, now, None) is state
    assert call_state(due, now, now) is CallState.DONE
    assert registry.resolve(FOLLOW_UP_OVERDUE.key) == 4


def attempt(
    outcome: CallOutcome, status: str = "", concerns: str = "", done: bool = False
) -> CallAttempt:
    return CallAttempt(outcome=outcome, patient_status=status, concerns=concerns, done=done)


def test_a_reached_patient_needs_how_they_are() -> None:
    assert attempt_problems(attempt(CallOutcome.REACHED)) == ["Record how the patient is."]
    assert attempt_problems(attempt(CallOutcome.REACHED, "well, slept", done=True)) == []


def test_an_unreached_call_stays_open_or_closes_only_with_a_note_why() -> None:
    assert attempt_problems(attempt(CallOutcome.NO_ANSWER)) == []
    assert attempt_problems(attempt(CallOutcome.LEFT_MESSAGE, done=True)) == [
        "To close a call without reaching the patient, write why in the note "
        "(e.g. third attempt, letter sent)."
    ]
    assert attempt_problems(attempt(CallOutcome.NO_ANSWER, concerns="third try", done=True)) == []
    assert attempt_problems(attempt(CallOutcome.NO_ANSWER, status="fine")) == [
        "How the patient is can only be recorded when the patient was reached."
    ]
