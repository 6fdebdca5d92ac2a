"""A held patient at the chair: the front desk cannot cancel once charting has begun; the nurse
ends the session without a dose on the screen, and the pre-dose record stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import services
from remission.scheduling import services as scheduling
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world import client_for
from tests.world.chairside import ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


MINUTES = dt.timedelta(minutes=1)


def test_a_held_patient_is_stood_down_at_the_chair_not_cancelled_by_the_front_desk(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, front = members[Role.NURSE], members[Role.FRONT_DESK]
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)  # checked in, pre-dose charting begun
    with pytest.raises(ValidationError, match="Charting has begun"):
        scheduling.cancel(membership=front, session=session, reason="patient left")
    with pytest.raises(PermissionDenied):
        services.stand_down(membership=front, session=session, reason="BP high")

    url = f"/c/alpha/sessions/{session.pk}/not-dosed/"
    assert client_for(front).post(url, {"not_dosed-reason": "BP high"}).status_code == 403
    chart = client_for(nurse)
    page = chart.get(f"/c/alpha/sessions/{session.pk}/")
    assert b"End the session without a dose" in page.content
    refused = chart.post(url, {"not_dosed-reason": "  "}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert b"Give a reason." in refused.content
    session.refresh_from_db()
    assert session.status == SessionStatus.PRE_DOSE

    done = chart.post(
        url, {"not_dosed-reason": "BP 172/104 above the hold limit"}, HTTP_HX_REQUEST="true"
    )
    assert done.status_code == 200
    assert b"Not dosed: BP 172/104 above the hold limit" in done.content
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.status_reason == "Not dosed: BP 172/104 above the hold limit"
    assert session.checklist.count() == 9  # the pre-dose record stays (5 checks, 4 questions)
    with pytest.raises(ValidationError, match="has not started"):
        services.stand_down(membership=nurse, session=session, reason="again")
