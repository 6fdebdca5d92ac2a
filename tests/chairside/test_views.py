"""The chair-side screens: who sees the board and the session page, and what the page costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import services
from remission.scheduling.models import TreatmentSession
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def test_front_desk_sees_the_board_but_not_the_session(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    front = client_for(members[Role.FRONT_DESK])
    board = front.get("/c/alpha/sessions/today/")
    assert board.status_code == 200
    assert front.get(f"/c/alpha/sessions/{session.pk}/").status_code == 403
    nurse = client_for(members[Role.NURSE])
    page = nurse.get(f"/c/alpha/sessions/{session.pk}/")
    assert page.status_code == 200
    assert b"Pre-dose checklist" in page.content


def test_the_session_page_queries_do_not_grow_with_the_readings(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    client = client_for(nurse)
    url = f"/c/alpha/sessions/{session.pk}/"

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.record_vitals(membership=nurse, session=session, systolic_mmhg=190, diastolic_mmhg=95)
    with_one = queries_for_page()
    for _ in range(5):
        services.record_vitals(
            membership=nurse, session=session, systolic_mmhg=190, diastolic_mmhg=95
        )
    assert queries_for_page() == with_one
