"""Reading intakes, eligibility records and courses (authorised and audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.assessments.models import ScaleAdministration
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.patients.models import Patient
from remission.patients.selectors import get_patient
from remission.treatment.models import CoursePhase, Intake, TreatmentCourse

# A re-evaluation is listed this many days ahead of its date, and until a new date is set.
REEVALUATION_NOTICE_DAYS = 7


def _uuid(value: Any) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


def _read(membership: Membership, patient: Patient, what: str) -> None:
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what=what,
        patient_ids=[patient.pk],
    )


@dataclass
class TreatmentOverview:
    patient: Patient
    intakes: list[Intake] = field(default_factory=list)
    courses: list[TreatmentCourse] = field(default_factory=list)
    scales: list[ScaleAdministration] = field(default_factory=list)


def treatment_overview(*, membership: Membership, patient_id: Any) -> TreatmentOverview:
    patient = get_patient(
        membership=membership, patient_id=patient_id, capability=Capability.VIEW_CLINICAL
    )
    overview = TreatmentOverview(
        patient=patient,
        intakes=list(
            Intake.objects.filter(patient=patient).select_related("recorded_by", "signature")
        ),
        courses=list(TreatmentCourse.objects.filter(patient=patient).prefetch_related("sessions")),
        scales=list(ScaleAdministration.objects.filter(patient=patient)[:50]),
    )
    _read(membership, patient, "treatment overview")
    return overview


def get_intake(*, membership: Membership, intake_id: Any) -> Intake:
    intake = (
        Intake.objects.filter(clinic_id=membership.clinic_id, pk=_uuid(intake_id))
        .select_related("patient", "recorded_by")
        .first()
    )
    if intake is None:
        raise Http404("No such intake.")
    require(membership, Capability.VIEW_CLINICAL)
    _read(membership, intake.patient, f"intake of {intake.recorded_at:%Y-%m-%d}")
    return intake


def get_course(
    *, membership: Membership, course_id: Any, capability: Capability = Capability.VIEW_CLINICAL
) -> TreatmentCourse:
    """One course of the member's clinic, for a member with ``capability`` (audited read)."""
    course = (
        TreatmentCourse.objects.filter(clinic_id=membership.clinic_id, pk=_uuid(course_id))
        .select_related("patient")
        .first()
    )
    if course is None:
        raise Http404("No such course.")
    require(membership, capability)
    _read(membership, course.patient, f"course {course.protocol_id}")
    return course


def _reevaluations(membership: Membership, today: dt.date) -> Any:
    return TreatmentCourse.objects.filter(
        clinic_id=membership.clinic_id,
        reevaluation_due__lte=today + dt.timedelta(days=REEVALUATION_NOTICE_DAYS),
    ).exclude(phase=CoursePhase.DISCONTINUED)


def reevaluations_due_count(*, membership: Membership, today: dt.date) -> int | None:
    """For the dashboard: a count, no patient identified (so not an audited read)."""
    if not membership.can(Capability.VIEW_CLINICAL):
        return None
    return int(_reevaluations(membership, today).count())


def reevaluations_due(*, membership: Membership, today: dt.date) -> list[TreatmentCourse]:
    """Courses not discontinued whose re-evaluation is overdue or due within the notice."""
    require(membership, Capability.VIEW_CLINICAL)
    courses = list(
        _reevaluations(membership, today)
        .select_related("patient")
        .order_by("reevaluation_due", "patient__legal_last_name")
    )
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.LIST,
        what="re-evaluations due",
        patient_ids=[c.patient_id for c in courses],
    )
    return courses
