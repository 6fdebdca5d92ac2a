"""The clinic settings form's gate: only those who manage the clinic load it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinics.selectors import clinic_for_settings

pytestmark = pytest.mark.django_db


def test_a_clinic_admin_loads_their_own_clinic(members: dict[str, Membership]) -> None:
    admin = members[Role.CLINIC_ADMIN]
    assert clinic_for_settings(membership=admin).pk == admin.clinic_id


@pytest.mark.parametrize("role", [Role.NURSE, Role.PRESCRIBER, Role.FRONT_DESK, Role.THERAPIST])
def test_other_roles_are_refused(members: dict[str, Membership], role: Role) -> None:
    with pytest.raises(PermissionDenied):
        clinic_for_settings(membership=members[role])
