"""Account events, written to the audit log of every clinic the person belongs to (issue 11
§1): a change to one person's sign-in is news to each clinic that relies on it."""

from __future__ import annotations

import uuid
from typing import Any

from remission.accounts.models import Membership
from remission.audit.models import AuditAction
from remission.audit.services import EventSpec, append


def clinics_of(user: Any) -> list[uuid.UUID]:
    """Every clinic ``user`` belongs to, active or not, in a stable order."""
    ids = Membership.objects.filter(user=user).values_list("clinic_id", flat=True)
    return sorted(set(ids), key=str)


def account_event(
    *,
    actor: Any,
    subject: Any,
    summary: str,
    action: AuditAction = AuditAction.SECURITY,
    also_clinic: uuid.UUID | None = None,
) -> None:
    """One event per clinic of ``subject`` (and ``also_clinic``); one without a clinic if none."""
    clinic_ids: list[uuid.UUID | None] = list(clinics_of(subject))
    if also_clinic is not None and also_clinic not in clinic_ids:
        clinic_ids.append(also_clinic)
    append(
        [
            EventSpec(
                action=action,
                actor=actor,
                clinic_id=clinic_id,
                object_type="accounts.user",
                object_id=str(subject.pk),
                summary=summary,
            )
            for clinic_id in (clinic_ids or [None])
        ]
    )
