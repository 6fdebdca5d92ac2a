"""Patient services called directly: registering and editing a patient, adding, changing and
deleting chart entries; each refused for the wrong role or clinic, each audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.patients import services
from remission.patients.models import Allergy, BodyMeasurement, Diagnosis, Patient
from remission.patients.records import RECORD_KINDS

pytestmark = pytest.mark.django_db

NEW_PATIENT = {
    "mrn": "A-0100",
    "legal_first_name": "Alex",
    "legal_last_name": "New",
    "date_of_birth": dt.date(1990, 6, 1),
    "sex_at_birth": "male",
}


def _events(object_type: str, pk: object, action: AuditAction) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type=object_type, object_id=str(pk), action=action)
    )


def test_registering_a_patient_stores_it_in_the_members_clinic_and_audits_it(
    members: dict[str, Membership],
) -> None:
    front = members[Role.FRONT_DESK]
    patient = services.register_patient(membership=front, data=NEW_PATIENT)
    assert Patient.objects.get(pk=patient.pk).clinic_id == front.clinic_id
    (event,) = _events("patients.patient", patient.pk, AuditAction.CREATE)
    assert (event.actor_id, event.patient_id) == (front.user_id, patient.pk)  # type: ignore[attr-defined]


def test_a_duplicate_mrn_in_the_clinic_is_refused_and_nothing_is_stored(
    members: dict[str, Membership], patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="Clinic and MRN already exists"):
        services.register_patient(
            membership=members[Role.FRONT_DESK], data={**NEW_PATIENT, "mrn": patient.mrn}
        )
    assert Patient.objects.filter(mrn=patient.mrn).count() == 1


@pytest.mark.parametrize("role", [Role.THERAPIST])
def test_a_role_without_the_right_cannot_register(
    members: dict[str, Membership], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.register_patient(membership=members[role], data=NEW_PATIENT)
    assert not Patient.objects.filter(mrn=NEW_PATIENT["mrn"]).exists()


def test_editing_demographics_saves_and_audits_the_change(
    members: dict[str, Membership], patient: Patient
) -> None:
    front = members[Role.FRONT_DESK]
    services.update_patient(membership=front, patient=patient, data={"legal_first_name": "Robyn"})
    assert Patient.objects.get(pk=patient.pk).legal_first_name == "Robyn"
    (event,) = _events("patients.patient", patient.pk, AuditAction.UPDATE)
    assert "Robyn" in str(event.changes)


def test_a_patient_of_another_clinic_cannot_be_edited(
    outsider: Membership, patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="another clinic"):
        services.update_patient(membership=outsider, patient=patient, data={"mrn": "B-1"})
    assert Patient.objects.get(pk=patient.pk).mrn == "A-0001"


def test_a_diagnosis_takes_the_catalogue_code_and_title(
    members: dict[str, Membership], patient: Patient
) -> None:
    diagnosis = services.add_record(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        kind=RECORD_KINDS["diagnoses"],
        data={"code": "f32.2", "description": "typed by hand", "is_primary": False},
    )
    assert (diagnosis.code, diagnosis.description) != ("f32.2", "typed by hand")
    assert diagnosis.code == "F32.2"
    assert _events("patients.diagnosis", diagnosis.pk, AuditAction.CREATE)


def test_an_unknown_diagnosis_code_is_refused_and_nothing_is_stored(
    members: dict[str, Membership], patient: Patient
) -> None:
    before = Diagnosis.objects.count()
    with pytest.raises(ValidationError, match="not a known ICD-10-CM code"):
        services.add_record(
            membership=members[Role.PRESCRIBER],
            patient=patient,
            kind=RECORD_KINDS["diagnoses"],
            data={"code": "X99.99"},
        )
    assert Diagnosis.objects.count() == before


def test_marking_a_diagnosis_primary_demotes_the_other_primary_and_audits_both(
    members: dict[str, Membership], patient: Patient
) -> None:
    old = patient.diagnoses.get(is_primary=True)
    new = services.add_record(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        kind=RECORD_KINDS["diagnoses"],
        data={"code": "F41.1", "is_primary": True},
    )
    old.refresh_from_db()
    assert (old.is_primary, new.is_primary) == (False, True)
    assert _events("patients.diagnosis", old.pk, AuditAction.UPDATE)


def test_a_weight_in_pounds_is_stored_with_its_value_in_kilograms(
    members: dict[str, Membership], patient: Patient
) -> None:
    weight = services.add_record(
        membership=members[Role.NURSE],
        patient=patient,
        kind=RECORD_KINDS["measurements"],
        data={
            "kind": "weight",
            "measured_on": dt.date(2026, 11, 30),
            "value": Decimal("176"),
            "unit": "lb",
        },
    )
    stored = BodyMeasurement.objects.get(pk=weight.pk)
    # 176 lb × 0.45359237 kg/lb = 79.83225712 kg, kept to four places
    assert (stored.value, stored.unit, stored.value_si) == (
        Decimal("176"),
        "lb",
        Decimal("79.8323"),
    )


def test_changing_and_deleting_an_entry_are_audited(
    members: dict[str, Membership], patient: Patient
) -> None:
    nurse = members[Role.NURSE]
    allergy = patient.allergies.get()
    kind = RECORD_KINDS["allergies"]
    services.update_record(
        membership=nurse, patient=patient, kind=kind, record=allergy, data={"substance": "Latex"}
    )
    assert Allergy.objects.get(pk=allergy.pk).substance == "Latex"
    pk = allergy.pk
    services.delete_record(membership=nurse, patient=patient, kind=kind, record=allergy)
    assert not Allergy.objects.filter(pk=pk).exists()
    assert _events("patients.allergy", pk, AuditAction.UPDATE)
    (deleted,) = _events("patients.allergy", pk, AuditAction.DELETE)
    assert deleted.actor_id == nurse.user_id  # type: ignore[attr-defined]


def test_an_entry_cannot_be_added_to_a_patient_of_another_clinic(
    outsider: Membership, patient: Patient
) -> None:
    with pytest.raises(ValidationError, match="another clinic"):
        services.add_record(
            membership=outsider,
            patient=patient,
            kind=RECORD_KINDS["allergies"],
            data={"substance": "Latex"},
        )
