"""A consultation or screening visit booked by hand: the booking rules a visit without a dose
must meet.

A visit (a first consultation, a screening before an intake, a review) gives no medicine, so
the dosing rules do not apply to it: no minimum interval, no weekly cadence, no monitoring
ratio. It must still fall on an open day within opening hours, not overlap the patient's other
sessions, and, where the clinic keeps a roster, have a member of staff on shift for the whole
visit. It does not take an infusion chair: a consultation is held in a consulting room, which
this system does not book (so dosing capacity is not spent on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from remission.clinical import registry
from remission.clinical.protocols import sources
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.protocols.schedule import ClinicCalendar, PatientBooking, open_slot_problems
from remission.clinical.protocols.staffing import StaffShift, minute_of

VISIT_MINUTES_KEY = "protocols.consult_visit_minutes"
registry.define(
    VISIT_MINUTES_KEY,
    45,
    unit="min",
    title="Length of a consultation or screening visit as booked by default",
    evidence=sources.convention(
        "a booking default of this system, not a clinical standard: long enough for a first "
        "consultation with history, blood pressure and the screening scales"
    ),
    minimum=15,
    maximum=180,
)


def visit_problems(
    starts_at: dt.datetime,
    duration_min: int,
    *,
    calendar: ClinicCalendar,
    now: dt.datetime,
    patient_booked: Iterable[PatientBooking] = (),
    shifts: Iterable[StaffShift] | None = None,
    rostered_until: dt.date | None = None,
) -> list[str]:
    """Every reason a visit may not be booked at ``starts_at`` (none: it may)."""
    starts_at = require_aware(starts_at, "starts_at")
    problems: list[str] = []
    if starts_at < require_aware(now, "now"):
        problems.append("a visit cannot be booked in the past")
    if duration_min < 1:
        problems.append("a visit lasts at least a minute")
        return problems
    problems += open_slot_problems(starts_at, duration_min, calendar, patient_booked)
    local = starts_at.astimezone(calendar.tz)
    day = local.date()
    if shifts is not None and rostered_until is not None and day <= rostered_until:
        begins = minute_of(local.time())
        ends = begins + duration_min
        if not any(s.on == day and s.span[0] <= begins and ends <= s.span[1] for s in shifts):
            problems.append(
                f"no member of staff is on shift for the whole visit at {local:%H:%M} on {day}"
            )
    return problems
