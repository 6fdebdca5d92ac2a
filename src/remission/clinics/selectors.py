"""Reading the clinic: its settings (clinic admins) and its audit trail (clinic admins and
medical directors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction, AuditEvent, AuditEventPatient
from remission.audit.services import record_access
from remission.clinics.models import Clinic
from remission.patients.models import Patient


def clinic_for_settings(*, membership: Membership) -> Clinic:
    """The member's clinic, to fill the settings form (its gate)."""
    require(membership, Capability.MANAGE_CLINIC)
    return membership.clinic


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    mrn: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def clinic_audit_events(
    *, membership: Membership, filters: AuditFilter, purpose: AuditAction = AuditAction.VIEW
) -> QuerySet[AuditEvent]:
    require(membership, Capability.VIEW_AUDIT_LOG)
    member_ids = Membership.objects.filter(clinic_id=membership.clinic_id).values("user_id")
    events = AuditEvent.objects.filter(
        Q(clinic_id=membership.clinic_id) | Q(clinic_id__isnull=True, actor_id__in=member_ids)
    )
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.mrn:
        patient_ids = Patient.objects.filter(
            clinic_id=membership.clinic_id, mrn__iexact=filters.mrn.strip()
        ).values("id")
        named = AuditEventPatient.objects.filter(patient_id__in=patient_ids).values("event_id")
        events = events.filter(Q(patient_id__in=patient_ids) | Q(id__in=named))
    tz = membership.clinic.tzinfo
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        events = events.filter(occurred_at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        events = events.filter(occurred_at__lt=end)
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=purpose,
        what=f"audit log ({'export' if purpose == AuditAction.EXPORT else 'view'})",
        object_type="audit_log",
    )
    return events.order_by("-id")
