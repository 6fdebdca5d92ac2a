"""Patient endpoints: list/search, read a chart, register a patient."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from remission.accounts.access import membership_for
from remission.patients import selectors, services
from remission.patients.forms import PatientForm

router = Router(tags=["patients"])


class PatientSummary(Schema):
    id: uuid.UUID
    mrn: str
    legal_name: str
    preferred_name: str
    date_of_birth: dt.date
    sex_at_birth: str


class PatientPage(Schema):
    count: int
    page: int
    pages: int
    results: list[PatientSummary]


class DiagnosisOut(Schema):
    code: str
    description: str
    status: str
    is_primary: bool
    treatment_resistant: bool


class TrialOut(Schema):
    drug: str
    dose_mg_per_day: Decimal | None
    duration_weeks: int
    adherence: str
    outcome: str
    adequate_trial: bool
    current_episode: bool


class MeasurementOut(Schema):
    kind: str
    measured_on: dt.date
    value: Decimal
    unit: str
    value_si: Decimal


class PatientDetail(PatientSummary):
    gender_identity: str
    pronouns: str
    phone: str
    email: str
    diagnoses: list[DiagnosisOut] | None = None
    antidepressant_trials: list[TrialOut] | None = None
    measurements: list[MeasurementOut] | None = None


class PatientIn(Schema):
    mrn: str
    legal_first_name: str
    legal_last_name: str
    date_of_birth: dt.date
    sex_at_birth: str
    legal_middle_name: str = ""
    preferred_name: str = ""
    gender_identity: str = ""
    pronouns: str = ""
    phone: str = ""
    email: str = ""


def _summary(p: object) -> dict[str, object]:
    return {
        "id": p.pk,  # type: ignore[attr-defined]
        "mrn": p.mrn,  # type: ignore[attr-defined]
        "legal_name": p.legal_name,  # type: ignore[attr-defined]
        "preferred_name": p.preferred_name,  # type: ignore[attr-defined]
        "date_of_birth": p.date_of_birth,  # type: ignore[attr-defined]
        "sex_at_birth": p.sex_at_birth,  # type: ignore[attr-defined]
    }


@router.get(
    "/clinics/{clinic_slug}/patients", response=PatientPage, summary="List or search patients"
)
def list_patients(
    request: HttpRequest, clinic_slug: str, q: str = "", page: int = 1
) -> dict[str, object]:
    membership = membership_for(request.user, clinic_slug)
    result = selectors.patient_list(membership=membership, query=q, page_number=page, via_api=True)
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "results": [_summary(p) for p in result.object_list],
    }


@router.get(
    "/clinics/{clinic_slug}/patients/{patient_id}",
    response=PatientDetail,
    summary="Read a patient's chart",
)
def read_patient(request: HttpRequest, clinic_slug: str, patient_id: str) -> dict[str, object]:
    membership = membership_for(request.user, clinic_slug)
    chart = selectors.patient_chart(membership=membership, patient_id=patient_id, via_api=True)
    p = chart.patient
    data = _summary(p) | {
        "gender_identity": p.gender_identity,
        "pronouns": p.pronouns,
        "phone": p.phone,
        "email": p.email,
    }
    if "diagnoses" in chart.sections:
        data["diagnoses"] = chart.sections["diagnoses"]
        data["antidepressant_trials"] = chart.sections["trials"]
        data["measurements"] = chart.sections["measurements"]
    return data


@router.post(
    "/clinics/{clinic_slug}/patients", response={201: PatientSummary}, summary="Register a patient"
)
def create_patient(request: HttpRequest, clinic_slug: str, payload: PatientIn) -> Status:
    from django.core.exceptions import ValidationError

    membership = membership_for(request.user, clinic_slug)
    form = PatientForm(payload.dict(), clinic=membership.clinic)
    if not form.is_valid():
        raise ValidationError(
            {
                field: [e["message"] for e in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    patient = services.register_patient(membership=membership, data=form.cleaned_data)
    return Status(201, _summary(patient))
