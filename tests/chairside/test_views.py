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
from tests.world.chairside import observed_after_dose

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


def test_the_discharge_form_keeps_what_was_typed_and_shows_the_score_and_reasons(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    client = client_for(nurse)
    url = f"/c/alpha/sessions/{session.pk}/discharge/assessment/"
    refused = client.post(url, {"dis-pain": "7", "dis-ambulation": "1", "dis-oriented": "on"})
    assert refused.status_code == 200  # shown again, not redirected
    html = refused.content.decode()
    assert "Select a valid choice" in html
    assert 'name="dis-ambulation" value="1" id="id_dis-ambulation_1" checked' in html
    assert 'name="dis-oriented" id="id_dis-oriented" checked' in html
    saved = client.post(
        url, {"dis-ambulation": "1", "dis-pain": "1", "dis-oriented": "on"}, HTTP_HX_REQUEST="true"
    )
    html = saved.content.decode()
    assert "modified PADSS: 4 of 10 so far (pass mark 9)" in html
    assert "modified PADSS nausea and vomiting: not charted" in html
    assert "Not ready yet." in html
    page = client.get(f"/c/alpha/sessions/{session.pk}/").content.decode()
    assert 'name="dis-pain" value="1" id="id_dis-pain_1" checked' in page  # the latest charted
