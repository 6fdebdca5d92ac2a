"""The follow-up call: created at discharge, on the worklist by state, recorded attempt by
attempt (audited, per clinic and role), never holding the sign-off."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.chairside import follow_up_selectors as selectors
from remission.chairside import follow_up_services as services
from remission.chairside import services as chairside
from remission.chairside.models import AdverseEvent, FollowUpCall
from remission.clinical.monitoring.follow_up import CallState
from remission.scheduling.models import TreatmentSession
from remission.web.selectors import dashboard_summary
from tests.world import client_for
from tests.world.chairside import chart_recovered, explain_missed_checks, observed_after_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

HOUR = dt.timedelta(hours=1)


def discharged(members: dict[str, Membership], session: TreatmentSession) -> FollowUpCall:
    nurse = observed_after_dose(members, session)
    chart_recovered(nurse, session)
    chairside.discharge(membership=nurse, session=session)
    session.refresh_from_db()
    explain_missed_checks(nurse, session)
    return FollowUpCall.objects.get(session=session)


def test_discharge_creates_the_call_due_the_next_day_at_the_same_clinic_time(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    call = discharged(members, session)
    session.refresh_from_db()
    assert session.discharged_at is not None
    zone = session.clinic.tzinfo
    local = session.discharged_at.astimezone(zone)
    due = call.due_at.astimezone(zone)
    assert (due.date(), due.time()) == (local.date() + dt.timedelta(days=1), local.time())
    assert call.clinic_id == session.clinic_id and call.patient_id == session.patient_id
    assert AuditEvent.objects.filter(summary="follow-up call scheduled").count() == 1


def test_the_call_does_not_hold_the_sign_off(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    discharged(members, session)
    chairside.sign_off(membership=members[Role.PRESCRIBER], session=session)
    session.refresh_from_db()
    assert session.is_locked


def test_the_worklist_moves_a_call_from_later_to_due_to_overdue_to_done(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    call = discharged(members, session)

    def where(now: dt.datetime) -> list[str]:
        listed = selectors.worklist(membership=nurse, now=now)
        return [
            s.value
            for s in CallState
            if any(r.call.pk == call.pk for r in getattr(listed, s.value))
        ]

    assert where(timezone.now()) == ["upcoming"]
    assert where(call.due_at) == ["due"]
    assert where(call.due_at + 4 * HOUR) == ["overdue"]
    assert selectors.calls_to_make_count(membership=nurse, now=call.due_at) == 1
    assert dashboard_summary(membership=nurse).follow_up_calls == 0  # not due yet
    with time_machine.travel(call.due_at + HOUR, tick=False):
        assert dashboard_summary(membership=nurse).follow_up_calls == 1
        services.record_call(
            membership=nurse, call=call, outcome="reached", patient_status="slept well", done=True
        )
        assert where(timezone.now()) == ["done"]
        assert dashboard_summary(membership=nurse).follow_up_calls == 0
    assert where(call.due_at + dt.timedelta(days=8)) == []  # done over a week ago


def test_no_answer_keeps_the_call_open_for_another_attempt(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    call = discharged(members, session)
    services.record_call(membership=nurse, call=call, outcome="no_answer")
    services.record_call(membership=nurse, call=call, outcome="left_message")
    call.refresh_from_db()
    assert call.done_at is None
    assert [a.outcome for a in call.attempts.all()] == ["no_answer", "left_message"]
    with pytest.raises(ValidationError) as refused:
        services.record_call(membership=nurse, call=call, outcome="no_answer", done=True)
    assert "write why in the note" in refused.value.messages[0]
    services.record_call(
        membership=nurse, call=call, outcome="no_answer", concerns="third attempt", done=True
    )
    call.refresh_from_db()
    assert call.done_at is not None and call.done_by_id == nurse.user_id
    with pytest.raises(ValidationError, match="This call was closed"):
        services.record_call(membership=nurse, call=call, outcome="reached", patient_status="ok")


def test_a_reported_adverse_event_is_charted_on_the_session_even_after_sign_off(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = members[Role.NURSE]
    call = discharged(members, session)
    chairside.sign_off(membership=members[Role.PRESCRIBER], session=session)
    attempt = services.record_call(
        membership=nurse,
        call=call,
        outcome="reached",
        patient_status="headache overnight, better now",
        concerns="ask prescriber about paracetamol",
        done=True,
        adverse_event={"event_type": "headache", "grade": 1, "description": "overnight"},
    )
    event = AdverseEvent.objects.get(session=session)
    assert attempt.adverse_event_id == event.pk
    assert event.description == "Reported at the follow-up call after discharge: overnight"


def test_every_reason_is_listed_at_once(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    call = discharged(members, session)
    with pytest.raises(ValidationError) as refused:
        services.record_call(
            membership=members[Role.NURSE],
            call=call,
            outcome="no_answer",
            patient_status="fine",
            adverse_event={"event_type": "nausea", "grade": 9},
        )
    assert refused.value.messages == [
        "How the patient is can only be recorded when the patient was reached.",
        "An adverse event is recorded only when the patient was reached.",
        "Grade the event from 1 (mild) to 5 (death).",
    ]


def test_calls_are_authorised_per_role_and_clinic(
    members: dict[str, Membership], session: TreatmentSession, outsider: Membership
) -> None:
    call = discharged(members, session)
    for role in (Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN):
        with pytest.raises(PermissionDenied):
            selectors.worklist(membership=members[role], now=timezone.now())
        with pytest.raises(PermissionDenied):
            services.record_call(membership=members[role], call=call, outcome="no_answer")
        assert dashboard_summary(membership=members[role]).follow_up_calls is None
    assert selectors.worklist(membership=outsider, now=call.due_at).due == []
    with pytest.raises(Http404):
        selectors.get_call(membership=outsider, call_id=call.pk)
    with pytest.raises(ValidationError, match="another clinic"):
        services.record_call(membership=outsider, call=call, outcome="no_answer")
    selectors.get_call(membership=members[Role.PRESCRIBER], call_id=call.pk)
    assert AuditEvent.objects.filter(summary__contains="follow-up call", action="view").exists()


def test_the_call_page_keeps_what_was_typed_when_refused(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    call = discharged(members, session)
    client = client_for(members[Role.NURSE])
    url = f"/c/alpha/follow-up/{call.pk}/"
    page = client.post(url, {"outcome": "reached", "concerns": "dizzy on standing"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Record how the patient is." in html
    assert "dizzy on standing" in html
    done = client.post(url, {"outcome": "reached", "patient_status": "well", "done": "on"})
    assert done.status_code == 302
    listing = client.get("/c/alpha/follow-up/")
    assert listing.status_code == 200
    assert "Done in the last week (1)" in listing.content.decode()


def test_the_session_page_links_its_follow_up_call(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    call = discharged(members, session)
    page = client_for(members[Role.NURSE]).get(f"/c/alpha/sessions/{session.pk}/")
    assert f"/c/alpha/follow-up/{call.pk}/" in page.content.decode()
    call.delete()  # a session discharged before follow-up calls existed
    assert (
        client_for(members[Role.NURSE]).get(f"/c/alpha/sessions/{session.pk}/").status_code == 200
    )
