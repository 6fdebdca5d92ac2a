"""The chair-side work waiting for someone: orders to write, doses to verify, sessions to sign
off, and today's chair queue with what each session waits for (``clinical.session_flow``).

Each list is one query (the order, its second check and the medication record are read as
``EXISTS`` sub-queries, never row by row), authorised by the capability that does the work and
audited as a list read of the patients it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import record_access
from remission.chairside.models import AdministrationEvent, DoseOrder, DoseVerification
from remission.clinical.session_flow import SessionProgress, Waiting, waiting_for
from remission.scheduling.models import SessionKind, SessionStatus, TreatmentSession

SHOWN = 25  # rows a home-page list shows; its count says how many there are in all
# the type of a user's key, so a sub-query's answer compares with ``membership.user_id``
_USER_KEY = DoseOrder._meta.get_field("recorded_by").target_field


@dataclass(frozen=True, slots=True)
class QueueRow:
    session: TreatmentSession
    waiting: Waiting


@dataclass(frozen=True, slots=True)
class SessionList:
    rows: list[QueueRow]
    total: int


def _day(membership: Membership, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time.min, tzinfo=membership.clinic.tzinfo)
    return start, start + dt.timedelta(days=1)


def _with_progress(sessions: QuerySet[TreatmentSession]) -> QuerySet[TreatmentSession]:
    latest = DoseOrder.objects.filter(session=OuterRef("pk")).order_by("-recorded_at", "-pk")
    return sessions.select_related("patient", "chair").annotate(
        latest_order_id=Subquery(latest.values("pk")[:1]),
        latest_order_by=Subquery(latest.values("recorded_by_id")[:1], output_field=_USER_KEY),
        ordered=Exists(DoseOrder.objects.filter(session=OuterRef("pk"))),
        verified=Exists(DoseVerification.objects.filter(order_id=OuterRef("latest_order_id"))),
        started=Exists(AdministrationEvent.objects.filter(session=OuterRef("pk"))),
    )


def _waiting(session: TreatmentSession) -> Waiting:
    return waiting_for(
        SessionProgress(
            status=session.status,
            dosing=session.kind == SessionKind.DOSING,
            ordered=bool(getattr(session, "ordered", False)),
            verified=bool(getattr(session, "verified", False)),
            started=bool(getattr(session, "started", False)),
            signed=session.signed_off_at is not None,
        )
    )


def _listed(membership: Membership, what: str, rows: list[QueueRow], total: int) -> SessionList:
    if rows:
        record_access(
            actor=membership.user,
            clinic_id=membership.clinic_id,
            action=AuditAction.LIST,
            what=what,
            patient_ids=[r.session.patient_id for r in rows],
        )
    return SessionList(rows=rows, total=total)


def _of_clinic(membership: Membership) -> QuerySet[TreatmentSession]:
    return _with_progress(TreatmentSession.objects.filter(clinic_id=membership.clinic_id))


def chair_queue(*, membership: Membership, day: dt.date) -> SessionList:
    """The day's sessions (not cancelled) in chair order, then by time, with what each waits
    for."""
    require(membership, Capability.VIEW_SESSIONS)
    start, end = _day(membership, day)
    sessions = list(
        _of_clinic(membership)
        .filter(scheduled_start__gte=start, scheduled_start__lt=end)
        .exclude(status__in=(SessionStatus.CANCELLED, SessionStatus.NO_SHOW))
        .order_by("chair__position", "scheduled_start")
    )
    rows = [QueueRow(s, _waiting(s)) for s in sessions]
    return _listed(membership, f"chair queue {day}", rows, len(rows))


def _waiting_on(
    membership: Membership, sessions: QuerySet[TreatmentSession], step: Waiting, what: str
) -> SessionList:
    candidates = [QueueRow(s, _waiting(s)) for s in sessions]
    rows = [
        r
        for r in candidates
        if r.waiting is step
        and not (step is Waiting.VERIFICATION and _ordered_by(r.session) == membership.user_id)
    ]
    return _listed(membership, what, rows[:SHOWN], len(rows))


def _ordered_by(session: TreatmentSession) -> object:
    return getattr(session, "latest_order_by", None)


def orders_to_write(*, membership: Membership, day: dt.date) -> SessionList:
    """The day's dosing sessions checked in with no dose order yet."""
    require(membership, Capability.ORDER_DOSES)
    start, end = _day(membership, day)
    sessions = _of_clinic(membership).filter(
        kind=SessionKind.DOSING,
        scheduled_start__gte=start,
        scheduled_start__lt=end,
        status__in=(SessionStatus.CHECKED_IN, SessionStatus.PRE_DOSE),
    )
    return _waiting_on(membership, sessions, Waiting.ORDER, f"orders to write {day}")


def doses_to_verify(*, membership: Membership, day: dt.date) -> SessionList:
    """The day's sessions whose latest order waits for its second check, leaving out the
    orders this member wrote (the second person is someone else)."""
    require(membership, Capability.VERIFY_DOSES)
    start, end = _day(membership, day)
    sessions = _of_clinic(membership).filter(
        kind=SessionKind.DOSING,
        scheduled_start__gte=start,
        scheduled_start__lt=end,
        status__in=(SessionStatus.CHECKED_IN, SessionStatus.PRE_DOSE),
    )
    return _waiting_on(membership, sessions, Waiting.VERIFICATION, f"doses to verify {day}")


def sessions_to_sign_off(*, membership: Membership) -> SessionList:
    """Discharged sessions not yet signed off, oldest first (any day)."""
    require(membership, Capability.SIGN_SESSIONS)
    sessions = (
        TreatmentSession.objects.filter(
            clinic_id=membership.clinic_id,
            status=SessionStatus.DISCHARGED,
            signed_off_at__isnull=True,
        )
        .select_related("patient", "chair")
        .order_by("scheduled_start")
    )
    total = sessions.count()
    rows = [QueueRow(s, Waiting.SIGN_OFF) for s in sessions[:SHOWN]]
    return _listed(membership, "sessions to sign off", rows, total)
