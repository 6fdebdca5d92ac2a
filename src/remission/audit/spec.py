"""What an event says before it is chained: the writers' common input."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from remission.audit.models import AuditAction


@dataclass(frozen=True, slots=True)
class EventSpec:
    action: AuditAction
    actor: Any | None
    clinic_id: uuid.UUID | None
    patient_id: uuid.UUID | None = None
    object_type: str = ""
    object_id: str = ""
    summary: str = ""
    changes: Mapping[str, Any] = field(default_factory=dict)
    previous: Mapping[str, Any] | None = None
    # The patients a read of several patients showed: (patient id, names only?) each once.
    named: Sequence[tuple[uuid.UUID, bool]] = ()
