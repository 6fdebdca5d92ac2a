"""The pre-sedation assessment at intake: ASA physical status, the STOP-Bang airway screen
(and optionally Mallampati), and the investigations (ECG, liver tests, urine drug screen) the
core says are indicated and the intake records as done and normal or not.

The rules that read it are in ``contraindications.presedation``. Sources:

* ASA Physical Status Classification System (ASA House of Delegates; last amended 2020),
  class descriptions as reproduced in published tables [2nd] (``ASA_PHYSICAL_STATUS``).
* STOP-Bang: Chung F et al., Anesthesiology 2008;108:812 (derivation) and Chung F, Abdullah HR,
  Liao P, Chest 2016;149:631 (practical approach): 8 yes/no items, score 0–8; 0–2 low,
  3–4 intermediate, 5–8 high risk of obstructive sleep apnoea. The thresholds were read in the
  abstracts of validation studies that use them [2nd] (``STOP_BANG``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical.dosing import Sex
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence

ASA_PHYSICAL_STATUS = Evidence(
    citation="ASA Physical Status Classification System (American Society of "
    "Anesthesiologists; last amended 2020): I healthy; II mild systemic disease; III severe "
    "systemic disease; IV severe systemic disease that is a constant threat to life; "
    "V moribund; VI brain-dead organ donor",
    confidence=Confidence.SECONDARY,
    url="https://www.asahq.org/standards-and-practice-parameters/"
    "statement-on-asa-physical-status-classification-system",
    note="class wording read in published reproductions (e.g. Trials 2012;13:160 Table 1), "
    "not on the ASA page itself",
)
STOP_BANG = Evidence(
    citation="STOP-Bang (Chung et al., Anesthesiology 2008;108:812; Chung, Abdullah & Liao, "
    "Chest 2016;149:631): Snoring, Tired, Observed apnoea, high blood Pressure, BMI >35 kg/m², "
    "Age >50, Neck >40 cm, male Gender; 0–2 low, 3–4 intermediate, 5–8 high risk of OSA",
    confidence=Confidence.SECONDARY,
    url="https://pmc.ncbi.nlm.nih.gov/articles/PMC6287723",
    note="the cut-offs ≥3 and ≥5 were read in validation studies that apply them; the "
    "original papers were not re-read. A screen, not a diagnosis: sensitive, not specific",
)


class AsaClass(enum.StrEnum):
    I = "I"  # noqa: E741 (the ASA's own numeral)
    II = "II"
    III = "III"
    IV = "IV"
    V = "V"
    VI = "VI"

    @property
    def rank(self) -> int:
        return list(AsaClass).index(self) + 1

    @property
    def description(self) -> str:
        return _ASA_TEXT[self]


_ASA_TEXT = {
    AsaClass.I: "a normal healthy patient",
    AsaClass.II: "a patient with mild systemic disease (e.g. well-controlled hypertension, "
    "current smoker, BMI 30–40)",
    AsaClass.III: "a patient with severe systemic disease (substantive functional limits, e.g. "
    "poorly controlled hypertension or diabetes, COPD, BMI ≥40)",
    AsaClass.IV: "a patient with severe systemic disease that is a constant threat to life",
    AsaClass.V: "a moribund patient who is not expected to survive without the operation",
    AsaClass.VI: "a declared brain-dead patient whose organs are being removed for donation",
}


class Mallampati(enum.StrEnum):
    """Modified Mallampati class (optional at intake): III–IV predict a harder airway."""

    I = "I"  # noqa: E741
    II = "II"
    III = "III"
    IV = "IV"


class Investigation(enum.StrEnum):
    """What the intake records of one investigation."""

    NOT_DONE = "not_done"
    NORMAL = "normal"
    ABNORMAL = "abnormal"


class Test(enum.StrEnum):
    ECG = "ecg"
    LIVER_TESTS = "liver_tests"
    URINE_DRUG_SCREEN = "urine_drug_screen"

    @property
    def label(self) -> str:
        return _TEST_LABELS[self]


_TEST_LABELS = {
    Test.ECG: "12-lead ECG",
    Test.LIVER_TESTS: "liver function tests",
    Test.URINE_DRUG_SCREEN: "urine drug screen",
}


@dataclass(frozen=True, slots=True)
class StopBangAnswers:
    """The four questions and the neck measurement of STOP-Bang; BMI, age and sex come from the
    chart and the intake, so the core computes the other items."""

    snores_loudly: bool
    tired_during_the_day: bool
    observed_apnoea: bool
    high_blood_pressure: bool
    neck_over_40_cm: bool


@dataclass(frozen=True, slots=True)
class PreSedationAssessment:
    """ASA class, airway screen and investigations. ``bmi_kg_per_m2`` is the chart's (latest
    weight and height), ``None`` when the chart holds no height or weight."""

    asa_class: AsaClass
    stop_bang: StopBangAnswers
    bmi_kg_per_m2: Decimal | None
    mallampati: Mallampati | None
    ecg: Investigation
    liver_tests: Investigation
    urine_drug_screen: Investigation

    def __post_init__(self) -> None:
        bmi = self.bmi_kg_per_m2
        if bmi is not None and (not bmi.is_finite() or not Decimal(10) <= bmi <= Decimal(150)):
            raise ClinicalInputError(f"bmi_kg_per_m2 must be between 10 and 150, got {bmi}")

    def result(self, test: Test) -> Investigation:
        return {
            Test.ECG: self.ecg,
            Test.LIVER_TESTS: self.liver_tests,
            Test.URINE_DRUG_SCREEN: self.urine_drug_screen,
        }[test]


class StopBangBand(enum.StrEnum):
    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"


STOP_BANG_INTERMEDIATE_FROM = 3  # Chung 2008/2016: 3–4 intermediate
STOP_BANG_HIGH_FROM = 5  # Chung 2008/2016: 5–8 high
STOP_BANG_BMI_ABOVE = Decimal(35)
STOP_BANG_AGE_ABOVE = 50


@dataclass(frozen=True, slots=True)
class StopBangScore:
    """The score counted, the items that scored, and whether BMI was missing (then the score
    is a lower bound: the BMI item might add one)."""

    score: int
    items: tuple[str, ...]
    bmi_missing: bool

    @property
    def band(self) -> StopBangBand:
        if self.score >= STOP_BANG_HIGH_FROM:
            return StopBangBand.HIGH
        if self.score >= STOP_BANG_INTERMEDIATE_FROM:
            return StopBangBand.INTERMEDIATE
        return StopBangBand.LOW


def stop_bang(
    answers: StopBangAnswers, *, bmi_kg_per_m2: Decimal | None, age_years: int, sex: Sex
) -> StopBangScore:
    """Count the STOP-Bang items (Chung 2008/2016): one point each, 0–8."""
    items = (
        ("snoring", answers.snores_loudly),
        ("tiredness", answers.tired_during_the_day),
        ("observed apnoea", answers.observed_apnoea),
        ("high blood pressure", answers.high_blood_pressure),
        ("BMI >35", bmi_kg_per_m2 is not None and bmi_kg_per_m2 > STOP_BANG_BMI_ABOVE),
        ("age >50", age_years > STOP_BANG_AGE_ABOVE),
        ("neck >40 cm", answers.neck_over_40_cm),
        ("male", sex is Sex.MALE),
    )
    scored = tuple(name for name, present in items if present)
    return StopBangScore(score=len(scored), items=scored, bmi_missing=bmi_kg_per_m2 is None)
