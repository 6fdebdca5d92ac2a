"""Which medicine classes an intake records, whichever form recorded it.

New intakes record a medication list (``remission.clinical.medications``); intakes recorded
before it carry the yes/no class boxes (``legacy_medication_boxes``). The rules read this one
summary, so both are judged by the same rule and an old intake keeps its reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical.eligibility.intake import CurrentMedications, Intake
from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications import (
    DrugClass,
    MedicationUse,
    classes_taken,
    lorazepam_equivalent_mg_per_day,
    on_oral_antidepressant,
)
from remission.clinical.parsing import parse_dataclass


@dataclass(frozen=True, slots=True)
class MedicationExposure:
    """The classes taken; ``lorazepam_mg_per_day`` is ``None`` when a benzodiazepine is taken
    but its daily amount is not known."""

    classes: frozenset[DrugClass]
    lorazepam_mg_per_day: Decimal | None
    other_blood_pressure_raising: bool
    from_list: bool

    def takes(self, drug_class: DrugClass) -> bool:
        return drug_class in self.classes


_BOX_CLASSES = (
    ("maoi", DrugClass.MAOI),
    ("benzodiazepine", DrugClass.BENZODIAZEPINE),
    ("z_drug", DrugClass.Z_DRUG),
    ("opioid", DrugClass.OPIOID),
    ("stimulant", DrugClass.STIMULANT),
    ("lamotrigine", DrugClass.LAMOTRIGINE),
    ("mood_stabiliser", DrugClass.MOOD_STABILISER),
)


def from_boxes(boxes: CurrentMedications) -> MedicationExposure:
    return MedicationExposure(
        classes=frozenset(c for name, c in _BOX_CLASSES if getattr(boxes, name)),
        lorazepam_mg_per_day=boxes.lorazepam_equivalent_mg_per_day,
        other_blood_pressure_raising=boxes.other_blood_pressure_raising,
        from_list=False,
    )


def from_list(medications: tuple[MedicationUse, ...]) -> MedicationExposure:
    return MedicationExposure(
        classes=classes_taken(medications),
        lorazepam_mg_per_day=lorazepam_equivalent_mg_per_day(medications),
        other_blood_pressure_raising=False,
        from_list=True,
    )


def exposure(intake: Intake) -> MedicationExposure:
    boxes = intake.legacy_medication_boxes
    return from_list(intake.medications) if boxes is None else from_boxes(boxes)


def recorded_classes(answers: object) -> dict[DrugClass, bool] | None:
    """Each medicine class as stored intake answers record it (either form), for a reader that
    has only the stored JSON (the REMS monitoring form). ``None`` when the answers record no
    medicines in a readable shape; a class the older boxes did not ask about is absent."""
    if not isinstance(answers, Mapping):
        return None
    stored = answers.get("medications")
    boxes = answers.get("legacy_medication_boxes")
    if isinstance(stored, Mapping):  # the older form, as stored
        boxes = stored
    if isinstance(boxes, Mapping):
        return {c: boxes[name] for name, c in _BOX_CLASSES if isinstance(boxes.get(name), bool)}
    rows = listed_medications(answers)
    if rows is None:
        return None
    taken = classes_taken(rows)
    return {c: c in taken for c in DrugClass}


def listed_medications(answers: object) -> tuple[MedicationUse, ...] | None:
    """The medication list of stored intake answers; ``None`` when they hold none in a readable
    shape (the older form asked yes/no questions instead, stored as they were or upgraded)."""
    if not isinstance(answers, Mapping) or isinstance(
        answers.get("legacy_medication_boxes"), Mapping
    ):
        return None
    stored = answers.get("medications")
    if not isinstance(stored, list):
        return None
    try:
        return tuple(parse_dataclass(MedicationUse, r, root="medication") for r in stored)
    except ClinicalInputError:
        return None


def oral_antidepressant_listed(answers: object) -> bool | None:
    """Whether stored intake answers list an oral antidepressant (``on_oral_antidepressant``);
    ``None`` when they hold no list, so the older form's silence is not read as "none"."""
    rows = listed_medications(answers)
    return None if rows is None else on_oral_antidepressant(rows)
