"""Reading safety escalations: one, the clinic's open ones, a patient's history (audited), and
what holds a session's dose (for the chair-side readiness check)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.clinical.outcomes.escalation import Disposition, Urgency
from remission.patients.models import Patient
from remission.safety.models import EscalationStatus, SafetyEscalation
from remission.scheduling.models import TreatmentSession

_RELATED = ("patient", "source", "screen", "session", "recorded_by", "closed_by")


def _of_clinic(membership: Membership) -> QuerySet[SafetyEscalation]:
    require(membership, Capability.VIEW_CLINICAL)
    return SafetyEscalation.objects.filter(clinic_id=membership.clinic_id).select_related(*_RELATED)


def _audit(membership: Membership, what: str, patient_ids: list[Any]) -> None:
    if patient_ids:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.VIEW,
            what=what,
            patient_ids=patient_ids,
        )


def get_escalation(*, membership: Membership, escalation_id: Any) -> SafetyEscalation:
    try:
        pk = int(escalation_id)
    except (TypeError, ValueError):
        raise Http404("No such escalation.") from None
    escalation = _of_clinic(membership).filter(pk=pk).first()
    if escalation is None:
        raise Http404("No such escalation.")
    _audit(membership, "safety escalation", [escalation.patient_id])
    return escalation


def _most_urgent_first(rows: list[SafetyEscalation]) -> list[SafetyEscalation]:
    order = [u.value for u in Urgency]
    return sorted(rows, key=lambda e: (order.index(e.urgency), e.recorded_at))


def open_escalations(*, membership: Membership) -> list[SafetyEscalation]:
    """The clinic's open escalations, most urgent (then oldest) first."""
    rows = list(_of_clinic(membership).filter(status=EscalationStatus.OPEN))
    _audit(membership, "open safety escalations", sorted({e.patient_id for e in rows}))
    return _most_urgent_first(rows)


def patient_escalations(
    *, membership: Membership, patient_id: Any
) -> tuple[Patient, list[SafetyEscalation]]:
    try:
        pk = patient_id if isinstance(patient_id, uuid.UUID) else uuid.UUID(str(patient_id))
    except ValueError:
        raise Http404("No such patient.") from None
    rows = list(_of_clinic(membership).filter(patient_id=pk))
    patient = Patient.objects.filter(clinic_id=membership.clinic_id, pk=pk).first()
    if patient is None:
        raise Http404("No such patient.")
    _audit(membership, "safety escalations", [patient.pk])
    return patient, rows


def open_count(*, membership: Membership) -> int:
    """How many escalations are open (a count, no patient shown: not an audited read)."""
    require(membership, Capability.VIEW_CLINICAL)
    return SafetyEscalation.objects.filter(
        clinic_id=membership.clinic_id, status=EscalationStatus.OPEN
    ).count()


def holding(session: TreatmentSession) -> list[SafetyEscalation]:
    """What holds this session's dose: the patient's open escalations, and those closed on the
    session's day with a disposition that does not let the dose go ahead. Not authorised here:
    the chair-side view that asks has done so."""
    tz = session.clinic.tzinfo
    day = session.scheduled_start.astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    stopped_today = Q(
        status=EscalationStatus.CLOSED,
        closed_at__gte=start,
        closed_at__lt=start + dt.timedelta(days=1),
    ) & ~Q(disposition=Disposition.PROCEED_WITH_SAFETY_PLAN.value)
    return list(
        SafetyEscalation.objects.filter(patient_id=session.patient_id)
        .filter(Q(status=EscalationStatus.OPEN) | stopped_today)
        .select_related("source", "clinic")
    )
