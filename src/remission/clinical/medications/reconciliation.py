"""The reconciled medication list of an intake, and what the rules read from it.

Each row names a drug of the catalogue (``catalogue.DRUGS``, or ``other`` with a free-text
name), its dose and unit, how often it is taken and when it was last taken. The rules read the
list through the functions here: the classes taken, the total benzodiazepine dose as
lorazepam-equivalent mg/day (approximate, Ashton), and ``on_oral_antidepressant``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications.catalogue import OTHER, DrugClass, drug, is_known


class DoseUnit(enum.StrEnum):
    MG = "mg"
    MICROGRAM = "microgram"

    def to_mg(self, amount: Decimal) -> Decimal:
        return amount if self is DoseUnit.MG else amount / Decimal(1000)


class Frequency(enum.StrEnum):
    """How often a dose is taken; ``doses_per_day`` is ``None`` where a daily amount does not
    follow (as needed, weekly, other)."""

    ONCE_DAILY = "once_daily"
    TWICE_DAILY = "twice_daily"
    THREE_TIMES_DAILY = "three_times_daily"
    FOUR_TIMES_DAILY = "four_times_daily"
    AT_NIGHT = "at_night"
    AS_NEEDED = "as_needed"
    WEEKLY = "weekly"
    OTHER = "other"

    @property
    def doses_per_day(self) -> int | None:
        return _PER_DAY.get(self)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


_PER_DAY = {
    Frequency.ONCE_DAILY: 1,
    Frequency.TWICE_DAILY: 2,
    Frequency.THREE_TIMES_DAILY: 3,
    Frequency.FOUR_TIMES_DAILY: 4,
    Frequency.AT_NIGHT: 1,
}


class LastTaken(enum.StrEnum):
    """When the patient last took it, as the intake asks (a day, not a time)."""

    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    EARLIER = "earlier"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _LAST_TAKEN_LABELS[self]


_LAST_TAKEN_LABELS = {
    LastTaken.TODAY: "today",
    LastTaken.YESTERDAY: "yesterday",
    LastTaken.THIS_WEEK: "in the last 7 days",
    LastTaken.EARLIER: "more than 7 days ago",
    LastTaken.UNKNOWN: "not known",
}


class AlcoholUse(enum.StrEnum):
    """Alcohol use, asked on its own (not a row of the medication list)."""

    NONE = "none"
    OCCASIONAL = "occasional"
    REGULAR = "regular"
    HEAVY = "heavy"

    @property
    def label(self) -> str:
        return _ALCOHOL_LABELS[self]


_ALCOHOL_LABELS = {
    AlcoholUse.NONE: "None",
    AlcoholUse.OCCASIONAL: "Occasional (less than weekly)",
    AlcoholUse.REGULAR: "Regular (weekly or more, within low-risk limits)",
    AlcoholUse.HEAVY: "Heavy (above low-risk limits, or binge drinking)",
}

_MAX_DOSE = Decimal(100000)


@dataclass(frozen=True, slots=True)
class MedicationUse:
    """One row of the medication list. ``name`` is required for ``drug='other'`` only."""

    drug: str
    name: str
    dose: Decimal
    unit: DoseUnit
    frequency: Frequency
    last_taken: LastTaken

    def __post_init__(self) -> None:
        if not is_known(self.drug):
            raise ClinicalInputError(f"drug {self.drug!r} is not in the medication catalogue")
        if self.drug == OTHER and not self.name.strip():
            raise ClinicalInputError("name the medicine when drug is 'other'")
        if not self.dose.is_finite() or not Decimal(0) < self.dose <= _MAX_DOSE:
            raise ClinicalInputError(
                f"dose must be above 0 and at most {_MAX_DOSE}, got {self.dose}"
            )

    @property
    def classes(self) -> frozenset[DrugClass]:
        entry = drug(self.drug)
        return frozenset() if entry is None else entry.classes

    @property
    def display_name(self) -> str:
        entry = drug(self.drug)
        return self.name.strip() if entry is None else entry.name

    def daily_mg(self) -> Decimal | None:
        """The mg taken per day, or ``None`` when the frequency gives no daily amount."""
        per_day = self.frequency.doses_per_day
        return None if per_day is None else self.unit.to_mg(self.dose) * per_day

    def lorazepam_equivalent_mg_per_day(self) -> Decimal | None:
        """Approximate lorazepam-equivalent mg/day of a benzodiazepine row (Ashton); ``None``
        when the daily amount is not known. Not for a row that is not a benzodiazepine."""
        entry = drug(self.drug)
        if entry is None or entry.lorazepam_mg_per_mg is None:
            raise ValueError(f"{self.drug} has no lorazepam equivalent")
        daily = self.daily_mg()
        return None if daily is None else daily * entry.lorazepam_mg_per_mg


def in_class(
    medications: Iterable[MedicationUse], drug_class: DrugClass
) -> tuple[MedicationUse, ...]:
    return tuple(m for m in medications if drug_class in m.classes)


def classes_taken(medications: Iterable[MedicationUse]) -> frozenset[DrugClass]:
    return frozenset(c for m in medications for c in m.classes)


def lorazepam_equivalent_mg_per_day(medications: Iterable[MedicationUse]) -> Decimal | None:
    """The total benzodiazepine dose as approximate lorazepam-equivalent mg/day (Ashton table,
    ``catalogue.LORAZEPAM_EQUIVALENTS``). ``Decimal(0)`` when no benzodiazepine is listed;
    ``None`` when one is listed without a daily amount (taken as needed, weekly, other)."""
    total = Decimal(0)
    for row in in_class(medications, DrugClass.BENZODIAZEPINE):
        daily = row.lorazepam_equivalent_mg_per_day()
        if daily is None:
            return None
        total += daily
    return total


def on_oral_antidepressant(medications: Iterable[MedicationUse]) -> bool:
    """Whether the list holds an oral antidepressant of the catalogue.

    The SPRAVATO indication for depressive symptoms in MDD with acute suicidal ideation or
    behaviour is "in conjunction with an oral antidepressant" (label indications [src]); the
    esketamine MDSI rule calls this. Counted: the SSRIs, SNRIs, tricyclics, bupropion,
    mirtazapine, trazodone, vilazodone, vortioxetine and the oral MAOIs of the catalogue
    (``DrugClass.ORAL_ANTIDEPRESSANT``). Not counted: transdermal selegiline, a medicine
    entered as ``other`` (not coded, so not judged), and lamotrigine or lithium alone.
    A row counts whatever its ``last_taken``: the list is the patient's current medicines.
    """
    return any(DrugClass.ORAL_ANTIDEPRESSANT in m.classes for m in medications)
