from __future__ import annotations

import pytest

from remission.accounts.models import Membership
from remission.patients.models import Patient
from remission.treatment.models import TreatmentCourse
from tests.world.rems import certify
from tests.world.treatment import INTAKE_ANSWERS, make_eligible, start_course

# The world's intake lists sertraline; an esketamine patient here starts with no medicines listed.
NO_MEDICINES = {**INTAKE_ANSWERS, "medications": []}


@pytest.fixture
def course(members: dict[str, Membership], patient: Patient) -> TreatmentCourse:
    """An eligible patient's IV course with its sessions booked."""
    make_eligible(members, patient)
    course, _ = start_course(members, patient)
    return course


@pytest.fixture
def eligible(members: dict[str, Membership], patient: Patient) -> Patient:
    """Eligible for esketamine at a certified clinic, with no medicines listed at intake."""
    certify(patient.clinic)
    make_eligible(members, patient, consent_type="esketamine_treatment", answers=NO_MEDICINES)
    return patient
