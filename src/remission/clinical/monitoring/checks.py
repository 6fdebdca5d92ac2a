"""The chair-side board: which planned checks are upcoming, due, overdue or done right now."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import thresholds as t
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.protocols.monitoring_plan import (
    CheckPhase,
    MonitoringPlan,
    PlannedCheck,
)
from remission.clinical.registry import Overrides

_AFTER_DOSE_END = (CheckPhase.END_OF_DOSE, CheckPhase.POST_DOSE, CheckPhase.DISCHARGE)


class CheckState(enum.StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


CHECK_STATE_LABELS = {
    CheckState.UPCOMING: "Upcoming",
    CheckState.DUE: "Due now",
    CheckState.OVERDUE: "Overdue",
    CheckState.DONE: "Done",
}


@dataclass(frozen=True, slots=True)
class CheckStatus:
    check: PlannedCheck
    state: CheckState
    due_at: dt.datetime | None  # None until the dose has started (or been planned)
    overdue_at: dt.datetime | None
    charted_at: dt.datetime | None


def due_checks(
    plan: MonitoringPlan,
    *,
    dose_started_at: dt.datetime | None,
    now: dt.datetime,
    charted: Mapping[str, dt.datetime],
    dose_ended_at: dt.datetime | None = None,
    overrides: Overrides | None = None,
) -> tuple[CheckStatus, ...]:
    """Each planned check with its state at ``now``.

    ``dose_started_at`` is the actual (or planned) dose start; before it is known only the
    pre-dose checks are due. A pre-dose check is overdue once the dose has started. When an
    infusion's actual end is recorded in ``dose_ended_at``, the end-of-infusion, post-infusion
    and discharge checks follow it rather than the planned end. ``charted`` maps check ids to
    the time each was charted.
    """
    now = require_aware(now, "now")
    start = None if dose_started_at is None else require_aware(dose_started_at, "dose_started_at")
    end_shift = dt.timedelta(0)
    if dose_ended_at is not None:
        if start is None:
            raise ClinicalInputError("dose_ended_at given without dose_started_at")
        planned_end = start + dt.timedelta(minutes=plan.dose_duration_min)
        end_shift = require_aware(dose_ended_at, "dose_ended_at") - planned_end
    done = {key: require_aware(at, f"charted[{key!r}]") for key, at in charted.items()}
    for check_id in done:
        plan.check(check_id)  # refuses an id that is not on the plan
    window = dt.timedelta(minutes=int(registry.resolve_decimal(t.CHECK_DUE_WINDOW.key, overrides)))
    grace = dt.timedelta(minutes=int(registry.resolve_decimal(t.CHECK_GRACE.key, overrides)))

    statuses = []
    for check in plan.checks:
        pre_dose = check.phase is CheckPhase.PRE_DOSE
        due_at = overdue_at = None
        if start is not None:
            due_at = start + dt.timedelta(minutes=check.offset_min)
            if check.phase in _AFTER_DOSE_END:
                due_at += end_shift
            overdue_at = start if pre_dose else due_at + grace
        if check.check_id in done:
            state = CheckState.DONE
        elif due_at is None or overdue_at is None:
            state = CheckState.DUE if pre_dose else CheckState.UPCOMING
        elif now > overdue_at:
            state = CheckState.OVERDUE
        elif now >= due_at - window:
            state = CheckState.DUE
        else:
            state = CheckState.UPCOMING
        statuses.append(
            CheckStatus(
                check=check,
                state=state,
                due_at=due_at,
                overdue_at=overdue_at,
                charted_at=done.get(check.check_id),
            )
        )
    return tuple(statuses)
