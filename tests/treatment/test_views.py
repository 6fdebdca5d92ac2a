"""The re-evaluation worklist and the re-evaluation form of a course."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.treatment import services
from remission.treatment.models import TreatmentCourse
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _due_in(course: TreatmentCourse, days: int) -> None:
    today = timezone.localdate(timezone=course.clinic.tzinfo)
    TreatmentCourse.objects.filter(pk=course.pk).update(
        reevaluation_due=today + dt.timedelta(days=days)
    )


def test_the_worklist_lists_overdue_and_soon_due_courses_and_audits_the_read(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    prescriber = client_for(members[Role.PRESCRIBER])
    _due_in(course, 30)
    page = prescriber.get("/c/alpha/treatment/reevaluations/")
    assert b"No re-evaluation is due." in page.content

    _due_in(course, -2)
    page = prescriber.get("/c/alpha/treatment/reevaluations/")
    assert page.status_code == 200
    assert b"Robin Example" in page.content
    assert b"overdue" in page.content
    read = AuditEvent.objects.filter(action=AuditAction.LIST, summary="re-evaluations due")
    assert read.naming(course.patient_id).filter(actor=members[Role.PRESCRIBER].user).exists()

    dashboard = prescriber.get("/c/alpha/").content.decode()
    listed = dashboard.split('data-testid="wl-reeval"')[1].split("</section>")[0]
    assert "Re-evaluations due" in listed and "Robin Example" in listed
    assert b"Re-evaluations" not in client_for(members[Role.FRONT_DESK]).get("/c/alpha/").content
    assert (
        client_for(members[Role.FRONT_DESK]).get("/c/alpha/treatment/reevaluations/").status_code
        == 403
    )


def test_a_discontinued_course_is_not_due(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    _due_in(course, -1)
    services.change_phase(
        membership=members[Role.PRESCRIBER],
        course=course,
        to_phase="discontinued",
        reason="moved away",
    )
    page = client_for(members[Role.PRESCRIBER]).get("/c/alpha/treatment/reevaluations/")
    assert b"No re-evaluation is due." in page.content


def test_recording_a_re_evaluation_sets_the_next_date_and_keeps_the_history(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    _due_in(course, 0)
    prescriber = client_for(members[Role.PRESCRIBER])
    url = f"/c/alpha/treatment/courses/{course.pk}/reevaluation/"
    today = timezone.localdate(timezone=course.clinic.tzinfo)

    refused = prescriber.post(url, {"note": "responding", "next_due": today.isoformat()})
    assert refused.status_code == 400
    assert b"The next re-evaluation must fall after today." in refused.content
    missing = prescriber.post(url, {"note": "", "next_due": ""})
    assert missing.status_code == 400
    assert missing.content.count(b"This field is required.") == 2
    course.refresh_from_db()
    assert course.reevaluation_due == today

    next_due = today + dt.timedelta(days=28)
    done = prescriber.post(url, {"note": "PHQ-9 down 60 %; continue", "next_due": next_due})
    assert done.status_code == 302
    course.refresh_from_db()
    assert course.reevaluation_due == next_due
    page = prescriber.get(f"/c/alpha/treatment/courses/{course.pk}/")
    assert b"PHQ-9 down 60 %; continue" in page.content
    assert AuditEvent.objects.filter(
        patient_id=course.patient_id, summary=f"re-evaluated; next due {next_due}"
    ).exists()
    assert (
        b"No re-evaluation is due." in prescriber.get("/c/alpha/treatment/reevaluations/").content
    )

    nurse = client_for(members[Role.NURSE])
    assert nurse.post(url, {"note": "x", "next_due": next_due}).status_code == 403


def test_the_course_form_refuses_a_dose_beyond_the_hard_limit_inline_and_books_nothing(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    prescriber = members[Role.PRESCRIBER]
    services.change_phase(
        membership=prescriber, course=course, to_phase="discontinued", reason="replanning"
    )
    sessions_before = course.patient.sessions.count()
    response = client_for(prescriber).post(
        f"/c/alpha/treatment/patients/{course.patient.pk}/courses/new/",
        {
            "protocol_id": "iv-induction-3x-weekly",
            "start_date": timezone.localdate().isoformat(),
            "mg_per_kg": "5",
            "weight_basis": "actual",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "5 mg/kg is outside the hard limits" in page
    assert 'value="5"' in page  # what was typed stays
    assert TreatmentCourse.objects.filter(patient=course.patient).count() == 1
    assert course.patient.sessions.count() == sessions_before


def _phase_select(html: str) -> str:
    return html.split('name="to_phase"', 1)[1].split("</select>", 1)[0]


def test_the_phase_select_offers_only_the_next_phases_and_preselects_none(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    url = f"/c/alpha/treatment/courses/{course.pk}/"
    prescriber = client_for(members[Role.PRESCRIBER])
    select = _phase_select(prescriber.get(url).content.decode())
    assert '<option value="" selected>— choose —</option>' in select
    assert select.count("selected") == 1
    assert 'value="evaluation"' not in select  # never the phase it cannot move back to
    offered = [o.split('"', 1)[0] for o in select.split('<option value="')[2:]]
    assert offered == [p.value for p in services.next_phases(course)]


def test_a_refused_phase_change_is_shown_inline_keeping_the_choice(
    members: dict[str, Membership], course: TreatmentCourse
) -> None:
    url = f"/c/alpha/treatment/courses/{course.pk}/"
    response = client_for(members[Role.PRESCRIBER]).post(
        f"{url}phase/", {"to_phase": "paused", "reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say why the course is paused or discontinued." in html
    assert '<option value="paused" selected>' in _phase_select(html)
    course.refresh_from_db()
    assert course.phase != "paused"
