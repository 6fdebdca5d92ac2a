"""The pre-dose checklist of a dosing session (the clinic's SOP items, in order).

The items and their sources are clinical content: ``remission.clinical.monitoring.checklist``.
This module reads them for a course's stored route code. The vitals, consent, scale and REMS
items are computed from the record by ``selectors.session_view`` rather than ticked.
"""

from __future__ import annotations

from decimal import Decimal

from remission.clinical.medications import DrugClass, drug, drugs_in
from remission.clinical.monitoring import checklist as core
from remission.clinical.monitoring.checklist import ANSWERS, CHECKLIST, ChecklistItem, item
from remission.clinical.routes import RouteFamily

__all__ = [
    "ANSWERS",
    "BENZODIAZEPINE_CHOICES",
    "CHECKLIST",
    "ChecklistItem",
    "amount_problems",
    "item",
    "items_for",
]

# the drugs a "which benzodiazepine" answer may name (catalogue key, name)
BENZODIAZEPINE_CHOICES = tuple((d.key, d.name) for d in drugs_in(DrugClass.BENZODIAZEPINE))


def items_for(route: str) -> tuple[ChecklistItem, ...]:
    """The items for a course's ``route`` (its family code; ``none``: no items)."""
    return core.items_for(RouteFamily.of_code(route))


def amount_problems(
    definition: ChecklistItem, answer: str, drug_key: str, dose_mg: Decimal | None
) -> list[str]:
    """Input checks for a drug and amount given with an answer (not the clinical judgement:
    a 'yes' without them is recorded, and the core holds the dose until they are)."""
    given = bool(drug_key) or dose_mg is not None
    if not given:
        return []
    if not definition.asks_amount or answer != "yes":
        return [f"{definition.label}: a drug and amount go only with the answer yes."]
    problems = []
    entry = drug(drug_key) if drug_key else None
    if drug_key and (entry is None or DrugClass.BENZODIAZEPINE not in entry.classes):
        problems.append(f"{drug_key!r} is not a benzodiazepine of the catalogue.")
    if dose_mg is not None and not (dose_mg.is_finite() and Decimal(0) < dose_mg <= 1000):
        problems.append("The amount taken must be above 0 and at most 1000 mg.")
    return problems
