"""The pre-dose checklist of a dosing session (the clinic's SOP items, in order).

Items answered by a person; the vitals, consent, scale and REMS items are computed from the
record by ``selectors.session_view`` rather than ticked.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    label: str
    allows_not_applicable: bool = False
    routes: tuple[str, ...] = ("iv", "im", "esketamine_nasal")


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("identity", "Identity confirmed with two identifiers"),
    ChecklistItem("fasting", "Fasting as instructed (no food for 2 h before the dose)"),
    ChecklistItem("escort", "Escort and transport home confirmed; no driving until tomorrow"),
    ChecklistItem(
        "pregnancy_test", "Pregnancy test negative (when applicable)", allows_not_applicable=True
    ),
    ChecklistItem(
        "nasal_preparation",
        "No liquids for 30 min; nasal corticosteroid or decongestant at least 1 h before",
        allows_not_applicable=True,
        routes=("esketamine_nasal",),
    ),
)

ANSWERS = ("yes", "no", "n/a")


def items_for(route: str) -> tuple[ChecklistItem, ...]:
    return tuple(item for item in CHECKLIST if route in item.routes)


def item(code: str) -> ChecklistItem | None:
    return next((i for i in CHECKLIST if i.code == code), None)
