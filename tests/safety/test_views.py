"""The escalation screens: the open worklist, the disposition form with inline refusals that
keep what was typed, and a patient's history; the day board counts what is open."""

from __future__ import annotations

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext
from remission.assessments.services import record_scale
from remission.patients.models import Patient
from remission.safety.models import SafetyEscalation
from tests.world import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def escalation(members: dict[str, Membership], patient: Patient) -> SafetyEscalation:
    record_scale(
        membership=members[Role.NURSE],
        patient=patient,
        instrument_id="phq9",
        answers=[2, 2, 1, 2, 1, 1, 2, 1, 2],
        administered_at=timezone.now(),
        context=AssessmentContext.FOLLOW_UP,
    )
    return SafetyEscalation.objects.get(patient=patient)


def test_the_worklist_and_the_history_show_the_open_escalation(
    members: dict[str, Membership], escalation: SafetyEscalation
) -> None:
    web = client_for(members[Role.NURSE])
    worklist = web.get("/c/alpha/safety/").content.decode()
    assert escalation.patient.display_name in worklist and "Waiting for the screen" in worklist
    history = web.get(f"/c/alpha/safety/patients/{escalation.patient_id}/").content.decode()
    assert "PHQ-9" in history or "suicide" in history.lower()


def test_a_disposition_without_a_screen_is_refused_inline_and_keeps_the_note(
    members: dict[str, Membership], escalation: SafetyEscalation
) -> None:
    web = client_for(members[Role.PRESCRIBER])
    page = web.get(f"/c/alpha/safety/{escalation.pk}/").content.decode()
    assert "Record the suicide-risk screen" in page
    response = web.post(
        f"/c/alpha/safety/{escalation.pk}/",
        {"disposition": "proceed_with_safety_plan", "note": "spoke with the patient"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Record the suicide-risk screen first" in body
    assert "spoke with the patient" in body
    escalation.refresh_from_db()
    assert escalation.is_open


def test_a_nurse_sees_the_escalation_but_not_the_disposition_form(
    members: dict[str, Membership], escalation: SafetyEscalation
) -> None:
    page = client_for(members[Role.NURSE]).get(f"/c/alpha/safety/{escalation.pk}/")
    assert page.status_code == 200
    assert "Record and close" not in page.content.decode()
    denied = client_for(members[Role.NURSE]).post(
        f"/c/alpha/safety/{escalation.pk}/",
        {"disposition": "emergency_referral", "note": "x"},
    )
    assert denied.status_code == 403


def test_the_day_board_counts_open_escalations(
    members: dict[str, Membership], escalation: SafetyEscalation
) -> None:
    board = client_for(members[Role.NURSE]).get("/c/alpha/sessions/today/").content.decode()
    assert "Safety escalations open" in board


def test_the_home_page_counts_open_escalations_and_the_chart_links_the_history(
    members: dict[str, Membership], escalation: SafetyEscalation
) -> None:
    web = client_for(members[Role.PRESCRIBER])
    home = web.get("/c/alpha/").content.decode()
    listed = home.split('data-testid="wl-esc"')[1].split("</section>")[0]
    assert "Open safety escalations" in listed and '<span class="count">1<' in listed
    assert f"/c/alpha/safety/{escalation.pk}/" in listed  # each item links to its screen
    nurse = client_for(members[Role.NURSE]).get("/c/alpha/").content.decode()
    assert "Safety escalations" in nurse and 'class="big-number">1<' in nurse
    chart = web.get(f"/c/alpha/patients/{escalation.patient_id}/").content.decode()
    assert f"/c/alpha/safety/patients/{escalation.patient_id}/" in chart
    desk = client_for(members[Role.FRONT_DESK]).get("/c/alpha/").content.decode()
    assert "Safety escalations" not in desk  # no clinical access, no count
