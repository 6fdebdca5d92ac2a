"""REMS hard stops (readiness), recording enrollments and submissions, and the dashboard
buckets with a frozen "today"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.chairside import selectors as chairside_selectors
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.rems import selectors, services
from remission.rems.models import MonitoringFormSubmission, RemsEnrollment
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world.rems import (
    FIRST_DEVICE,
    certify,
    enroll,
    esketamine_course,
    esketamine_session,
    full_world,
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


def test_the_chair_side_screen_lists_the_rems_hard_stops_before_the_dose(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = esketamine_course(members, patient)
    world = esketamine_session(members, patient, course, discharged=False, signed=False)
    view = chairside_selectors.session_view(
        membership=members[Role.NURSE], session_id=world.session.pk, record=False
    )
    assert any("not enrolled in the SPRAVATO REMS" in p for p in view.ready_to_start)
    assert any("certification number" in p for p in view.ready_to_start)


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


def _submit(membership: Membership, session: TreatmentSession, **kwargs: object) -> object:
    values: dict[str, object] = {
        "submitted_at": FIRST_DEVICE + dt.timedelta(days=2),
        "method": "portal",
        "confirmation_number": "C-991",
    }
    values.update(kwargs)
    return services.record_submission(membership=membership, session=session, **values)  # type: ignore[arg-type]


def test_recording_a_submission_is_audited_and_only_once(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    submission = _submit(members[Role.CLINIC_ADMIN], world.session)
    assert isinstance(submission, MonitoringFormSubmission)
    assert submission.patient == patient
    assert not submission.incomplete_acknowledged
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="rems.monitoringformsubmission",
        patient_id=patient.pk,
    ).exists()
    with pytest.raises(ValidationError, match="already recorded as sent"):
        _submit(members[Role.NURSE], world.session)


def test_a_form_with_unanswered_fields_needs_a_confirmation(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    world.session.vitals.all().delete()
    with pytest.raises(ValidationError, match="leaves 6 field"):
        _submit(members[Role.NURSE], world.session)
    submission = _submit(members[Role.NURSE], world.session, acknowledge_missing=True)
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
        _submit(members[Role.NURSE], world.session, submitted_at=submitted_at)


def test_a_submission_for_a_non_esketamine_session_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = esketamine_course(members, patient, route="iv")
    world = esketamine_session(members, patient, course)
    with pytest.raises(ValidationError, match="Only an esketamine dosing session"):
        _submit(members[Role.NURSE], world.session)


def test_a_therapist_cannot_record_a_submission(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    with pytest.raises(PermissionDenied):
        _submit(members[Role.THERAPIST], world.session)


# --- dashboard buckets ----------------------------------------------------------------------


def _buckets(membership: Membership, today: dt.date) -> dict[str, list[tuple[dt.date, int]]]:
    board = selectors.rems_dashboard(membership=membership, today=today)
    return {
        name: [(row.treatment_date, row.days_left) for row in getattr(board, name)]
        for name in ("due", "overdue", "submitted")
    }


def test_a_form_is_due_for_seven_days_then_overdue(
    members: dict[str, Membership], patient: Patient
) -> None:
    full_world(members, patient)
    admin = members[Role.CLINIC_ADMIN]
    assert _buckets(admin, dt.date(2026, 3, 12)) == {
        "due": [(SESSION_DAY, 5)],
        "overdue": [],
        "submitted": [],
    }
    assert _buckets(admin, dt.date(2026, 3, 17))["due"] == [(SESSION_DAY, 0)]  # due today
    assert _buckets(admin, dt.date(2026, 3, 18)) == {
        "due": [],
        "overdue": [(SESSION_DAY, -1)],
        "submitted": [],
    }
    assert selectors.forms_due_count(membership=admin, today=dt.date(2026, 3, 18)) == 1


def test_sessions_are_sorted_into_due_overdue_and_submitted(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    older = esketamine_session(members, patient, world.course, FIRST_DEVICE - dt.timedelta(days=10))
    newer = esketamine_session(members, patient, world.course, FIRST_DEVICE + dt.timedelta(days=3))
    _submit(members[Role.NURSE], newer.session, submitted_at=FIRST_DEVICE + dt.timedelta(days=4))
    # not needing a form: a cancelled booking without a dose, an IV session
    TreatmentSession.objects.create(
        clinic=patient.clinic,
        patient=patient,
        course=world.course,
        kind="dosing",
        scheduled_start=FIRST_DEVICE + dt.timedelta(days=1),
        duration_min=150,
        status=SessionStatus.CANCELLED,
    )
    esketamine_session(
        members, patient, esketamine_course(members, patient, route="iv"), FIRST_DEVICE
    )
    today = dt.date(2026, 3, 14)
    board = selectors.rems_dashboard(membership=members[Role.NURSE], today=today)
    assert [r.session for r in board.overdue] == [older.session]
    assert [r.session for r in board.due] == [world.session]
    assert [r.session for r in board.submitted] == [newer.session]
    assert board.overdue[0].days_left == -7
    assert board.due[0].days_left == 3
    assert selectors.forms_due_count(membership=members[Role.NURSE], today=today) == 2


def test_the_dashboard_leaves_out_other_clinics_and_old_submissions(
    members: dict[str, Membership], patient: Patient, outsider: Membership
) -> None:
    world = full_world(members, patient)
    _submit(members[Role.NURSE], world.session)
    assert _buckets(outsider, dt.date(2026, 3, 12)) == {"due": [], "overdue": [], "submitted": []}
    late = _buckets(members[Role.NURSE], dt.date(2026, 3, 12) + dt.timedelta(days=40))
    assert late["submitted"] == []


def test_the_enrollment_list_puts_unenrolled_esketamine_patients_first(
    members: dict[str, Membership], patient: Patient
) -> None:
    esketamine_course(members, patient)
    other = Patient.objects.create(
        clinic=patient.clinic,
        mrn="A-0002",
        legal_first_name="Ada",
        legal_last_name="Able",
        date_of_birth=dt.date(1975, 1, 1),
        sex_at_birth="female",
    )
    enroll(members, other, SESSION_DAY)
    board = selectors.rems_dashboard(membership=members[Role.NURSE], today=SESSION_DAY)
    assert [(e.patient, e.current is not None) for e in board.enrollments] == [
        (patient, False),
        (other, True),
    ]
    assert [e.patient for e in board.unenrolled] == [patient]


def test_the_dashboard_is_an_audited_list_of_the_patients_shown(
    members: dict[str, Membership], patient: Patient
) -> None:
    full_world(members, patient)
    selectors.rems_dashboard(membership=members[Role.NURSE], today=SESSION_DAY)
    events = AuditEvent.objects.filter(action=AuditAction.LIST, summary="REMS dashboard")
    assert list(events.values_list("patient_id", flat=True)) == [patient.pk]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK])
def test_the_dashboard_needs_rems_duties(
    role: str, members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.rems_dashboard(membership=members[role], today=SESSION_DAY)
    with pytest.raises(PermissionDenied):
        selectors.forms_due_count(membership=members[role], today=SESSION_DAY)
