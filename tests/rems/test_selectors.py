"""The REMS dashboard: forms due, overdue and submitted with a frozen "today", and the
enrollment list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role
from remission.audit.models import AuditAction, AuditEvent, AuditEventPatient
from remission.patients.models import Patient
from remission.rems import selectors
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world.rems import (
    FIRST_DEVICE,
    enroll,
    esketamine_course,
    esketamine_session,
    full_world,
    submit_monitoring_form,
)

pytestmark = pytest.mark.django_db


SESSION_DAY = FIRST_DEVICE.date()  # 2026-03-10; the form is due on 2026-03-17


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
    submit_monitoring_form(
        members[Role.NURSE], newer.session, submitted_at=FIRST_DEVICE + dt.timedelta(days=4)
    )
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
    submit_monitoring_form(members[Role.NURSE], world.session)
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
    event = AuditEvent.objects.get(action=AuditAction.LIST, summary="REMS dashboard")
    assert event.patient_id is None
    assert list(event.named_patients.values_list("patient_id", "names_only")) == [
        (patient.pk, True)
    ]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK])
def test_the_dashboard_needs_rems_duties(
    role: str, members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.rems_dashboard(membership=members[role], today=SESSION_DAY)
    with pytest.raises(PermissionDenied):
        selectors.forms_due_count(membership=members[role], today=SESSION_DAY)


# --- who reads a session's form, and who may send it ----------------------------------------


def test_a_therapist_reads_the_monitoring_form_but_only_rems_duties_may_load_it_to_submit(
    members: dict[str, Membership], patient: Patient
) -> None:
    world = full_world(members, patient)
    therapist = members[Role.THERAPIST]
    session, _ = selectors.monitoring_form(membership=therapist, session_id=world.session.pk)
    assert session.pk == world.session.pk
    with pytest.raises(PermissionDenied):
        selectors.monitoring_form(
            membership=therapist, session_id=world.session.pk, capability=Capability.MANAGE_REMS
        )
    admin = members[Role.CLINIC_ADMIN]
    session, _ = selectors.monitoring_form(
        membership=admin, session_id=world.session.pk, capability=Capability.MANAGE_REMS
    )
    assert session.pk == world.session.pk


def test_only_rems_duties_load_the_staff_an_enrollment_may_name(
    members: dict[str, Membership],
) -> None:
    named = selectors.enrollment_staff(membership=members[Role.CLINIC_ADMIN])
    assert {m.role for m in named} <= {Role.NURSE, Role.PRESCRIBER, Role.MEDICAL_DIRECTOR}
    assert named
    with pytest.raises(PermissionDenied):
        selectors.enrollment_staff(membership=members[Role.FRONT_DESK])


def test_each_dashboard_list_pages_on_its_own_and_audits_only_the_page_shown(
    members: dict[str, Membership], patient: Patient
) -> None:
    clinic = patient.clinic
    others = [
        Patient.objects.create(
            clinic=clinic,
            mrn=f"P-{n:03}",
            legal_first_name="Pat",
            legal_last_name=f"Paged{n:03}",
            date_of_birth=dt.date(1980, 1, 1),
            sex_at_birth="female",
        )
        for n in range(selectors.DASHBOARD_PAGE_SIZE + 2)
    ]
    for other in others:
        enroll(members, other, dt.date(2026, 1, 5))
    nurse = members[Role.NURSE]
    today = dt.date(2026, 3, 12)
    first = selectors.rems_dashboard(membership=nurse, today=today)
    assert len(first.enrollments) == len(others)  # counted in full
    assert len(first.pages["enrollments"].object_list) == selectors.DASHBOARD_PAGE_SIZE
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    second = selectors.rems_dashboard(
        membership=nurse, today=today, page_numbers={"enrollments": "2"}
    )
    shown = [e.patient.pk for e in second.pages["enrollments"].object_list]
    assert len(shown) == 2
    audited = set(
        AuditEventPatient.objects.filter(
            event__id__gt=before, event__summary="REMS dashboard"
        ).values_list("patient_id", flat=True)
    )
    assert audited == set(shown)  # one list event naming only the page's patients
