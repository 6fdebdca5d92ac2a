"""Recording a rating scale: scored by the clinical core, stored with its flags, audited;
refused for a wrong clinic, a role that may not record it, or answers the scale rejects."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.assessments.services import record_scale
from remission.audit.models import AuditAction, AuditEvent
from remission.patients.models import Patient

pytestmark = pytest.mark.django_db


def _phq9(
    membership: Membership, patient: Patient, answers: list[int | None]
) -> ScaleAdministration:
    return record_scale(
        membership=membership,
        patient=patient,
        instrument_id="phq9",
        answers=answers,
        administered_at=timezone.now(),
        context=AssessmentContext.INTAKE,
    )


def test_a_phq9_is_scored_banded_stored_and_audited(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    scale = _phq9(nurse, patient, [2, 2, 2, 2, 2, 2, 2, 1, 0])
    stored = ScaleAdministration.objects.get(pk=scale.pk)
    assert (stored.total, stored.maximum, stored.valid) == (15, 27, True)  # 7 × 2 + 1 + 0
    assert stored.severity == "Moderately severe"
    assert AuditEvent.objects.filter(
        object_type="assessments.scaleadministration",
        object_id=str(scale.pk),
        action=AuditAction.CREATE,
        patient_id=patient.pk,
    ).exists()


def test_a_positive_item_9_is_stored_as_a_flag(
    members: dict[str, Membership], patient: Patient
) -> None:
    scale = _phq9(members[Role.NURSE], patient, [1, 1, 1, 1, 1, 1, 1, 1, 2])
    assert scale.flags and "9" in " ".join(f["id"] + f["message"] for f in scale.flags)


def test_answers_the_scale_rejects_are_refused_and_nothing_is_stored(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(ValidationError):
        _phq9(members[Role.NURSE], patient, [4, 0, 0, 0, 0, 0, 0, 0, 0])
    assert not ScaleAdministration.objects.filter(patient=patient).exists()


def test_a_patient_of_another_clinic_is_refused(outsider: Membership, patient: Patient) -> None:
    with pytest.raises(ValidationError, match="another clinic"):
        _phq9(outsider, patient, [0] * 9)


def test_the_front_desk_cannot_record_an_intake_scale(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        _phq9(members[Role.FRONT_DESK], patient, [0] * 9)
