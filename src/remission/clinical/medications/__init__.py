"""Medicines: the coded catalogue (RxNorm ingredient codes, lorazepam equivalents) and the
reconciled medication list the intake records and the rules read.

``on_oral_antidepressant(medications)`` answers the esketamine MDSI indication's "with an oral
antidepressant"; ``lorazepam_equivalent_mg_per_day(medications)`` the benzodiazepine dose rule.
"""

from remission.clinical.medications.catalogue import (
    CATALOGUE,
    DRUGS,
    LORAZEPAM_EQUIVALENTS,
    OTHER,
    Drug,
    DrugClass,
    drug,
    drugs_in,
)
from remission.clinical.medications.reconciliation import (
    AlcoholUse,
    DoseUnit,
    Frequency,
    LastTaken,
    MedicationUse,
    classes_taken,
    in_class,
    lorazepam_equivalent_mg_per_day,
    on_oral_antidepressant,
)

__all__ = [
    "CATALOGUE",
    "DRUGS",
    "LORAZEPAM_EQUIVALENTS",
    "OTHER",
    "AlcoholUse",
    "DoseUnit",
    "Drug",
    "DrugClass",
    "Frequency",
    "LastTaken",
    "MedicationUse",
    "classes_taken",
    "drug",
    "drugs_in",
    "in_class",
    "lorazepam_equivalent_mg_per_day",
    "on_oral_antidepressant",
]
