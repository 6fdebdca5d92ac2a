"""Staff shifts and booked sessions to move, through ``remission.scheduling.services``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import StaffShift, TreatmentSession
from tests.world.treatment import make_eligible, start_course

EIGHT, SIX_PM = dt.time(8), dt.time(18)


def clinic_day(members: dict[str, Membership]) -> dt.date:
    """Today in the clinic's time zone."""
    return timezone.localdate(timezone=members[Role.NURSE].clinic.tzinfo)


def on_shift(
    members: dict[str, Membership],
    on: dt.date,
    starts: dt.time = EIGHT,
    ends: dt.time = SIX_PM,
    member: str = Role.NURSE,
) -> StaffShift:
    """A shift of ``member`` (the nurse unless told), recorded by the nurse."""
    return scheduling.add_shift(
        membership=members[Role.NURSE],
        member=members[member],
        on=on,
        starts=starts,
        ends=ends,
    )


def last_dose(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    """The last booked session of a new IV course: nothing is booked after it, so only its
    previous dose bounds a move."""
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    return sessions[-1]


def clinic_time(session: TreatmentSession, days: int, hour: int) -> dt.datetime:
    """``hour`` o'clock in the clinic's zone, ``days`` after the session's booked day."""
    tz = session.clinic.tzinfo
    day = session.scheduled_start.astimezone(tz).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
