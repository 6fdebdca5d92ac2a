"""The calendar week flags dosing sessions beyond what the staff on shift can monitor."""

from __future__ import annotations

import datetime as dt

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.services import audited_save
from remission.clinical.protocols import SessionKind
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from remission.scheduling.selectors import calendar_week
from tests.world.scheduling import clinic_day, on_shift
from tests.world.treatment import prepare_clinic

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


T = dt.time


# -- the calendar: bookings that outrun the staff on shift ---------------------------------------


def _book(
    members: dict[str, Membership], patient: Patient, day: dt.date, at: dt.time, kind: str
) -> TreatmentSession:
    clinic = members[Role.NURSE].clinic
    session = TreatmentSession(
        clinic=clinic,
        patient=patient,
        kind=kind,
        scheduled_start=dt.datetime.combine(day, at, tzinfo=clinic.tzinfo),
        duration_min=120,
    )
    audited_save(session, actor=members[Role.FRONT_DESK].user)
    return session


def _week(members: dict[str, Membership], day: dt.date) -> dict[dt.date, list[str]]:
    """Each day's conflicts but a patient's double booking: one patient stands in for several
    here (the double-booking flag is tested in test_board.py)."""
    days = calendar_week(membership=members[Role.FRONT_DESK], start=day)
    return {d.day: [c for c in d.conflicts if "booked twice" not in c] for d in days}


def test_the_calendar_flags_dosing_sessions_beyond_what_the_staff_on_shift_can_monitor(
    members: dict[str, Membership], patient: Patient
) -> None:
    prepare_clinic(members)
    day = clinic_day(members) + dt.timedelta(days=2)
    on_shift(members, day, T(8), T(11))
    for at in (T(9), T(9, 30), T(10)):
        _book(members, patient, day, at, SessionKind.DOSING)
    _book(members, patient, day, T(10, 30), "therapy")  # needs no one on shift
    assert _week(members, day)[day] == [
        "3 dosing sessions at 10:00, 1 on shift (monitoring 2 at most)",
        "no one on shift at 11:00 for 2 dosing sessions",
    ]
    on_shift(members, day, T(8), T(14), member=Role.PRESCRIBER)
    assert _week(members, day)[day] == []


def test_days_past_the_roster_and_clinics_without_shifts_are_not_checked_for_staff(
    members: dict[str, Membership], patient: Patient
) -> None:
    prepare_clinic(members)
    day = clinic_day(members) + dt.timedelta(days=2)
    for at in (T(9), T(9, 30), T(10)):
        _book(members, patient, day, at, SessionKind.DOSING)
    assert _week(members, day)[day] == []  # no shifts recorded at all
    on_shift(members, day - dt.timedelta(days=1))  # the roster ends the day before
    assert _week(members, day)[day] == []
