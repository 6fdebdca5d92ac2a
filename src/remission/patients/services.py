"""Changing patient data: authorised per clinic and role, validated, and audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_delete, audited_save
from remission.clinical import diagnoses
from remission.patients.forms import si_value
from remission.patients.models import BodyMeasurement, Diagnosis, MeasurementKind, Patient
from remission.patients.records import RecordKind


def _apply(instance: Any, data: Mapping[str, Any]) -> None:
    for name, value in data.items():
        setattr(instance, name, value)


@transaction.atomic
def register_patient(*, membership: Membership, data: Mapping[str, Any]) -> Patient:
    require(membership, Capability.EDIT_DEMOGRAPHICS)
    patient = Patient(clinic=membership.clinic)
    _apply(patient, data)
    _validate(patient, exclude=[])
    try:
        with transaction.atomic():
            audited_save(patient, actor=membership.user, summary=f"registered {patient}")
    except IntegrityError:
        raise ValidationError(
            {"mrn": f"MRN {patient.mrn} is already used in this clinic."}
        ) from None
    return patient


@transaction.atomic
def update_patient(*, membership: Membership, patient: Patient, data: Mapping[str, Any]) -> Patient:
    require(membership, Capability.EDIT_DEMOGRAPHICS)
    _same_clinic(membership, patient)
    _apply(patient, data)
    _validate(patient, exclude=[])
    audited_save(patient, actor=membership.user, summary=f"edited demographics of {patient}")
    return patient


def _validate(instance: Any, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=True)


def _same_clinic(membership: Membership, patient: Patient) -> None:
    if patient.clinic_id != membership.clinic_id:
        # Never reached through the selectors; guards direct service calls.
        raise ValidationError("This patient belongs to another clinic.")


def _prepare(kind: RecordKind, record: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """Derived fields a kind stores beside what was entered."""
    values = {k: v for k, v in data.items() if k in {f.name for f in kind.model._meta.fields}}
    if isinstance(record, Diagnosis):
        entry = diagnoses.lookup(values["code"])
        if entry is None:
            raise ValidationError({"code": f"{values['code']!r} is not a known ICD-10-CM code."})
        values["code"] = entry.code
        values["description"] = entry.title
    if isinstance(record, BodyMeasurement):
        values["value_si"] = si_value(
            MeasurementKind(values["kind"]), Decimal(values["value"]), values["unit"]
        )
    return values


@transaction.atomic
def add_record(
    *, membership: Membership, patient: Patient, kind: RecordKind, data: Mapping[str, Any]
) -> Any:
    require(membership, kind.edit_capability)
    _same_clinic(membership, patient)
    record = kind.model(patient=patient, clinic=membership.clinic, recorded_by=membership.user)
    _apply(record, _prepare(kind, record, data))
    audited_save(record, actor=membership.user, summary=f"added {kind.singular} {record}")
    _after_change(kind, patient, record, membership)
    return record


@transaction.atomic
def update_record(
    *,
    membership: Membership,
    patient: Patient,
    kind: RecordKind,
    record: Any,
    data: Mapping[str, Any],
) -> Any:
    require(membership, kind.edit_capability)
    _same_clinic(membership, patient)
    _apply(record, _prepare(kind, record, data))
    audited_save(record, actor=membership.user, summary=f"changed {kind.singular} {record}")
    _after_change(kind, patient, record, membership)
    return record


@transaction.atomic
def delete_record(
    *, membership: Membership, patient: Patient, kind: RecordKind, record: Any
) -> None:
    require(membership, kind.edit_capability)
    _same_clinic(membership, patient)
    audited_delete(record, actor=membership.user, summary=f"deleted {kind.singular} {record}")


def _after_change(kind: RecordKind, patient: Patient, record: Any, membership: Membership) -> None:
    """Keep one primary diagnosis: marking one primary demotes the others (audited)."""
    if isinstance(record, Diagnosis) and record.is_primary:
        for other in patient.diagnoses.filter(is_primary=True).exclude(pk=record.pk):
            other.is_primary = False
            audited_save(other, actor=membership.user, summary=f"{other} no longer primary")
