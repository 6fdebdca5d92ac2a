"""Patients and their charts, written through ``remission.patients.services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.patients import services
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS


def chart_patient(director: Membership) -> Patient:
    """Robin Example (MRN A-0001) with one entry of every chart kind: a primary diagnosis of
    recurrent severe depression, an allergy, a weight, an adequate antidepressant trial and a
    signed treatment consent. The diagnosis takes its title from the ICD-10-CM catalogue."""
    patient = services.register_patient(
        membership=director,
        data={
            "mrn": "A-0001",
            "legal_first_name": "Robin",
            "legal_last_name": "Example",
            "date_of_birth": dt.date(1980, 4, 12),
            "sex_at_birth": "female",
        },
    )
    entries: list[tuple[str, dict[str, object]]] = [
        ("diagnoses", {"code": "F33.2", "is_primary": True}),
        ("allergies", {"substance": "Penicillin"}),
        (
            "measurements",
            {"kind": "weight", "measured_on": dt.date(2026, 1, 5), "value": "80", "unit": "kg"},
        ),
        (
            "trials",
            {
                "drug": "Sertraline",
                "dose_mg_per_day": Decimal("150"),
                "duration_weeks": 8,
                "adherence": "good",
                "outcome": "no_response",
                "adequate_trial": True,
            },
        ),
        (
            "consents",
            {
                "consent_type": "ketamine_treatment",
                "version": "1",
                "signed_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
                "signed_by": "Robin Example",
            },
        ),
    ]
    for kind, data in entries:
        services.add_record(
            membership=director, patient=patient, kind=RECORD_KINDS[kind], data=data
        )
    return patient


def second_patient(members: dict[str, Membership]) -> Patient:
    """Another patient of the members' clinic, for bookings that compete with the first."""
    return services.register_patient(
        membership=members[Role.MEDICAL_DIRECTOR],
        data={
            "mrn": "A-0002",
            "legal_first_name": "Sam",
            "legal_last_name": "Second",
            "date_of_birth": dt.date(1975, 1, 1),
            "sex_at_birth": "male",
        },
    )
