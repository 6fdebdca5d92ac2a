"""The structured screening intake: the schema a clinic fills in (reference §3 checklist).

Build it directly, or from JSON with ``Intake.from_mapping`` (``remission.clinical.parsing``):
every field is required, and bad input raises ``ClinicalInputError`` naming the field path.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from remission.clinical.diagnoses import CODE_SHAPE
from remission.clinical.dosing import Sex
from remission.clinical.eligibility.legacy import upgrade_answers
from remission.clinical.eligibility.presedation import PreSedationAssessment
from remission.clinical.eligibility.vocabulary import (
    Adherence,
    BaselineSeverity,
    PregnancyStatus,
    Substance,
    SubstanceUseDisorder,
    TrialOutcome,
)
from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications import AlcoholUse, MedicationUse
from remission.clinical.parsing import parse_dataclass


@dataclass(frozen=True, slots=True)
class BloodPressure:
    systolic_mmhg: int
    diastolic_mmhg: int

    def __post_init__(self) -> None:
        require_whole_in_range("systolic_mmhg", self.systolic_mmhg, 50, 300)
        require_whole_in_range("diastolic_mmhg", self.diastolic_mmhg, 20, 200)
        if self.diastolic_mmhg >= self.systolic_mmhg:
            raise ClinicalInputError(
                f"diastolic_mmhg {self.diastolic_mmhg} must be below "
                f"systolic_mmhg {self.systolic_mmhg}"
            )

    def __str__(self) -> str:
        return f"{self.systolic_mmhg}/{self.diastolic_mmhg} mmHg"


@dataclass(frozen=True, slots=True)
class MedicalHistory:
    """History flags from the intake checklist (reference §3). Every flag must be answered."""

    aneurysmal_vascular_disease: bool
    arteriovenous_malformation: bool
    intracerebral_haemorrhage: bool
    hypersensitivity_to_ketamine_or_esketamine: bool
    uncontrolled_hypertension: bool
    recent_myocardial_infarction: bool
    unstable_angina: bool
    significant_arrhythmia: bool
    heart_failure: bool
    hypertensive_encephalopathy_history: bool
    recent_stroke: bool
    raised_intracranial_pressure: bool
    recent_head_injury: bool
    psychosis_history: bool
    current_psychotic_features: bool
    current_mania: bool
    bipolar_disorder: bool
    substance_use_disorder: SubstanceUseDisorder
    substances: tuple[Substance, ...]
    obstructive_sleep_apnoea: bool
    copd: bool
    cystitis_or_lower_urinary_tract_symptoms: bool
    moderate_hepatic_impairment: bool
    severe_hepatic_impairment: bool
    cognitive_impairment: bool
    unable_to_consent: bool
    glaucoma_or_raised_intraocular_pressure: bool
    hyperthyroidism: bool
    acute_suicidality: bool

    def __post_init__(self) -> None:
        if self.substances and self.substance_use_disorder is SubstanceUseDisorder.NONE:
            raise ClinicalInputError(
                "substances are listed but substance_use_disorder is 'none': "
                "set it to 'active' or 'in_remission', or leave substances empty"
            )
        if self.moderate_hepatic_impairment and self.severe_hepatic_impairment:
            raise ClinicalInputError(
                "hepatic impairment is moderate (Child-Pugh B) or severe (Child-Pugh C), not both"
            )

    @classmethod
    def nothing_reported(cls, **reported: Any) -> MedicalHistory:
        """Every flag answered 'no', except the ones given as keyword arguments."""
        answers: dict[str, Any] = {
            f.name: False for f in dataclasses.fields(cls) if f.name not in _NON_FLAG_HISTORY
        }
        answers["substance_use_disorder"] = SubstanceUseDisorder.NONE
        answers["substances"] = ()
        answers.update(reported)
        return cls(**answers)


_NON_FLAG_HISTORY = frozenset({"substance_use_disorder", "substances"})


@dataclass(frozen=True, slots=True)
class CurrentMedications:
    """The yes/no medicine-class boxes of the intake form before the medication list.

    Intakes recorded before the list carry these (``Intake.legacy_medication_boxes``) and are
    read as they were: the same rules, the same reasons. New intakes record a list instead.
    """

    maoi: bool
    benzodiazepine: bool
    lorazepam_equivalent_mg_per_day: Decimal | None
    z_drug: bool
    opioid: bool
    stimulant: bool
    lamotrigine: bool
    mood_stabiliser: bool
    other_blood_pressure_raising: bool

    def __post_init__(self) -> None:
        dose = self.lorazepam_equivalent_mg_per_day
        if dose is None:
            return
        if not self.benzodiazepine:
            raise ClinicalInputError(
                "lorazepam_equivalent_mg_per_day is given but benzodiazepine is false"
            )
        if not dose.is_finite() or not Decimal(0) < dose <= Decimal(100):
            raise ClinicalInputError(
                f"lorazepam_equivalent_mg_per_day must be above 0 and at most 100, got {dose}"
            )

    @classmethod
    def none_taken(cls, **taken: Any) -> CurrentMedications:
        """No medicine of any listed class, except the ones given as keyword arguments."""
        answers: dict[str, Any] = {f.name: False for f in dataclasses.fields(cls)}
        answers["lorazepam_equivalent_mg_per_day"] = None
        answers.update(taken)
        return cls(**answers)


@dataclass(frozen=True, slots=True)
class AntidepressantTrial:
    """One antidepressant trial as the intake records it (reference §4, ATHF/MGH-ATRQ items)."""

    drug: str
    adequate_dose: bool
    duration_weeks: Decimal
    adherence: Adherence
    outcome: TrialOutcome
    current_episode: bool
    augmentation: bool

    def __post_init__(self) -> None:
        if not self.drug.strip():
            raise ClinicalInputError("drug must name the antidepressant")
        weeks = self.duration_weeks
        if not weeks.is_finite() or not Decimal(0) <= weeks <= Decimal(520):
            raise ClinicalInputError(f"duration_weeks must be between 0 and 520, got {weeks}")


@dataclass(frozen=True, slots=True)
class Intake:
    """A structured screening intake. Build it directly, or from JSON with ``from_mapping``."""

    age_years: int
    sex: Sex
    pregnancy: PregnancyStatus
    breastfeeding: bool
    blood_pressure_today: BloodPressure | None
    history: MedicalHistory
    diagnoses_icd10cm: tuple[str, ...]
    medications: tuple[MedicationUse, ...]
    alcohol: AlcoholUse | None
    presedation: PreSedationAssessment | None
    legacy_medication_boxes: CurrentMedications | None
    antidepressant_trials: tuple[AntidepressantTrial, ...]
    ect_used_in_current_episode: bool
    current_episode_months: int
    baseline_severity: BaselineSeverity

    def __post_init__(self) -> None:
        require_whole_in_range("age_years", self.age_years, 0, 120)
        require_whole_in_range("current_episode_months", self.current_episode_months, 0, 1200)
        for code in self.diagnoses_icd10cm:
            if not CODE_SHAPE.match(code):
                raise ClinicalInputError(
                    f"diagnoses_icd10cm: {code!r} is not an ICD-10-CM code "
                    "(upper case with a dot, e.g. 'F33.1')"
                )
        if self.legacy_medication_boxes is not None:
            if self.medications:
                raise ClinicalInputError(
                    "an intake records a medication list or the older yes/no boxes, not both"
                )
            return
        missing = [name for name in ("alcohol", "presedation") if getattr(self, name) is None]
        if missing:
            raise ClinicalInputError(
                ", ".join(missing) + " must be answered (only intakes recorded before the "
                "medication list and the pre-sedation assessment may leave them null)"
            )

    @property
    def recorded_before_presedation(self) -> bool:
        """Recorded on the older form (yes/no medicine boxes, no pre-sedation assessment)."""
        return self.legacy_medication_boxes is not None

    @classmethod
    def from_mapping(cls, data: object) -> Intake:
        """Validate JSON-like data (e.g. ``json.load`` output) and build an ``Intake``.

        Every field is required (``blood_pressure_today`` may be ``null``); unknown fields,
        wrong types and out-of-range values raise ``ClinicalInputError`` naming the field path.
        Answers stored by the older form (medicine boxes instead of a list) are read through
        ``legacy.upgrade_answers`` first, so they keep their meaning.
        """
        return parse_dataclass(cls, upgrade_answers(data), root="intake")


def require_whole_in_range(name: str, value: int, low: int, high: int) -> None:
    """Refuse anything but a whole number (not a bool) from ``low`` to ``high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClinicalInputError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ClinicalInputError(f"{name} must be between {low} and {high}, got {value}")
