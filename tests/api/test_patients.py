"""The JSON API uses the same authorisation and audit as the screens."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from remission.accounts.models import Membership
from remission.audit.models import AuditAction, AuditEvent
from remission.patients.models import Patient
from tests.world import client_for

pytestmark = pytest.mark.django_db


def test_anonymous_requests_are_refused(patient: Patient) -> None:
    assert Client().get("/api/v1/clinics/alpha/patients").status_code == 401


def test_list_search_and_read_a_patient(members: dict[str, Membership], patient: Patient) -> None:
    client = client_for(members["prescriber"])
    listing = client.get("/api/v1/clinics/alpha/patients?q=Example").json()
    assert listing["count"] == 1
    assert listing["results"][0]["mrn"] == "A-0001"
    detail = client.get(f"/api/v1/clinics/alpha/patients/{patient.pk}").json()
    assert detail["diagnoses"][0]["code"] == "F33.2"
    assert detail["antidepressant_trials"][0]["drug"] == "Sertraline"
    assert AuditEvent.objects.filter(action=AuditAction.API, patient_id=patient.pk).count() == 2


def test_front_desk_reads_demographics_without_clinical_data(
    members: dict[str, Membership], patient: Patient
) -> None:
    detail = (
        client_for(members["front_desk"]).get(f"/api/v1/clinics/alpha/patients/{patient.pk}").json()
    )
    assert detail["mrn"] == "A-0001"
    assert detail["diagnoses"] is None


def test_invalid_input_answers_400_with_reasons(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members["front_desk"]).post(
        "/api/v1/clinics/alpha/patients",
        data=json.dumps(
            {
                "mrn": patient.mrn,
                "legal_first_name": "A",
                "legal_last_name": "B",
                "date_of_birth": "2999-01-01",
                "sex_at_birth": "female",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "already used" in detail["mrn"][0]
    assert "future" in detail["date_of_birth"][0]


def test_malformed_json_answers_4xx_not_500(members: dict[str, Membership]) -> None:
    response = client_for(members["front_desk"]).post(
        "/api/v1/clinics/alpha/patients", data="{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500


def test_unknown_sex_value_is_refused(members: dict[str, Membership]) -> None:
    response = client_for(members["front_desk"]).post(
        "/api/v1/clinics/alpha/patients",
        data=json.dumps(
            {
                "mrn": "Z1",
                "legal_first_name": "A",
                "legal_last_name": "B",
                "date_of_birth": "1990-01-01",
                "sex_at_birth": "robot",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "sex_at_birth" in response.json()["detail"]


def test_openapi_schema_is_served(members: dict[str, Membership]) -> None:
    schema = client_for(members["nurse"]).get("/api/v1/openapi.json").json()
    assert "/api/v1/clinics/{clinic_slug}/patients" in schema["paths"]
