"""Staff on shift and the dosing sessions they can monitor at once.

One rule serves the scheduler (may a dosing session be placed here?) and the calendar (does
a day's bookings outrun the staff on shift?): at any minute, the dosing sessions running may
not exceed the staff on shift × ``protocols.dosing_sessions_per_nurse``. Times are the
clinic's wall-clock times of one day, counted in minutes since midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.protocols import sources

SESSIONS_PER_NURSE_KEY = "protocols.dosing_sessions_per_nurse"
registry.define(
    SESSIONS_PER_NURSE_KEY,
    2,
    unit="sessions",
    title="Dosing sessions one nurse on shift may monitor at the same time",
    evidence=sources.convention(
        "a clinic staffing convention, not a published ratio: one nurse monitors at most two "
        "patients in dosing or observation at once, so that vitals at the protocol's intervals "
        "and an adverse event can be attended without leaving the other patient unobserved"
    ),
    minimum=1,
    maximum=6,
)

Span = tuple[int, int]  # [start, end) in minutes of the day


@dataclass(frozen=True, slots=True)
class StaffShift:
    """Staff able to monitor dosing sessions (nurses) on shift, in clinic wall-clock time."""

    on: dt.date
    starts: dt.time
    ends: dt.time
    staff: int = 1

    def __post_init__(self) -> None:
        if self.starts >= self.ends:
            raise ClinicalInputError(f"shift on {self.on} ends before it starts")
        if self.staff < 1:
            raise ClinicalInputError(f"shift on {self.on} needs at least one member of staff")

    @property
    def span(self) -> Span:
        return minute_of(self.starts), minute_of(self.ends)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Who is on shift and how many dosing sessions run at one minute."""

    minute: int
    staff: int
    running: int

    def capacity(self, sessions_per_nurse: int) -> int:
        return self.staff * sessions_per_nurse


def coverage(
    shifts: Iterable[tuple[Span, int]], running: Sequence[Span], within: Span
) -> list[Coverage]:
    """Coverage at every minute within ``within`` where it can change (its start, and every
    shift or session edge inside it), in time order. ``shifts`` pairs a span with its staff."""
    shifts = list(shifts)
    start, end = within
    edges = {s for (s, _), _ in shifts} | {e for (_, e), _ in shifts}
    edges |= {s for s, _ in running} | {e for _, e in running}
    return [
        Coverage(
            minute=minute,
            staff=sum(n for (s, e), n in shifts if s <= minute < e),
            running=sum(1 for s, e in running if s <= minute < e),
        )
        for minute in sorted({start} | {m for m in edges if start < m < end})
    ]


@dataclass(frozen=True, slots=True)
class StaffingGap:
    """A stretch of a day when the dosing sessions booked outrun the staff on shift."""

    starts: dt.time
    running: int
    staff: int
    sessions_per_nurse: int

    def describe(self) -> str:
        if self.staff == 0:
            return f"no one on shift at {self.starts:%H:%M} for {_sessions(self.running)}"
        return (
            f"{_sessions(self.running)} at {self.starts:%H:%M}, {self.staff} on shift "
            f"(monitoring {self.staff * self.sessions_per_nurse} at most)"
        )


def staffing_gaps(
    dosing: Sequence[tuple[dt.time, dt.time]],
    shifts: Sequence[StaffShift],
    sessions_per_nurse: int,
) -> list[StaffingGap]:
    """Where one day's booked dosing sessions (wall-clock start and end) outrun its shifts:
    the first minute of each stretch, with the most sessions running in it."""
    running = [(minute_of(s), minute_of(e)) for s, e in dosing]
    if not running:
        return []
    day = (min(s for s, _ in running), max(e for _, e in running))
    gaps: list[StaffingGap] = []
    previous_short = False
    for point in coverage([(s.span, s.staff) for s in shifts], running, day):
        short = point.running > point.capacity(sessions_per_nurse)
        if short and previous_short and gaps[-1].staff == point.staff:
            # the same stretch: keep its start, report the most sessions running in it
            gaps[-1] = replace(gaps[-1], running=max(gaps[-1].running, point.running))
        elif short:
            at = time_of(point.minute)
            gaps.append(StaffingGap(at, point.running, point.staff, sessions_per_nurse))
        previous_short = short
    return gaps


def minute_of(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def time_of(minute_of_day: int) -> dt.time:
    return dt.time(minute_of_day // 60, minute_of_day % 60)


def _sessions(n: int) -> str:
    return f"{n} dosing session{'' if n == 1 else 's'}"
