"""Patient selectors: the registration form's gate and the audited edit-form read."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role
from remission.audit.models import AuditEvent
from remission.patients import selectors
from remission.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_registration_starts_from_an_unsaved_patient_of_the_members_clinic(
    members: dict[str, Membership],
) -> None:
    desk = members[Role.FRONT_DESK]
    blank = selectors.new_patient(membership=desk)
    assert blank.clinic_id == desk.clinic_id
    assert blank._state.adding
    assert not Patient.objects.filter(pk=blank.pk).exists()


def test_a_role_that_cannot_edit_demographics_cannot_open_registration(
    members: dict[str, Membership],
) -> None:
    with pytest.raises(PermissionDenied):
        selectors.new_patient(membership=members[Role.THERAPIST])


def test_loading_the_edit_form_is_an_audited_read(
    members: dict[str, Membership], patient: Patient
) -> None:
    desk = members[Role.FRONT_DESK]
    before = AuditEvent.objects.filter(patient_id=patient.pk).count()
    loaded = selectors.patient_for_form(
        membership=desk, patient_id=patient.pk, capability=Capability.EDIT_DEMOGRAPHICS
    )
    assert loaded.pk == patient.pk
    assert AuditEvent.objects.filter(patient_id=patient.pk).count() == before + 1
