"""Charting as the day board sees it (``scheduling.ports``): alerts still to acknowledge, and
each session's dose start and overdue checks (``board_progress``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from django.db.models import Count

from remission.chairside.board_progress import board_progress
from remission.chairside.models import SessionAlert
from remission.scheduling import ports


def open_alert_counts(session_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    rows = (
        SessionAlert.objects.filter(session_id__in=list(session_ids), acknowledged_at__isnull=True)
        .values("session_id")
        .annotate(n=Count("id"))
    )
    return {row["session_id"]: row["n"] for row in rows}


def register() -> None:
    ports.register_open_alert_counter(open_alert_counts)
    ports.register_progress_source(board_progress)
