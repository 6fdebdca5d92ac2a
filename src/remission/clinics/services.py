"""Changing a clinic's settings (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.clinics.models import Clinic


@transaction.atomic
def update_clinic_settings(*, membership: Membership, data: Mapping[str, Any]) -> Clinic:
    require(membership, Capability.MANAGE_CLINIC)
    clinic = membership.clinic
    for name, value in data.items():
        setattr(clinic, name, value)
    clinic.full_clean()
    audited_save(clinic, actor=membership.user, summary="changed clinic settings")
    return clinic
