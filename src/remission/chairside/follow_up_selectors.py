"""Reading the follow-up calls: the clinic's worklist, one call (both audited), the count for
the dashboard (a number only, not audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside.models import FollowUpCall
from remission.clinical.monitoring.follow_up import CallState, call_state

DONE_SHOWN_FOR = dt.timedelta(days=7)  # the worklist shows calls closed in the last week


@dataclass(frozen=True, slots=True)
class CallRow:
    call: FollowUpCall
    state: CallState


@dataclass
class FollowUpWorklist:
    overdue: list[CallRow] = field(default_factory=list)
    due: list[CallRow] = field(default_factory=list)
    upcoming: list[CallRow] = field(default_factory=list)
    done: list[CallRow] = field(default_factory=list)


def _of_clinic(membership: Membership) -> QuerySet[FollowUpCall]:
    require(membership, Capability.FOLLOW_UP_CALLS)
    return FollowUpCall.objects.filter(clinic_id=membership.clinic_id).select_related(
        "patient", "session", "done_by"
    )


def worklist(*, membership: Membership, now: dt.datetime) -> FollowUpWorklist:
    """Every open call of the clinic (overdue, due, upcoming) and those closed in the last
    week, oldest due first."""
    rows = list(
        _of_clinic(membership)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=now - DONE_SHOWN_FOR))
        .annotate(attempt_count=Count("attempts"))
    )
    overrides = membership.clinic.clinical_overrides
    listed = FollowUpWorklist()
    for call in rows:
        state = call_state(call.due_at, now, call.done_at, overrides)
        getattr(listed, state.value).append(CallRow(call, state))
    patient_ids = sorted({c.patient_id for c in rows})
    if patient_ids:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.VIEW,
            what="follow-up calls",
            patient_ids=patient_ids,
        )
    return listed


def get_call(*, membership: Membership, call_id: Any) -> FollowUpCall:
    try:
        pk = int(call_id)
    except (TypeError, ValueError):
        raise Http404("No such call.") from None
    call = _of_clinic(membership).prefetch_related("attempts__recorded_by").filter(pk=pk).first()
    if call is None:
        raise Http404("No such call.")
    record_access(
        actor=membership.user,
        clinic_id=membership.clinic_id,
        action=AuditAction.VIEW,
        what="follow-up call",
        patient_ids=[call.patient_id],
    )
    return call


def calls_to_make_count(*, membership: Membership, now: dt.datetime) -> int | None:
    """Open calls due now or overdue (None for a role that does not make them)."""
    if not membership.can(Capability.FOLLOW_UP_CALLS):
        return None
    return FollowUpCall.objects.filter(
        clinic_id=membership.clinic_id, done_at__isnull=True, due_at__lte=now
    ).count()
