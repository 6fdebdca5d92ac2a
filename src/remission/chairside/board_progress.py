"""Charting as the day board shows it (``scheduling.ports.SessionProgress``): when each
session's dose started and which planned checks are overdue now.

The same rule as the chair-side screen (``clinical.monitoring.due_checks`` over the protocol's
monitoring plan), read for a whole day at once: three queries for all the sessions (the
medication record, vitals and scales charted against a check), never one per row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from remission.assessments.models import ScaleAdministration
from remission.chairside.models import AdministrationEvent, VitalSignEntry
from remission.chairside.selectors import administration_records
from remission.clinical import administration as adm
from remission.clinical.monitoring import CheckState, due_checks
from remission.clinical.protocols import MonitoringPlan, get_protocol
from remission.scheduling.models import ACTIVE_STATUSES, SessionKind, TreatmentSession
from remission.scheduling.ports import SessionProgress


def _charted(session_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, dt.datetime]]:
    charted: dict[uuid.UUID, dict[str, dt.datetime]] = {}
    vitals = VitalSignEntry.objects.filter(session_id__in=session_ids).exclude(check_id="")
    scales = ScaleAdministration.objects.filter(session_id__in=session_ids).exclude(check_id="")
    rows = [
        *vitals.order_by("measured_at").values_list("session_id", "check_id", "measured_at"),
        *scales.order_by("administered_at").values_list(
            "session_id", "check_id", "administered_at"
        ),
    ]
    for session_id, check_id, at in rows:
        charted.setdefault(session_id, {}).setdefault(check_id, at)
    return charted


def board_progress(
    sessions: Sequence[TreatmentSession], now: dt.datetime, overrides: Mapping[str, Any]
) -> dict[uuid.UUID, SessionProgress]:
    """Progress of the sessions under way (checked in to ready for discharge)."""
    under_way = [
        s
        for s in sessions
        if s.status in ACTIVE_STATUSES and s.kind == SessionKind.DOSING and s.course is not None
    ]
    ids = [s.pk for s in under_way]
    if not ids:
        return {}
    events: dict[uuid.UUID, list[AdministrationEvent]] = {}
    for event in AdministrationEvent.objects.filter(session_id__in=ids).order_by("at", "id"):
        events.setdefault(event.session_id, []).append(event)
    charted = _charted(ids)
    plans: dict[str, MonitoringPlan] = {}
    progress = {}
    for session in under_way:
        assert session.course is not None
        protocol_id = session.course.protocol_id
        if protocol_id not in plans:
            plans[protocol_id] = get_protocol(protocol_id).monitoring_plan(dict(overrides))
        plan = plans[protocol_id]
        given = adm.given_so_far(
            administration_records(events.get(session.pk, [])),
            concentration_mg_per_ml=None,
            now=now,
        )
        known = {c.check_id for c in plan.checks}
        done = {k: v for k, v in charted.get(session.pk, {}).items() if k in known}
        checks = due_checks(
            plan,
            dose_started_at=given.started_at or session.scheduled_start,
            now=now,
            charted=done,
            dose_ended_at=None if given.running else given.ended_at,
            overrides=dict(overrides),
        )
        overdue = tuple(c.check.label for c in checks if c.state is CheckState.OVERDUE)
        progress[session.pk] = SessionProgress(given.started_at, overdue)
    return progress
