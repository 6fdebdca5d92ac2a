"""The clinic's audit-log screen finds the lists that named a patient, and its CSV export
names every patient of a list event."""

from __future__ import annotations

import csv
import io

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.patients.models import Patient
from tests.world import client_for
from tests.world.patients import second_patient

pytestmark = pytest.mark.django_db


def test_the_mrn_filter_and_the_export_include_the_lists_that_named_the_patient(
    members: dict[str, Membership], patient: Patient
) -> None:
    other = second_patient(members)
    nurse = members[Role.NURSE]
    record_access(
        actor=nurse.user,
        clinic_id=nurse.clinic_id,
        action=AuditAction.LIST,
        what="calendar week of 2026-11-30",
        patient_ids=[patient.pk, other.pk],
    )
    director = client_for(members[Role.MEDICAL_DIRECTOR])
    page = director.get(f"/c/alpha/audit/?mrn={other.mrn}").content.decode()
    assert "calendar week of 2026-11-30" in page

    export = director.get("/c/alpha/audit/export.csv?action=list")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))  # type: ignore[attr-defined]
    (listed,) = [r for r in rows if r["summary"] == "calendar week of 2026-11-30"]
    assert listed["patient_id"] == ""
    assert set(listed["listed_patient_ids"].split()) == {str(patient.pk), str(other.pk)}
    assert listed["shown_patient_ids"] == ""
