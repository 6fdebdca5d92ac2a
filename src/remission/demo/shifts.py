"""The demo clinic's staff roster: who is on shift to monitor dosing sessions.

Once a clinic records shifts the scheduler books dosing sessions only while someone who can
chart a session is on shift, each monitoring up to ``protocols.dosing_sessions_per_nurse``
sessions at once (``scheduling.services.schedule_course``). The demo clinic is open daily with
four chairs, so two people are on shift through every open hour (2 × 2 sessions = 4 chairs):
the nurse every day, the prescriber on weekdays and the medical director at weekends.

The roster runs from a week before the build to four weeks after it, beyond the demo's
bookings, so a course planned in the demo is checked against staff; past its end the scheduler
says which dosing sessions it could not check. Deterministic for a build time.
"""

from __future__ import annotations

import datetime as dt

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinics.models import Clinic
from remission.demo.writer import BulkWriter
from remission.scheduling.models import StaffShift

ROSTER_BEFORE = dt.timedelta(days=7)
ROSTER_AFTER = dt.timedelta(days=28)
WEEKEND = (5, 6)  # Saturday, Sunday


def write_shifts(
    writer: BulkWriter, clinic: Clinic, *, today: dt.date, opens: dt.time, closes: dt.time
) -> None:
    """Seed ``clinic``'s roster around ``today``, open hours ``opens``–``closes`` every day."""
    members = {
        m.role: m
        for m in Membership.objects.filter(
            clinic=clinic, role__in=(Role.NURSE, Role.PRESCRIBER, Role.MEDICAL_DIRECTOR)
        )
        .select_related("user")
        .order_by("user__username")
    }
    director = members[Role.MEDICAL_DIRECTOR]
    rows = []
    day = today - ROSTER_BEFORE
    while day <= today + ROSTER_AFTER:
        second = Role.MEDICAL_DIRECTOR if day.weekday() in WEEKEND else Role.PRESCRIBER
        for role in (Role.NURSE, second):
            rows.append(
                StaffShift(clinic=clinic, member=members[role], on=day, starts=opens, ends=closes)
            )
        day += dt.timedelta(days=1)
    writer.create(
        rows,
        actor=lambda _: director.user,
        summary=lambda s: f"{s.member.user} on shift {s.on} {s.starts:%H:%M}–{s.ends:%H:%M}",
        patient=lambda _: None,
    )
