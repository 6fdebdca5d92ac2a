"""REMS hard stops (readiness), recording enrollments and submissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.rems import services
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment
from tests.world.rems import (
    FIRST_DEVICE,
    certify,
    enroll,
    esketamine_course,
    esketamine_session,
    full_world,
    submit_monitoring_form,
)

pytestmark = pytest.mark.django_db


SESSION_DAY = FIRST_DEVICE.date()  # 2026-03-10; the form is due on 2026-03-17


# --- readiness ------------------------------------------------------------------------------


def test_an_uncertified_clinic_and_an_unenrolled_patient_are_both_hard_stops(
    patient: Patient,
) -> None:
    problems = services.rems_readiness(patient=patient, clinic=patient.clinic)
    assert len(problems) == 2
    assert "certification number" in problems[0]
    assert "not enrolled" in problems[1]


def test_a_certified_clinic_and_an_enrolled_patient_are_ready(
    members: dict[str, Membership], patient: Patient
) -> None:
    certify(patient.clinic)
    enroll(members, patient, SESSION_DAY)
    assert services.rems_readiness(patient=patient, clinic=patient.clinic, today=SESSION_DAY) == []


def test_an_enrollment_dated_in_the_future_does_not_count_yet(
    members: dict[str, Membership], patient: Patient
) -> None:
    certify(patient.clinic)
    enroll(members, patient, SESSION_DAY + dt.timedelta(days=1))
    problems = services.rems_readiness(patient=patient, clinic=patient.clinic, today=SESSION_DAY)
    assert len(problems) == 1
    assert "not enrolled" in problems[0]


def test_an_enrollment_recorded_by_another_clinic_does_not_count(
    members: dict[str, Membership], patient: Patient, clinic_b: Clinic
) -> None:
    certify(patient.clinic)
    RemsEnrollment.objects.create(
        patient=patient, clinic=clinic_b, recorded_by=None, enrolled_on=SESSION_DAY
    )
    problems = services.rems_readiness(patient=patient, clinic=patient.clinic, today=SESSION_DAY)
    assert any("not enrolled" in p for p in problems)


# --- enrollment -----------------------------------------------------------------------------


def test_recording_an_enrollment_is_audited(
    members: dict[str, Membership], patient: Patient
) -> None:
    enrollment = services.record_enrollment(
        membership=members[Role.NURSE],
        patient=patient,
        enrolled_on=SESSION_DAY,
        rems_patient_id=" RP-1 ",
    )
    assert enrollment.rems_patient_id == "RP-1"
    assert enrollment.enrolled_by == members[Role.NURSE].user
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="rems.remsenrollment")
    assert event.patient_id == patient.pk


def test_an_enrollment_in_the_future_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.record_enrollment(
            membership=members[Role.NURSE],
            patient=patient,
            enrolled_on=timezone.localdate() + dt.timedelta(days=2),
        )


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK])
def test_roles_without_rems_duties_cannot_enroll(
    role: str, members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        services.record_enrollment(
            membership=members[role], patient=patient, enrolled_on=SESSION_DAY
        )
    assert not RemsEnrollment.objects.exists()


def test_a_member_of_another_clinic_cannot_enroll_this_clinics_patient(
    outsider: Membership, patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="another clinic"):
        services.record_enrollment(membership=outsider, patient=patient, enrolled_on=SESSION_DAY)


# --- submissions ----------------------------------------------------------------------------


def test_recording_a_submission_is_audited_and_only_once(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    submission = submit_monitoring_form(members[Role.CLINIC_ADMIN], world.session)
    assert isinstance(submission, MonitoringFormSubmission)
    assert submission.patient == patient
    assert not submission.incomplete_acknowledged
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="rems.monitoringformsubmission",
        patient_id=patient.pk,
    ).exists()
    with pytest.raises(ValidationError, match="already recorded as sent"):
        submit_monitoring_form(members[Role.NURSE], world.session)


def test_a_form_with_unanswered_fields_needs_a_confirmation(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.vitals.all().delete()
    with pytest.raises(ValidationError, match="leaves 6 field"):
        submit_monitoring_form(members[Role.NURSE], world.session)
    submission = submit_monitoring_form(
        members[Role.NURSE], world.session, acknowledge_missing=True
    )
    assert isinstance(submission, MonitoringFormSubmission)
    assert submission.incomplete_acknowledged


@pytest.mark.parametrize(
    ("submitted_at", "message"),
    [
        (timezone.now() + dt.timedelta(days=1), "cannot be in the future"),
        (FIRST_DEVICE - dt.timedelta(days=1), "before the session"),
    ],
)
def test_an_impossible_submission_time_is_refused(
    members: dict[str, Membership], patient: Patient, submitted_at: dt.datetime, message: str
) -> None:
    world = full_world(members, patient)
    with pytest.raises(ValidationError, match=message):
        submit_monitoring_form(members[Role.NURSE], world.session, submitted_at=submitted_at)


def test_a_submission_for_a_non_esketamine_session_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = esketamine_course(members, patient, route="iv")
    world = esketamine_session(members, patient, course)
    with pytest.raises(ValidationError, match="Only an esketamine dosing session"):
        submit_monitoring_form(members[Role.NURSE], world.session)


def test_a_therapist_cannot_record_a_submission(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    with pytest.raises(PermissionDenied):
        submit_monitoring_form(members[Role.THERAPIST], world.session)
