"""Where apps above booking add to its screens without booking importing them.

Booking sits below charting and the REMS programme in the layers (docs/architecture.md), so
the day board cannot ask them directly how many alerts a session has open or how many REMS
forms are due. They register a source here once, in their ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from remission.accounts.models import Membership
from remission.scheduling.models import TreatmentSession


@dataclass(frozen=True, slots=True)
class BoardNotice:
    """A count the day board shows above the chairs, linking to where it is worked off."""

    label: str
    count: int
    url: str


@dataclass(frozen=True, slots=True)
class SessionProgress:
    """How far charting has gone, as the day board shows it: when the dose started and the
    planned checks overdue now (their labels)."""

    dose_started_at: dt.datetime | None = None
    overdue_checks: tuple[str, ...] = ()


OpenAlertCounter = Callable[[Collection[uuid.UUID]], Mapping[uuid.UUID, int]]
NoticeSource = Callable[[Membership, dt.date], BoardNotice | None]
ProgressSource = Callable[
    [Sequence[TreatmentSession], dt.datetime, Mapping[str, object]],
    Mapping[uuid.UUID, SessionProgress],
]

_alert_counters: list[OpenAlertCounter] = []
_notice_sources: list[NoticeSource] = []
_progress_sources: list[ProgressSource] = []


def register_progress_source(source: ProgressSource) -> None:
    if source not in _progress_sources:
        _progress_sources.append(source)


def session_progress(
    sessions: Sequence[TreatmentSession], now: dt.datetime, overrides: Mapping[str, object]
) -> dict[uuid.UUID, SessionProgress]:
    """Each session's progress from the registered source (none registered: nothing known)."""
    found: dict[uuid.UUID, SessionProgress] = {}
    for source in _progress_sources:
        found.update(source(sessions, now, overrides))
    return found


def register_open_alert_counter(counter: OpenAlertCounter) -> None:
    if counter not in _alert_counters:
        _alert_counters.append(counter)


def register_board_notice(source: NoticeSource) -> None:
    if source not in _notice_sources:
        _notice_sources.append(source)


def open_alerts(session_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Unacknowledged alerts per session, summed over every registered counter."""
    totals = dict.fromkeys(session_ids, 0)
    if not session_ids:
        return totals
    for counter in _alert_counters:
        for session_id, count in counter(session_ids).items():
            totals[session_id] = totals.get(session_id, 0) + count
    return totals


def board_notices(membership: Membership, day: dt.date) -> list[BoardNotice]:
    notices = (source(membership, day) for source in _notice_sources)
    return [notice for notice in notices if notice is not None]
