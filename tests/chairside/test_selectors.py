"""What the session view reads: the pre-dose checklist's scale window and the REMS hard stops
other apps plug in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext
from remission.chairside import selectors, services
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from tests.world.rems import (
    esketamine_course,
    esketamine_session,
)

pytestmark = pytest.mark.django_db


MINUTES = dt.timedelta(minutes=1)


@pytest.mark.calendar
def test_the_pre_session_scale_counts_from_yesterday_midnight_in_the_clinic_zone(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    zone = session.clinic.tzinfo
    now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=zone)
    midnight_yesterday = dt.datetime(2026, 11, 19, 0, 0, tzinfo=zone)

    def scale_line() -> str | None:
        view = selectors.session_view(
            membership=nurse, session_id=session.pk, now=now, record=False
        )
        (line,) = [c for c in view.checklist if c.code == "pre_session_scale"]
        return line.answer

    def record(at: dt.datetime) -> None:
        services.record_session_scale(
            membership=nurse,
            session=session,
            instrument_id="phq9",
            answers=[1, 1, 1, 1, 1, 1, 1, 1, 0],
            context=AssessmentContext.PRE_SESSION,
            administered_at=at,
        )

    with time_machine.travel(now, tick=False):  # charted as it happens: never in the future
        record(midnight_yesterday - MINUTES)
        assert scale_line() is None
        record(midnight_yesterday)
        assert scale_line() == "yes"


def test_the_chair_side_screen_lists_the_rems_hard_stops_before_the_dose(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = esketamine_course(members, patient)
    world = esketamine_session(members, patient, course, discharged=False, signed=False)
    view = selectors.session_view(
        membership=members[Role.NURSE], session_id=world.session.pk, record=False
    )
    assert any("not enrolled in the SPRAVATO REMS" in p for p in view.ready_to_start)
    assert any("certification number" in p for p in view.ready_to_start)
