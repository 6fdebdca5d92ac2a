"""The pre-dose checklist of a dosing session (the clinic's SOP items, in order).

The items and their sources are clinical content: ``remission.clinical.monitoring.checklist``.
This module reads them for a course's stored route code. The vitals, consent, scale and REMS
items are computed from the record by ``selectors.session_view`` rather than ticked.
"""

from __future__ import annotations

from remission.clinical.monitoring import checklist as core
from remission.clinical.monitoring.checklist import ANSWERS, CHECKLIST, ChecklistItem, item
from remission.clinical.routes import RouteFamily

__all__ = ["ANSWERS", "CHECKLIST", "ChecklistItem", "item", "items_for"]


def items_for(route: str) -> tuple[ChecklistItem, ...]:
    """The items for a course's ``route`` (its family code; ``none``: no items)."""
    return core.items_for(RouteFamily.of_code(route))
