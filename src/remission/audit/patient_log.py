"""A patient's own audit trail, newest first: "who looked at my record, and what changed".

By default: every event about the patient alone (reads of the chart, a session, a form; every
change) and every read of several patients that showed more than the patient's name and times
(a worklist, an export). On request also the lists, boards and searches that named the patient
(``NAMES_ONLY_ACTIONS``), which otherwise bury the direct reads.

Each source is read newest first through its own index (``audit_event_patient_newest``,
``audit_patient_newest``,
``audit_patient_shown_newest``) with a limit, and the few rows are merged here, so the cost does not
grow with the number of times the patient was viewed or listed. Pages go by event id
(``before``), not by an offset and a count over the whole history.

Authorising the read is the caller's (``patients.selectors``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from remission.audit.models import AuditEvent, AuditEventPatient


@dataclass(frozen=True, slots=True)
class LogPage:
    events: list[AuditEvent]
    older_than: int | None  # the ``before`` of the next (older) page; None on the last page
    include_lists: bool


def _newest_ids(
    patient_id: uuid.UUID, *, include_lists: bool, limit: int, before: int | None
) -> list[int]:
    own = AuditEvent.objects.filter(patient_id=patient_id)
    if before is not None:
        own = own.filter(id__lt=before)
    ids = list(own.order_by("-id").values_list("id", flat=True)[:limit])
    named = AuditEventPatient.objects.filter(patient_id=patient_id)
    if not include_lists:
        named = named.filter(names_only=False)  # the partial index's own condition
    if before is not None:
        named = named.filter(event_id__lt=before)
    ids += list(named.order_by("-event_id").values_list("event_id", flat=True)[:limit])
    return sorted(set(ids), reverse=True)[:limit]


def patient_log(
    patient_id: uuid.UUID,
    *,
    include_lists: bool = False,
    limit: int = 20,
    before: int | None = None,
) -> LogPage:
    """At most ``limit`` events about the patient older than event ``before``, newest first."""
    ids = _newest_ids(patient_id, include_lists=include_lists, limit=limit + 1, before=before)
    shown = ids[:limit]
    events = list(AuditEvent.objects.filter(id__in=shown).order_by("-id")) if shown else []
    older = shown[-1] if len(ids) > limit else None
    return LogPage(events=events, older_than=older, include_lists=include_lists)
