"""Whether an esketamine induction can still give its 8 doses by the end of week 4.

The label's induction is weeks 1–4, twice weekly: 8 doses (``sources.INDUCTION_FOUR_WEEKS``
[src]). A missed or moved dose can push it past week 4, which the label does not provide for;
the course is then flagged so the prescriber decides (extend, restart, or move on to weekly
dosing and evaluate benefit).

Week 1 begins on the first charted dose (the label's "day 1"), or on the course start while no
dose is charted; week 4 ends on day 28. What may still fit is counted the way the scheduler
books: at most ``max_per_week`` doses in each week of the course and at least the clinic's
minimum interval between two doses (whole days, dose start to dose start), from today on —
today included unless a dose is already charted today.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from remission.clinical.errors import ClinicalInputError
from remission.clinical.esketamine import sources
from remission.clinical.evidence import Evidence

INDUCTION_DOSES = 8
INDUCTION_WEEKS = 4
INDUCTION_DOSES_PER_WEEK = 2


@dataclass(frozen=True, slots=True)
class InductionProgress:
    """The course's induction against its 8 doses by the end of week 4."""

    day_1: dt.date
    week_4_ends: dt.date
    doses_by_week_4: int  # charted doses from day 1 to the end of week 4
    doses_after_week_4: int
    still_possible: int  # further doses that can still fit by the end of week 4
    flagged: bool
    reason: str  # empty when not flagged
    evidence: Evidence = sources.INDUCTION_FOUR_WEEKS

    @property
    def complete(self) -> bool:
        return self.doses_by_week_4 >= INDUCTION_DOSES


def induction_progress(
    *,
    course_start: dt.date,
    dose_dates: Sequence[dt.date],
    today: dt.date,
    min_interval_hours: int,
    doses_needed: int = INDUCTION_DOSES,
    max_per_week: int = INDUCTION_DOSES_PER_WEEK,
) -> InductionProgress:
    """Whether induction still gives ``doses_needed`` doses by the end of week 4, or ran past.

    ``dose_dates`` are the days esketamine doses were charted in this course (clinic dates);
    a date after ``today`` is refused, as no dose can be charted in the future.
    """
    if min_interval_hours <= 0:
        raise ClinicalInputError("min_interval_hours must be positive")
    if any(d > today for d in dose_dates):
        raise ClinicalInputError("a charted dose cannot lie after today")
    dates = sorted(dose_dates)
    day_1 = dates[0] if dates else course_start
    week_4_ends = day_1 + dt.timedelta(days=7 * INDUCTION_WEEKS - 1)
    within = [d for d in dates if d <= week_4_ends]
    after = len(dates) - len(within)
    if len(within) >= doses_needed:
        return InductionProgress(day_1, week_4_ends, len(within), after, 0, False, "")
    possible = _doses_that_fit(day_1, within, today, week_4_ends, min_interval_hours, max_per_week)
    given = f"{len(within)} of {doses_needed} doses"
    if today > week_4_ends:
        reason = (
            f"Induction ran past week 4: {given} by {week_4_ends:%Y-%m-%d} (day 28); "
            "the label's induction is 8 doses in weeks 1–4"
        )
    elif len(within) + possible < doses_needed:
        reason = (
            f"Induction cannot finish by week 4: {given} so far, at most {possible} more fit "
            f"by {week_4_ends:%Y-%m-%d} (day 28) at twice weekly and the minimum interval"
        )
    else:
        return InductionProgress(day_1, week_4_ends, len(within), after, possible, False, "")
    return InductionProgress(day_1, week_4_ends, len(within), after, possible, True, reason)


def _doses_that_fit(
    day_1: dt.date,
    given: list[dt.date],
    today: dt.date,
    last_day: dt.date,
    min_interval_hours: int,
    max_per_week: int,
) -> int:
    """Greedily place doses from today to ``last_day`` under the weekly cap and the interval
    (earliest-first placement fits the most doses under both)."""
    gap_days = math.ceil(min_interval_hours / 24)
    per_week: dict[int, int] = {}
    for d in given:
        week = (d - day_1).days // 7
        per_week[week] = per_week.get(week, 0) + 1
    last = given[-1] if given else None
    day = max(today, day_1)
    if last is not None and last >= day:
        day = last + dt.timedelta(days=1)
    placed = 0
    while day <= last_day:
        week = (day - day_1).days // 7
        spaced = last is None or (day - last).days >= gap_days
        if spaced and per_week.get(week, 0) < max_per_week:
            per_week[week] = per_week.get(week, 0) + 1
            last = day
            placed += 1
        day += dt.timedelta(days=1)
    return placed
