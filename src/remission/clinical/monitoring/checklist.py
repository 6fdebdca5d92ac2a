"""The pre-dose checklist of a dosing session: the items a person answers, in order.

Each item names the route families it applies to and its source (``shared/reference/
clinical.md``). The vitals, consent, scale and REMS lines of the chair-side checklist are
computed from the record, not ticked, and are not listed here. The wording is the clinic's SOP;
a clinic's medical director signs it off.
"""

from __future__ import annotations

from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.routes import RouteFamily

ANSWERS = ("yes", "no", "n/a")

TWO_IDENTIFIERS = Evidence(
    citation="Patient-safety practice: confirm identity with two identifiers (name and date of "
    "birth) before any medicine is given",
    confidence=Confidence.RECALLED,
    note="a general medication-safety convention; no ketamine source was re-checked",
)
FASTING = Evidence(
    citation="Clinical reference §2.1 (SPRAVATO administration, Mayo Clinic patient "
    "instructions): no food for 2 h before dosing",
    confidence=Confidence.UNCERTAIN,
    note="read in the source for esketamine [src]; for IV and IM the same rule is a clinic "
    "convention (fasting is on the standard IV pre-infusion checklist, anchors §2)",
)
ESCORT_AND_NO_DRIVING = Evidence(
    citation="Clinical reference §2.1: no driving or machinery until the next day after restful "
    "sleep (spravatohcp.com); §3 screening item 12: an escort home",
    confidence=Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
)
PREGNANCY_TEST = Evidence(
    citation="Clinical reference §3: pregnancy or lactation excluded, pregnancy test where "
    "relevant (SPRAVATO label 5.10; trial exclusions)",
    confidence=Confidence.PRIMARY,
)
NASAL_PREPARATION = Evidence(
    citation="Clinical reference §2.1 (SPRAVATO administration, Mayo Clinic patient "
    "instructions): no liquids for 30 min before dosing; nasal corticosteroids or "
    "decongestants at least 1 h before",
    confidence=Confidence.PRIMARY,
)

ALL_FAMILIES: tuple[RouteFamily, ...] = tuple(RouteFamily)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    code: str
    label: str
    evidence: Evidence
    allows_not_applicable: bool = False
    families: tuple[RouteFamily, ...] = ALL_FAMILIES


CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("identity", "Identity confirmed with two identifiers", TWO_IDENTIFIERS),
    ChecklistItem("fasting", "Fasting as instructed (no food for 2 h before the dose)", FASTING),
    ChecklistItem(
        "escort",
        "Escort and transport home confirmed; no driving until tomorrow",
        ESCORT_AND_NO_DRIVING,
    ),
    ChecklistItem(
        "pregnancy_test",
        "Pregnancy test negative (when applicable)",
        PREGNANCY_TEST,
        allows_not_applicable=True,
    ),
    ChecklistItem(
        "nasal_preparation",
        "No liquids for 30 min; nasal corticosteroid or decongestant at least 1 h before",
        NASAL_PREPARATION,
        allows_not_applicable=True,
        families=(RouteFamily.ESKETAMINE_NASAL,),
    ),
)

registry.define_table(
    "monitoring.predose_checklist",
    title="Pre-dose checklist",
    intro="The items a person answers before each dose, in order (answers: yes, no, or n/a "
    "where allowed); vitals, consent, scales and REMS are computed from the record.",
    columns=("Item", "Text", "Route families", "n/a allowed"),
    rows=tuple(
        registry.TableRow(
            cells=(
                f"`{i.code}`",
                i.label,
                ", ".join(f"`{f.value}`" for f in i.families),
                "yes" if i.allows_not_applicable else "no",
            ),
            evidence=(i.evidence,),
        )
        for i in CHECKLIST
    ),
)


def items_for(family: RouteFamily | None) -> tuple[ChecklistItem, ...]:
    """The items of a route family, in order; none for a session without a drug."""
    return tuple(item for item in CHECKLIST if family in item.families)


def item(code: str) -> ChecklistItem | None:
    return next((i for i in CHECKLIST if i.code == code), None)
