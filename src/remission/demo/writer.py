"""Writing the demo's rows in bulk, each with the audit event its service would have written."""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import models

from remission.accounts.models import User
from remission.audit.models import AuditAction
from remission.audit.services import EventSpec, append, diff, snapshot
from remission.clinics.models import Clinic

AUDIT_FLUSH = 5000


@contextlib.contextmanager
def _historical_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``recorded_at`` / ``created_at`` (auto_now_add) keep the charted time in bulk
    creates: the demo writes history, which the services would have stamped at the time."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False)
    ]
    for f in fields:
        f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True  # type: ignore[attr-defined]


class BulkWriter:
    def __init__(self, *, clinic: Clinic, audit: bool) -> None:
        self.clinic_id = clinic.pk
        self.audit = audit
        self.specs: list[EventSpec] = []
        self.counts: Counter[str] = Counter()

    def create(
        self,
        rows: Sequence[models.Model],
        *,
        actor: Callable[[Any], User | None],
        summary: Callable[[Any], str],
        patient: Callable[[Any], uuid.UUID | None],
    ) -> None:
        if not rows:
            return
        model = type(rows[0])
        with _historical_timestamps(model):
            model._default_manager.bulk_create(rows)
        self.counts[model._meta.label] += len(rows)
        if not self.audit:
            return
        label = model._meta.label_lower
        for row in rows:
            self.specs.append(
                EventSpec(
                    action=AuditAction.CREATE,
                    actor=actor(row),
                    clinic_id=self.clinic_id,
                    patient_id=patient(row),
                    object_type=label,
                    object_id=str(row.pk),
                    summary=f"demo: {summary(row)}",
                    changes=diff(None, snapshot(row)),
                )
            )
        if len(self.specs) >= AUDIT_FLUSH:
            self.flush()

    def flush(self) -> None:
        if self.specs:
            append(self.specs)
            self.counts["audit.AuditEvent"] += len(self.specs)
            self.specs = []
