"""Which medicine classes an intake records, whichever form recorded it.

New intakes record a medication list (``remission.clinical.medications``); intakes recorded
before it carry the yes/no class boxes (``legacy_medication_boxes``). The rules read this one
summary, so both are judged by the same rule and an old intake keeps its reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from remission.clinical.eligibility.intake import CurrentMedications, Intake
from remission.clinical.medications import (
    DrugClass,
    MedicationUse,
    classes_taken,
    lorazepam_equivalent_mg_per_day,
)


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
