"""Clinic settings changed through the service: validated, audited, and only by those who
manage the clinic."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent
from remission.clinics.models import Clinic
from remission.clinics.services import update_clinic_settings

pytestmark = pytest.mark.django_db


def test_settings_are_saved_and_audited(members: dict[str, Membership]) -> None:
    admin = members[Role.CLINIC_ADMIN]
    update_clinic_settings(
        membership=admin, data={"name": "Alpha Ketamine Clinic North", "time_zone": "Europe/Oslo"}
    )
    clinic = Clinic.objects.get(pk=admin.clinic_id)
    assert (clinic.name, clinic.time_zone) == ("Alpha Ketamine Clinic North", "Europe/Oslo")
    assert AuditEvent.objects.filter(
        object_type="clinics.clinic", object_id=str(clinic.pk), action=AuditAction.UPDATE
    ).exists()


def test_an_unknown_time_zone_is_refused_and_nothing_changes(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    with pytest.raises(ValidationError) as refused:
        update_clinic_settings(membership=admin, data={"time_zone": "Mars/Olympus"})
    assert "time_zone" in refused.value.message_dict
    assert Clinic.objects.get(pk=admin.clinic_id).time_zone == "America/New_York"


def test_a_nurse_cannot_change_the_clinic(members: dict[str, Membership]) -> None:
    with pytest.raises(PermissionDenied):
        update_clinic_settings(membership=members[Role.NURSE], data={"name": "Mine now"})
    assert Clinic.objects.get(pk=members[Role.NURSE].clinic_id).name == "Alpha Ketamine Clinic"
