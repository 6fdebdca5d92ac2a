"""The patient services, called directly: each writes its row and an audit event naming the
actor and the patient, and refuses a role without the capability or a patient of another
clinic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.patients import services
from remission.patients.models import Allergy, BodyMeasurement, Diagnosis, Patient
from remission.patients.records import RECORD_KINDS

pytestmark = pytest.mark.django_db

JAMIE = {
    "mrn": "A-0100",
    "legal_first_name": "Jamie",
    "legal_last_name": "Doe",
    "date_of_birth": dt.date(1985, 6, 1),
    "sex_at_birth": "male",
}


def _events_of(instance: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=instance._meta.label_lower, object_id=str(instance.pk)
        ).order_by("id")
    )


# --- register_patient ----------------------------------------------------------------------


def test_register_patient_writes_the_patient_in_the_members_clinic_and_audits_it(
    members: dict[str, Membership],
) -> None:
    front = members[Role.FRONT_DESK]
    patient = services.register_patient(membership=front, data=JAMIE)
    stored = Patient.objects.get(pk=patient.pk)
    assert (stored.clinic_id, stored.mrn, stored.legal_last_name) == (
        front.clinic_id,
        "A-0100",
        "Doe",
    )
    (event,) = _events_of(patient)
    assert (event.action, event.actor_id, event.patient_id, event.clinic_id) == (
        AuditAction.CREATE,
        front.user_id,
        patient.pk,
        front.clinic_id,
    )
    assert event.summary == f"registered {patient}"


def test_register_patient_refuses_a_duplicate_mrn_in_the_clinic_and_writes_nothing(
    members: dict[str, Membership], patient: Patient
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="Patient with this Clinic and MRN already exists"):
        services.register_patient(
            membership=members[Role.FRONT_DESK], data={**JAMIE, "mrn": patient.mrn}
        )
    assert Patient.objects.filter(mrn=patient.mrn).count() == 1
    assert AuditEvent.objects.count() == before


def test_register_patient_refuses_invalid_demographics(members: dict[str, Membership]) -> None:
    with pytest.raises(ValidationError) as refused:
        services.register_patient(
            membership=members[Role.FRONT_DESK], data={**JAMIE, "legal_last_name": ""}
        )
    assert "legal_last_name" in refused.value.message_dict
    assert not Patient.objects.filter(mrn="A-0100").exists()


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.CLINIC_ADMIN])
def test_register_patient_refuses_a_role_that_cannot_edit_demographics(
    members: dict[str, Membership], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.register_patient(membership=members[role], data=JAMIE)
    assert not Patient.objects.filter(mrn="A-0100").exists()


# --- update_patient ------------------------------------------------------------------------


def test_update_patient_changes_the_row_and_audits_the_change_against_the_patient(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    services.update_patient(membership=nurse, patient=patient, data={"preferred_name": "Rob"})
    assert Patient.objects.get(pk=patient.pk).preferred_name == "Rob"
    event = _events_of(patient)[-1]
    assert (event.action, event.actor_id, event.patient_id) == (
        AuditAction.UPDATE,
        nurse.user_id,
        patient.pk,
    )
    assert event.summary == f"edited demographics of {patient}"
    assert event.changes["preferred_name"] == ["", "Rob"]


def test_update_patient_refuses_a_patient_of_another_clinic(
    outsider: Membership, patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.update_patient(
            membership=outsider, patient=patient, data={"legal_last_name": "Changed"}
        )
    assert Patient.objects.get(pk=patient.pk).legal_last_name == "Example"


def test_update_patient_refuses_a_role_that_cannot_edit_demographics(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(PermissionDenied):
        services.update_patient(
            membership=members[Role.THERAPIST], patient=patient, data={"legal_last_name": "X"}
        )
    assert Patient.objects.get(pk=patient.pk).legal_last_name == "Example"


# --- add_record ----------------------------------------------------------------------------


def test_add_record_writes_the_entry_with_its_recorder_and_audits_it(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    allergy = services.add_record(
        membership=nurse,
        patient=patient,
        kind=RECORD_KINDS["allergies"],
        data={"substance": "Latex"},
    )
    stored = Allergy.objects.get(pk=allergy.pk)
    assert (stored.patient_id, stored.clinic_id, stored.recorded_by_id) == (
        patient.pk,
        nurse.clinic_id,
        nurse.user_id,
    )
    (event,) = _events_of(allergy)
    assert (event.action, event.actor_id, event.patient_id) == (
        AuditAction.CREATE,
        nurse.user_id,
        patient.pk,
    )
    assert event.summary == f"added allergy {allergy}"


def test_add_record_stores_a_weight_in_si_units_and_a_diagnosis_with_its_catalogue_title(
    members: dict[str, Membership], patient: Patient
) -> None:
    director = members[Role.MEDICAL_DIRECTOR]
    weight = services.add_record(
        membership=director,
        patient=patient,
        kind=RECORD_KINDS["measurements"],
        data={"kind": "weight", "measured_on": dt.date(2026, 2, 1), "value": "176", "unit": "lb"},
    )
    assert BodyMeasurement.objects.get(pk=weight.pk).value_si == Decimal(
        "79.8323"
    )  # 176 × 0.45359237
    diagnosis = services.add_record(
        membership=director,
        patient=patient,
        kind=RECORD_KINDS["diagnoses"],
        data={"code": "f43.10", "is_primary": False},
    )
    stored = Diagnosis.objects.get(pk=diagnosis.pk)
    assert (stored.code, stored.description) == (
        "F43.10",
        "Post-traumatic stress disorder, unspecified",
    )


def test_add_record_refuses_an_unknown_diagnosis_code(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="not a known ICD-10-CM code"):
        services.add_record(
            membership=members[Role.PRESCRIBER],
            patient=patient,
            kind=RECORD_KINDS["diagnoses"],
            data={"code": "XYZ.9", "is_primary": False},
        )
    assert patient.diagnoses.count() == 1


def test_a_new_primary_diagnosis_demotes_the_old_one_and_audits_the_demotion(
    members: dict[str, Membership], patient: Patient
) -> None:
    prescriber = members[Role.PRESCRIBER]
    (old,) = patient.diagnoses.filter(is_primary=True)
    new = services.add_record(
        membership=prescriber,
        patient=patient,
        kind=RECORD_KINDS["diagnoses"],
        data={"code": "F32.2", "is_primary": True},
    )
    assert list(patient.diagnoses.filter(is_primary=True)) == [new]
    demotion = _events_of(old)[-1]
    assert (demotion.action, demotion.actor_id, demotion.patient_id) == (
        AuditAction.UPDATE,
        prescriber.user_id,
        patient.pk,
    )
    assert demotion.summary == f"{Diagnosis.objects.get(pk=old.pk)} no longer primary"


def test_add_record_refuses_a_role_without_the_kinds_edit_capability(
    members: dict[str, Membership], patient: Patient
) -> None:
    """Nurses record history but not diagnoses; the front desk records neither."""
    with pytest.raises(PermissionDenied):
        services.add_record(
            membership=members[Role.NURSE],
            patient=patient,
            kind=RECORD_KINDS["diagnoses"],
            data={"code": "F32.2", "is_primary": False},
        )
    with pytest.raises(PermissionDenied):
        services.add_record(
            membership=members[Role.FRONT_DESK],
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            data={"substance": "Latex"},
        )
    assert patient.diagnoses.count() == 1
    assert list(patient.allergies.values_list("substance", flat=True)) == ["Penicillin"]


def test_add_record_refuses_a_patient_of_another_clinic(
    outsider: Membership, patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.add_record(
            membership=outsider,
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            data={"substance": "Latex"},
        )
    assert not Allergy.objects.filter(substance="Latex").exists()


# --- update_record -------------------------------------------------------------------------


def test_update_record_changes_the_entry_and_audits_the_change(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    allergy = patient.allergies.get()
    services.update_record(
        membership=nurse,
        patient=patient,
        kind=RECORD_KINDS["allergies"],
        record=allergy,
        data={"substance": "Amoxicillin"},
    )
    assert Allergy.objects.get(pk=allergy.pk).substance == "Amoxicillin"
    event = _events_of(allergy)[-1]
    assert (event.action, event.actor_id, event.patient_id) == (
        AuditAction.UPDATE,
        nurse.user_id,
        patient.pk,
    )
    assert event.changes["substance"] == ["Penicillin", "Amoxicillin"]


def test_update_record_refuses_a_patient_of_another_clinic(
    outsider: Membership, patient: Patient
) -> None:
    allergy = patient.allergies.get()
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.update_record(
            membership=outsider,
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            record=allergy,
            data={"substance": "Amoxicillin"},
        )
    assert Allergy.objects.get(pk=allergy.pk).substance == "Penicillin"


def test_update_record_refuses_a_role_without_the_kinds_edit_capability(
    members: dict[str, Membership], patient: Patient
) -> None:
    allergy = patient.allergies.get()
    with pytest.raises(PermissionDenied):
        services.update_record(
            membership=members[Role.THERAPIST],
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            record=allergy,
            data={"substance": "Amoxicillin"},
        )
    assert Allergy.objects.get(pk=allergy.pk).substance == "Penicillin"


# --- delete_record -------------------------------------------------------------------------


def test_delete_record_removes_the_entry_and_audits_it_with_its_last_version(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    allergy = patient.allergies.get()
    pk = allergy.pk
    services.delete_record(
        membership=nurse, patient=patient, kind=RECORD_KINDS["allergies"], record=allergy
    )
    assert not Allergy.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(
        object_type="patients.allergy", object_id=str(pk), action=AuditAction.DELETE
    )
    assert (event.actor_id, event.patient_id) == (nurse.user_id, patient.pk)
    assert event.previous is not None
    assert event.previous["substance"] == "Penicillin"


def test_delete_record_refuses_a_patient_of_another_clinic_and_a_role_without_the_right(
    members: dict[str, Membership], outsider: Membership, patient: Patient
) -> None:
    allergy = patient.allergies.get()
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.delete_record(
            membership=outsider, patient=patient, kind=RECORD_KINDS["allergies"], record=allergy
        )
    with pytest.raises(PermissionDenied):
        services.delete_record(
            membership=members[Role.FRONT_DESK],
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            record=allergy,
        )
    assert Allergy.objects.filter(pk=allergy.pk).exists()
