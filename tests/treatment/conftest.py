from __future__ import annotations

import pytest

from remission.accounts.models import Membership
from remission.patients.models import Patient
from remission.treatment.models import TreatmentCourse
from tests.world.treatment import make_eligible, start_course


@pytest.fixture
def course(members: dict[str, Membership], patient: Patient) -> TreatmentCourse:
    """An eligible patient's IV course with its sessions booked."""
    make_eligible(members, patient)
    course, _ = start_course(members, patient)
    return course
