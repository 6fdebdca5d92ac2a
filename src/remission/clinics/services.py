"""Changing a clinic's settings (audited)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinics.models import Clinic


@transaction.atomic
def update_clinic_settings(*, membership: Membership, data: Mapping[str, Any]) -> Clinic:
    require(membership, Capability.MANAGE_CLINIC)
    clinic = membership.clinic
    for name, value in data.items():
        setattr(clinic, name, value)
    clinic.full_clean()
    try:
        registry.validate_overrides(clinic.clinical_overrides or {})
    except ClinicalInputError as exc:
        raise ValidationError({"clinical_overrides": str(exc)}) from None
    audited_save(clinic, actor=membership.user, summary="changed clinic settings")
    return clinic
