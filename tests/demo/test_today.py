"""The demo built at night: today's sessions are booked inside the opening hours (and so the
shifts), never at 01:00; patients go by real preferred names, not three-letter stubs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from remission.clinical.synthetic.patients import PREFERRED_NAMES, generate_patients
from remission.demo.builder import build_demo
from remission.demo.treatment import CLOSES, OPENS
from remission.patients.models import Patient
from remission.scheduling.models import StaffShift, TreatmentSession

pytestmark = [pytest.mark.django_db]

NEW_YORK = ZoneInfo("America/New_York")
NIGHT = dt.datetime(2026, 12, 2, 1, 0, tzinfo=NEW_YORK)  # a Wednesday, 01:00 at the clinic


@pytest.fixture(scope="module")
def built_at_night(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(patients=20, seed=9, now=NIGHT.astimezone(dt.UTC))
        yield
        transaction.set_rollback(True)


def test_todays_sessions_fall_inside_the_opening_hours_and_the_shifts(
    built_at_night: None,
) -> None:
    day = NIGHT.date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=NEW_YORK)
    today = list(
        TreatmentSession.objects.filter(
            clinic__slug="demo",
            scheduled_start__gte=start,
            scheduled_start__lt=start + dt.timedelta(days=1),
        )
    )
    assert today, "the demo books sessions today"
    shifts = list(StaffShift.objects.filter(clinic__slug="demo", on=day))
    for session in today:
        _, begins, ends = session.wall_clock(NEW_YORK)
        assert begins >= OPENS and ends <= CLOSES, (begins, ends)
        assert any(s.starts <= begins and ends <= s.ends for s in shifts)


def test_demo_patients_go_by_real_preferred_names(built_at_night: None) -> None:
    named = Patient.objects.exclude(preferred_name="")
    for patient in named:
        assert patient.preferred_name == PREFERRED_NAMES[patient.legal_first_name]


def test_synthetic_preferred_names_are_short_forms_of_the_first_name() -> None:
    patients = generate_patients(300, seed=3, today=dt.date(2026, 12, 2))
    preferred = [p for p in patients if p.preferred_name]
    assert preferred  # some patients go by another name
    assert all(p.preferred_name == PREFERRED_NAMES[p.legal_first_name] for p in preferred)
