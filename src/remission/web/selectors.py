"""Figures for today's dashboard (counts only: no patient is identified, nothing audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.chairside.follow_up_selectors import calls_to_make_count
from remission.chairside.models import SessionAlert
from remission.patients.models import Patient
from remission.safety.selectors import open_count as open_escalation_count
from remission.scheduling.models import ACTIVE_STATUSES, TreatmentSession
from remission.treatment.selectors import reevaluations_due_count


@dataclass(frozen=True, slots=True)
class DashboardSummary:
    patient_count: int | None
    staff_count: int | None
    sessions_today: int | None = None
    active_sessions: int | None = None
    open_alerts: int | None = None
    reevaluations_due: int | None = None
    open_escalations: int | None = None
    follow_up_calls: int | None = None  # due or overdue


def dashboard_summary(*, membership: Membership) -> DashboardSummary:
    patients = (
        Patient.objects.filter(clinic_id=membership.clinic_id).count()
        if membership.can(Capability.VIEW_PATIENT_LIST)
        else None
    )
    staff = (
        Membership.objects.filter(clinic_id=membership.clinic_id, is_active=True).count()
        if membership.can(Capability.MANAGE_USERS)
        else None
    )
    sessions_today = active = alerts = None
    if membership.can(Capability.VIEW_SCHEDULE):
        tz = membership.clinic.tzinfo
        start = dt.datetime.combine(timezone.localdate(timezone=tz), dt.time.min, tzinfo=tz)
        todays = TreatmentSession.objects.filter(
            clinic_id=membership.clinic_id,
            scheduled_start__gte=start,
            scheduled_start__lt=start + dt.timedelta(days=1),
        )
        sessions_today = todays.exclude(status__in=("cancelled", "no_show")).count()
        active = todays.filter(status__in=ACTIVE_STATUSES).count()
        alerts = SessionAlert.objects.filter(
            session__clinic_id=membership.clinic_id, acknowledged_at__isnull=True
        ).count()
    return DashboardSummary(
        patient_count=patients,
        staff_count=staff,
        sessions_today=sessions_today,
        active_sessions=active,
        open_alerts=alerts,
        reevaluations_due=reevaluations_due_count(
            membership=membership, today=timezone.localdate(timezone=membership.clinic.tzinfo)
        ),
        open_escalations=open_escalation_count(membership=membership)
        if membership.can(Capability.VIEW_CLINICAL)
        else None,
        follow_up_calls=calls_to_make_count(membership=membership, now=timezone.now()),
    )
