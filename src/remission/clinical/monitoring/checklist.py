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

RESUSCITATION_EQUIPMENT = Evidence(
    citation="ASA Practice Guidelines for Moderate Procedural Sedation and Analgesia 2018 "
    "(Anesthesiology 2018;128:437): airway equipment of the right sizes, suction, supplemental "
    "oxygen, a defibrillator and emergency and reversal drugs immediately available wherever "
    "sedation is given; APA consensus (Sanacora 2017, reference §1.5 [2nd]): an ACLS-certified "
    "clinician administers ketamine",
    confidence=Confidence.RECALLED,
    note="the guideline's wording was not re-read; checking the kit at each session (not once a "
    "day) is this clinic's convention",
)

SAME_DAY_DOSES = Evidence(
    citation="SPRAVATO label section 7: CNS depressants (benzodiazepines, opioids, alcohol) "
    "increase sedation; psychostimulants raise blood pressure; the REMS monitoring form asks "
    "about these medicines",
    confidence=Confidence.PRIMARY,
    note="asked on the day because the interaction is largest with the medicine on board; what "
    "follows from each answer is in the today's-doses table",
)

ALL_FAMILIES: tuple[RouteFamily, ...] = tuple(RouteFamily)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One line a person answers. A confirmation must be answered yes (or n/a where allowed);
    a ``question`` (today's doses) is answered yes or no and the core judges the answer
    (``todays_doses.decide``); ``asks_amount`` questions record which drug and how much."""

    code: str
    label: str
    evidence: Evidence
    allows_not_applicable: bool = False
    families: tuple[RouteFamily, ...] = ALL_FAMILIES
    question: bool = False
    asks_amount: bool = False


TODAYS_DOSE_QUESTIONS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "benzodiazepine_today",
        "Benzodiazepine taken today? (if yes: which, and how much)",
        SAME_DAY_DOSES,
        question=True,
        asks_amount=True,
    ),
    ChecklistItem(
        "stimulant_this_morning",
        "Psychostimulant taken this morning?",
        SAME_DAY_DOSES,
        question=True,
    ),
    ChecklistItem("opioid_today", "Opioid taken today?", SAME_DAY_DOSES, question=True),
    ChecklistItem(
        "alcohol_last_24h", "Alcohol in the last 24 hours?", SAME_DAY_DOSES, question=True
    ),
)

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
        "resuscitation_equipment",
        "Resuscitation equipment checked: airway kit, suction, oxygen, defibrillator/AED, "
        "emergency drugs",
        RESUSCITATION_EQUIPMENT,
    ),
    *TODAYS_DOSE_QUESTIONS,
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
    intro="The items a person answers before each dose, in order. A confirmation must be "
    "answered yes (or n/a where allowed); a question about today's doses is answered yes or no "
    "and judged by the today's-doses rules. Vitals, consent, scales and REMS are computed from "
    "the record.",
    columns=("Item", "Text", "Route families", "Answers"),
    rows=tuple(
        registry.TableRow(
            cells=(
                f"`{i.code}`",
                i.label,
                ", ".join(f"`{f.value}`" for f in i.families),
                "yes / no (judged)"
                if i.question
                else "yes, or n/a"
                if i.allows_not_applicable
                else "yes",
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
