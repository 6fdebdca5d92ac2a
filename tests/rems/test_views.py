"""REMS screens: who may open what (403 / 404), the PDF download, recording a submission or
an enrollment through the forms, and the audit trail they leave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.models import AuditAction, AuditEvent
from remission.patients.models import Patient
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment
from tests.world import client_for
from tests.world.rems import (
    FIRST_DEVICE,
    esketamine_course,
    esketamine_session,
    full_world,
)

pytestmark = pytest.mark.django_db

BASE = "/c/alpha/rems"


def _reads_rems(role: str) -> bool:
    caps = capabilities_of(role)
    return Capability.VIEW_SESSIONS in caps or Capability.MANAGE_REMS in caps


@pytest.mark.parametrize("role", Role.values)
def test_every_rems_address_follows_the_rights_table(
    role: str, members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    client = client_for(members[role])
    manages = Capability.MANAGE_REMS in capabilities_of(role)
    expected = {
        "dashboard": 200 if manages else 403,
        "enroll": 200 if manages else 403,
        "session": 200 if _reads_rems(role) else 403,
        "pdf": 200 if _reads_rems(role) else 403,
        "submit": 302 if manages else 403,
    }
    got = {
        "dashboard": client.get(f"{BASE}/").status_code,
        "enroll": client.get(f"{BASE}/enrollments/new/?patient={patient.pk}").status_code,
        "session": client.get(f"{BASE}/sessions/{session.pk}/").status_code,
        "pdf": client.get(f"{BASE}/sessions/{session.pk}/form.pdf").status_code,
        "submit": client.post(
            f"{BASE}/sessions/{session.pk}/submit/",
            {"submitted_at": "2026-03-12T09:30", "method": "fax"},
        ).status_code,
    }
    assert got == expected
    assert MonitoringFormSubmission.objects.exists() == manages


def test_a_member_of_another_clinic_gets_404_everywhere(
    members: dict[str, Membership], patient: Patient, outsider: Membership
) -> None:
    session = full_world(members, patient).session
    client = client_for(outsider)
    statuses = {
        client.get(f"{BASE}/").status_code,
        client.get(f"{BASE}/enrollments/new/?patient={patient.pk}").status_code,
        client.get(f"{BASE}/sessions/{session.pk}/").status_code,
        client.get(f"{BASE}/sessions/{session.pk}/form.pdf").status_code,
        client.post(
            f"{BASE}/sessions/{session.pk}/submit/",
            {"submitted_at": "2026-03-12T09:30", "method": "fax"},
        ).status_code,
    }
    assert statuses == {404}
    # and through their own clinic's address, the session does not exist either
    own = client.get(f"/c/beta/rems/sessions/{session.pk}/form.pdf")
    assert own.status_code == 404


@pytest.mark.parametrize(
    "session_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "iv-session"]
)
def test_sessions_without_a_rems_form_answer_404(
    members: dict[str, Membership], patient: Patient, session_id: str
) -> None:
    if session_id == "iv-session":
        course = esketamine_course(members, patient, route="iv")
        session_id = str(esketamine_session(members, patient, course).session.pk)
    client = client_for(members[Role.MEDICAL_DIRECTOR])
    assert client.get(f"{BASE}/sessions/{session_id}/").status_code == 404
    assert client.get(f"{BASE}/sessions/{session_id}/form.pdf").status_code == 404


def test_downloading_the_pdf_is_an_audited_pdf_read(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    response = client_for(members[Role.THERAPIST]).get(f"{BASE}/sessions/{session.pk}/form.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rems-monitoring-form-2026-03-10-A-0001.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action=AuditAction.PDF)
    assert event.patient_id == patient.pk
    assert event.actor_id == members[Role.THERAPIST].user_id
    assert event.summary == "REMS monitoring form, session 2026-03-10"


def test_the_session_page_shows_the_form_and_is_an_audited_view(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    response = client_for(members[Role.NURSE]).get(f"{BASE}/sessions/{session.pk}/")
    content = response.content.decode()
    assert "Every field of the form is answered from the chart." in content
    assert "128/82 mmHg" in content
    assert "LOT-A1" in content
    assert "Record the submission" in content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, patient_id=patient.pk, summary__startswith="REMS monitoring form"
    ).exists()


def test_a_therapist_sees_the_form_but_not_the_submission_form(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    content = client_for(members[Role.THERAPIST]).get(f"{BASE}/sessions/{session.pk}/").content
    assert b"128/82 mmHg" in content
    assert b"Record the submission" not in content


def test_a_chosen_monitoring_provider_appears_on_the_form(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    client = client_for(members[Role.NURSE])
    nurse_id = members[Role.NURSE].user_id
    content = client.get(f"{BASE}/sessions/{session.pk}/?hcp={nurse_id}").content.decode()
    assert "Nurse Alpha" in content
    assert "chosen when the form was generated" in content
    assert f"form.pdf?hcp={nurse_id}" in content
    # a front-desk member cannot be named, nor an unknown id
    desk_id = members[Role.FRONT_DESK].user_id
    assert client.get(f"{BASE}/sessions/{session.pk}/?hcp={desk_id}").status_code == 404
    assert client.get(f"{BASE}/sessions/{session.pk}/form.pdf?hcp=nope").status_code == 404


def test_the_dashboard_lists_the_due_form_with_its_actions(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    response = client_for(members[Role.CLINIC_ADMIN]).get(f"{BASE}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Example, Robin" in content
    assert f"{BASE}/sessions/{session.pk}/form.pdf" in content
    assert f"{BASE}/sessions/{session.pk}/#submit" in content
    assert "CERT-12345" in content
    # the session was on 10 March 2026: by now it is overdue
    assert "overdue" in content
    listed = AuditEvent.objects.naming(patient.pk).filter(action=AuditAction.LIST)
    assert listed.filter(summary__contains="REMS dashboard").exists()


def test_the_dashboard_warns_when_the_clinic_is_not_certified(
    members: dict[str, Membership],
) -> None:
    content = client_for(members[Role.CLINIC_ADMIN]).get(f"{BASE}/").content.decode()
    assert "no REMS setting certification number" in content


def test_recording_a_submission_through_the_form(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    response = client_for(members[Role.NURSE]).post(
        f"{BASE}/sessions/{session.pk}/submit/",
        {"submitted_at": "2026-03-12T09:30", "method": "portal", "confirmation_number": "C-1"},
    )
    assert response.status_code == 302
    assert response.url == f"{BASE}/"
    submission = MonitoringFormSubmission.objects.get(session=session)
    # entered in clinic time (EDT) and stored in UTC
    assert submission.submitted_at == dt.datetime(2026, 3, 12, 13, 30, tzinfo=dt.UTC)
    assert submission.confirmation_number == "C-1"
    assert submission.submitted_by == members[Role.NURSE].user


def test_an_incomplete_form_needs_the_confirmation_box(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    session.vitals.all().delete()
    client = client_for(members[Role.NURSE])
    url = f"{BASE}/sessions/{session.pk}/submit/"
    form = {"submitted_at": "2026-03-12T09:30", "method": "fax"}
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode()
    assert not MonitoringFormSubmission.objects.exists()
    accepted = client.post(url, {**form, "acknowledge_missing": "on"})
    assert accepted.status_code == 302
    assert MonitoringFormSubmission.objects.get().incomplete_acknowledged


def test_a_submission_time_in_the_future_is_shown_inline(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = full_world(members, patient).session
    future = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(members[Role.NURSE]).post(
        f"{BASE}/sessions/{session.pk}/submit/", {"submitted_at": future, "method": "fax"}
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


def test_recording_an_enrollment_by_mrn(members: dict[str, Membership], patient: Patient) -> None:
    client = client_for(members[Role.NURSE])
    response = client.post(
        f"{BASE}/enrollments/new/",
        {"mrn": "a-0001", "enrolled_on": "2026-03-01", "rems_patient_id": "RP-9"},
    )
    assert response.status_code == 302
    assert response.url == f"{BASE}/#enrollments"
    enrollment = RemsEnrollment.objects.get()
    assert (enrollment.patient, enrollment.enrolled_on) == (patient, dt.date(2026, 3, 1))
    assert enrollment.enrolled_by == members[Role.NURSE].user
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="rems.remsenrollment", patient_id=patient.pk
    ).exists()


def test_an_unknown_or_foreign_mrn_is_an_inline_error(
    members: dict[str, Membership], patient: Patient, outsider: Membership
) -> None:
    client = client_for(members[Role.NURSE])
    response = client.post(
        f"{BASE}/enrollments/new/", {"mrn": "B-404", "enrolled_on": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "No patient with MRN B-404 in this clinic." in response.content.decode()
    # the patient's MRN typed in the other clinic finds nothing there
    foreign = client_for(outsider).post(
        "/c/beta/rems/enrollments/new/", {"mrn": patient.mrn, "enrolled_on": "2026-03-01"}
    )
    assert foreign.status_code == 200
    assert not RemsEnrollment.objects.exists()


def test_the_enrollment_page_shows_the_history_of_the_patient(
    members: dict[str, Membership], patient: Patient
) -> None:
    full_world(members, patient)
    content = (
        client_for(members[Role.NURSE])
        .get(f"{BASE}/enrollments/new/?patient={patient.pk}")
        .content.decode()
    )
    assert 'value="A-0001"' in content
    assert "RP-778" in content
    assert "Enrollments on record" in content


def test_the_day_board_counts_the_forms_to_send(
    members: dict[str, Membership], patient: Patient
) -> None:
    full_world(members, patient)
    day = (FIRST_DEVICE + dt.timedelta(days=2)).date().isoformat()
    content = client_for(members[Role.NURSE]).get(f"/c/alpha/sessions/today/?day={day}").content
    assert b"REMS forms due: 1" in content
