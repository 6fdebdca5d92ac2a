"""Neurological: raised intracranial pressure and recent head injury (reference §3)."""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.sources import BP_ICP_HAZARD
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, RACEMIC_ROUTES, Severity


def reasons(intake: Intake) -> list[Reason]:
    """Conditions where a rise in BP or ICP is hazardous: a hard stop for esketamine (label
    [mem]), relative for racemic ketamine (Ketalar [mem])."""
    history = intake.history
    found: list[Reason] = []
    for present, code, what in (
        (history.raised_intracranial_pressure, "raised_intracranial_pressure", "raised ICP"),
        (history.recent_head_injury, "recent_head_injury", "recent head injury"),
    ):
        if present:
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{what}: a rise in blood pressure or intracranial pressure is a serious "
                    "risk; esketamine is not given",
                    ESKETAMINE_ONLY,
                    BP_ICP_HAZARD,
                )
            )
            found.append(
                Reason(
                    code,
                    Severity.RELATIVE,
                    f"{what}: a rise in blood pressure or intracranial pressure is a serious "
                    "risk; usually excluded",
                    RACEMIC_ROUTES,
                    BP_ICP_HAZARD,
                )
            )
    return found
