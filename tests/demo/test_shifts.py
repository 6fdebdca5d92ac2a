"""The demo's staff roster: two people who can chart a session on shift through every open
hour from a week before the build to four weeks after it, each shift audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.demo.builder import build_demo
from remission.demo.treatment import CLOSES, OPENS
from remission.scheduling.models import StaffShift
from remission.scheduling.selectors import calendar_week

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


@pytest.fixture(scope="module")
def today(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dt.date]:
    moment = timezone.now().replace(second=0, microsecond=0)
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(patients=20, seed=9, now=moment)
        clinic = Membership.objects.get(clinic__slug="demo", role=Role.NURSE).clinic
        yield moment.astimezone(clinic.tzinfo).date()
        transaction.set_rollback(True)


def test_every_day_of_the_roster_has_the_nurse_and_a_prescriber_or_director(
    today: dt.date,
) -> None:
    shifts = list(StaffShift.objects.filter(clinic__slug="demo").select_related("member"))
    days = sorted({s.on for s in shifts})
    assert days[0] == today - dt.timedelta(days=7)
    assert days[-1] == today + dt.timedelta(days=28)
    assert len(days) == 36  # every day: the demo clinic is open daily
    for day in days:
        on = [s for s in shifts if s.on == day]
        second = Role.MEDICAL_DIRECTOR if day.weekday() >= 5 else Role.PRESCRIBER
        assert sorted(s.member.role for s in on) == sorted([Role.NURSE, second])
        assert all((s.starts, s.ends) == (OPENS, CLOSES) for s in on)
    assert not StaffShift.objects.exclude(clinic__slug="demo").exists()
    audited = AuditEvent.objects.filter(object_type="scheduling.staffshift", patient_id=None)
    assert audited.count() == len(shifts)


def test_the_calendar_week_shows_two_on_shift_each_day(today: dt.date) -> None:
    frontdesk = Membership.objects.get(clinic__slug="demo", role=Role.FRONT_DESK)
    week = calendar_week(membership=frontdesk, start=today)
    assert [d.staff_on_shift for d in week] == [2] * len(week)
