"""Coalescing the reads of one request into as few audit events as say what was shown.

A page may read the same patient many times (the reconciliation screen read each session's
patient once per check) and list hundreds of patients (the REMS dashboard, the day board).
Writing one chained row per read made the trail noisy and the pages slow (issue 12 item 12,
issue 13). The collector keeps, per actor and clinic:

* **direct reads**: one event per patient whose record was opened on its own (a chart, a
  session, an edit form), with every purpose of that request in its summary;
* **one event for everything else shown**: the patients of every list, board, search, worklist
  and export of the request, each named once in ``AuditEventPatient`` with whether only their
  name and times were shown (``NAMES_ONLY_ACTIONS``). A patient read directly in the same
  request is not named again as merely listed: the direct event is the stronger record;
* reads that showed no patient (the clinic's audit log, an empty board): one event per purpose.

No database access here: ``services.record_access`` feeds it and
``services.coalesced_reads`` binds one per request and writes its events at the end.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from remission.audit.models import NAMES_ONLY_ACTIONS, AuditAction
from remission.audit.spec import EventSpec

# When one event stands for reads of several purposes, it carries the most revealing one.
_DISCLOSURE_ORDER = (
    AuditAction.LIST,
    AuditAction.SEARCH,
    AuditAction.VIEW,
    AuditAction.API,
    AuditAction.PDF,
    AuditAction.EXPORT,
)


def _strongest(actions: Iterable[AuditAction]) -> AuditAction:
    return max(actions, key=lambda a: _DISCLOSURE_ORDER.index(a) if a in _DISCLOSURE_ORDER else 0)


def _add_what(whats: list[str], what: str) -> None:
    if what not in whats:
        whats.append(what)


@dataclass
class _Group:
    """What one actor read in one clinic during the request."""

    actor: Any
    clinic_id: uuid.UUID
    direct: dict[uuid.UUID, tuple[list[AuditAction], str, list[str]]] = field(default_factory=dict)
    shown: dict[uuid.UUID, bool] = field(default_factory=dict)  # patient -> names only
    shown_actions: list[AuditAction] = field(default_factory=list)
    shown_whats: list[str] = field(default_factory=list)
    patientless: dict[tuple[AuditAction, str], list[str]] = field(default_factory=dict)

    def specs(self) -> list[EventSpec]:
        base = {"actor": self.actor, "clinic_id": self.clinic_id}
        specs = [
            EventSpec(
                action=_strongest(actions),
                patient_id=pid,
                object_type=object_type,
                object_id=str(pid),
                summary="; ".join(whats),
                **base,
            )
            for pid, (actions, object_type, whats) in self.direct.items()
        ]
        named = [
            (pid, names_only)
            for pid, names_only in self.shown.items()
            if not (names_only and pid in self.direct)
        ]
        if named:
            specs.append(
                EventSpec(
                    action=_strongest(self.shown_actions),
                    object_type="patient",
                    summary="; ".join(self.shown_whats),
                    named=sorted(named, key=lambda item: str(item[0])),
                    **base,
                )
            )
        specs += [
            EventSpec(action=action, object_type=object_type, summary="; ".join(whats), **base)
            for (action, object_type), whats in self.patientless.items()
        ]
        return specs


class ReadCollector:
    """The reads of one request, written by ``specs()`` as described above."""

    def __init__(self) -> None:
        self._groups: dict[tuple[Any, uuid.UUID], _Group] = {}

    def add(
        self,
        actor: Any,
        clinic_id: uuid.UUID,
        action: AuditAction,
        what: str,
        patient_ids: Iterable[uuid.UUID],
        object_type: str,
    ) -> None:
        key = (getattr(actor, "pk", None), clinic_id)
        group = self._groups.setdefault(key, _Group(actor=actor, clinic_id=clinic_id))
        ids = list(
            dict.fromkeys(p if isinstance(p, uuid.UUID) else uuid.UUID(str(p)) for p in patient_ids)
        )
        names_only = action in NAMES_ONLY_ACTIONS
        if len(ids) == 1 and not names_only:
            actions, _, whats = group.direct.setdefault(ids[0], ([], object_type, []))
            actions.append(action)
            _add_what(whats, what)
        elif ids:
            for pid in ids:
                group.shown[pid] = group.shown.get(pid, True) and names_only
            group.shown_actions.append(action)
            _add_what(group.shown_whats, what)
        else:
            _add_what(group.patientless.setdefault((action, object_type), []), what)

    def specs(self) -> list[EventSpec]:
        return [spec for group in self._groups.values() for spec in group.specs()]


_current: contextvars.ContextVar[ReadCollector | None] = contextvars.ContextVar(
    "remission_read_collector", default=None
)


def current() -> ReadCollector | None:
    return _current.get()


def bind(collector: ReadCollector) -> contextvars.Token[ReadCollector | None]:
    return _current.set(collector)


def unbind(token: contextvars.Token[ReadCollector | None]) -> None:
    _current.reset(token)
