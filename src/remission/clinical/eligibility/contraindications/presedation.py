"""Pre-sedation assessment and airway: ASA physical status, STOP-Bang and known obstructive
sleep apnoea (weighted up at BMI ≥35), COPD, Mallampati, and the investigations that are
indicated but not done or abnormal (``presedation`` holds the schema and the STOP-Bang count).

Intakes recorded before the pre-sedation assessment (``presedation`` null) draw no reason from
it; their known-OSA and COPD flags read as not reported (``legacy``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.presedation import (
    ASA_PHYSICAL_STATUS,
    STOP_BANG,
    AsaClass,
    Investigation,
    Mallampati,
    PreSedationAssessment,
    StopBangBand,
    Test,
    stop_bang,
)
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.settings import RuleSettings
from remission.clinical.eligibility.sources import (
    AIRWAY_MALLAMPATI,
    ASA_OFFICE_SELECTION,
    ESKETAMINE_MODERATE_HEPATIC,
    HEART_FAILURE,
    HYPERTENSIVE_ENCEPHALOPATHY,
    INVESTIGATIONS_WHEN_INDICATED,
    OSA_SEDATION,
    RESPIRATORY_DISEASE,
)
from remission.clinical.eligibility.vocabulary import Severity, SubstanceUseDisorder
from remission.clinical.evidence import Evidence
from remission.clinical.medications import AlcoholUse
from remission.clinical.routes import ALL_ROUTES

OSA_WEIGHTED_UP_FROM_BMI = Decimal(35)


def reasons(intake: Intake, settings: RuleSettings) -> list[Reason]:
    found = _respiratory_history(intake)
    assessment = intake.presedation
    if assessment is None:
        return found
    return [
        *found,
        *_asa(assessment.asa_class),
        *_stop_bang(intake, assessment),
        *_mallampati(assessment.mallampati),
        *_investigations(intake, assessment, settings),
    ]


def _bmi(intake: Intake) -> Decimal | None:
    return None if intake.presedation is None else intake.presedation.bmi_kg_per_m2


def _respiratory_history(intake: Intake) -> list[Reason]:
    """Known OSA: a caution, review at BMI ≥35; COPD: a caution (monitor SpO2)."""
    found: list[Reason] = []
    bmi = _bmi(intake)
    if intake.history.obstructive_sleep_apnoea:
        if bmi is not None and bmi >= OSA_WEIGHTED_UP_FROM_BMI:
            found.append(
                Reason(
                    "obstructive_sleep_apnoea_with_obesity",
                    Severity.RELATIVE,
                    f"obstructive sleep apnoea with BMI {bmi:.1f} kg/m² (≥35): a higher risk of "
                    "airway obstruction under sedation; review the airway plan (CPAP "
                    "available, continuous pulse oximetry)",
                    ALL_ROUTES,
                    OSA_SEDATION,
                )
            )
        else:
            found.append(
                Reason(
                    "obstructive_sleep_apnoea",
                    Severity.CAUTION,
                    "obstructive sleep apnoea: continuous pulse oximetry; bring CPAP if used",
                    ALL_ROUTES,
                    OSA_SEDATION,
                )
            )
    if intake.history.copd:
        found.append(
            Reason(
                "copd",
                Severity.CAUTION,
                "COPD: record the baseline oxygen saturation; monitor for respiratory depression",
                ALL_ROUTES,
                RESPIRATORY_DISEASE,
            )
        )
    return found


def _asa(asa: AsaClass) -> list[Reason]:
    """ASA III: prescriber review; ASA IV–VI: a hard stop for elective office-based treatment."""
    if asa.rank >= AsaClass.IV.rank:
        return [
            Reason(
                "asa_class_iv_or_above",
                Severity.ABSOLUTE,
                f"ASA physical status {asa.value} ({asa.description}): not a candidate for "
                "elective office-based treatment; a hard stop",
                ALL_ROUTES,
                ASA_OFFICE_SELECTION,
            )
        ]
    if asa is AsaClass.III:
        return [
            Reason(
                "asa_class_iii",
                Severity.RELATIVE,
                f"ASA physical status III ({asa.description}): review fitness for "
                "office-based treatment; consult as needed",
                ALL_ROUTES,
                ASA_OFFICE_SELECTION,
            )
        ]
    return []


def _stop_bang(intake: Intake, assessment: PreSedationAssessment) -> list[Reason]:
    """STOP-Bang 5–8 high risk: review; 3–4 intermediate: caution (Chung 2008/2016)."""
    score = stop_bang(
        assessment.stop_bang,
        bmi_kg_per_m2=assessment.bmi_kg_per_m2,
        age_years=intake.age_years,
        sex=intake.sex,
    )
    found: list[Reason] = []
    at_least = "at least " if score.bmi_missing else ""
    scored = ", ".join(score.items) or "none"
    if score.band is StopBangBand.HIGH:
        found.append(
            Reason(
                "stop_bang_high_risk",
                Severity.RELATIVE,
                f"STOP-Bang {at_least}{score.score}/8 ({scored}): high risk of obstructive sleep "
                "apnoea; review the airway plan and consider a sleep study",
                ALL_ROUTES,
                STOP_BANG,
            )
        )
    elif score.band is StopBangBand.INTERMEDIATE:
        found.append(
            Reason(
                "stop_bang_intermediate_risk",
                Severity.CAUTION,
                f"STOP-Bang {at_least}{score.score}/8 ({scored}): intermediate risk of "
                "obstructive sleep apnoea; continuous pulse oximetry",
                ALL_ROUTES,
                STOP_BANG,
            )
        )
    if score.bmi_missing:
        found.append(
            Reason(
                "stop_bang_without_bmi",
                Severity.CAUTION,
                "no weight and height on the chart: STOP-Bang counted without its BMI item; "
                "record both",
                ALL_ROUTES,
                STOP_BANG,
            )
        )
    return found


def _mallampati(mallampati: Mallampati | None) -> list[Reason]:
    if mallampati not in (Mallampati.III, Mallampati.IV):
        return []
    return [
        Reason(
            "mallampati_iii_or_iv",
            Severity.CAUTION,
            f"Mallampati class {mallampati.value}: a more difficult airway is predicted; airway "
            "equipment at the chair",
            ALL_ROUTES,
            AIRWAY_MALLAMPATI,
        )
    ]


@dataclass(frozen=True, slots=True)
class Indication:
    """An investigation the intake calls for, and why."""

    test: Test
    because: tuple[str, ...]


def indicated_investigations(intake: Intake, settings: RuleSettings) -> tuple[Indication, ...]:
    """The investigations indicated before treatment, each with its reasons (a clinic
    convention on the APA consensus's "as clinically indicated" [?]):

    * ECG: cardiac history (recent MI, unstable angina, arrhythmia, heart failure,
      uncontrolled hypertension, hypertensive encephalopathy, recent stroke) or age at or above
      ``eligibility.ecg_indicated_from_age_years``;
    * liver function tests: moderate or severe hepatic impairment, heavy alcohol use;
    * urine drug screen: a substance use disorder, active or in remission.
    """
    h = intake.history
    cardiac = [
        label
        for present, label in (
            (h.recent_myocardial_infarction, "recent myocardial infarction"),
            (h.unstable_angina, "unstable angina"),
            (h.significant_arrhythmia, "arrhythmia"),
            (h.heart_failure, "heart failure"),
            (h.uncontrolled_hypertension, "uncontrolled hypertension"),
            (h.hypertensive_encephalopathy_history, "hypertensive encephalopathy"),
            (h.recent_stroke, "recent stroke"),
        )
        if present
    ]
    if intake.age_years >= settings.ecg_from_age_years:
        cardiac.append(f"age {intake.age_years} (≥{settings.ecg_from_age_years})")
    hepatic = [
        label
        for present, label in (
            (h.moderate_hepatic_impairment, "moderate hepatic impairment"),
            (h.severe_hepatic_impairment, "severe hepatic impairment"),
            (intake.alcohol is AlcoholUse.HEAVY, "heavy alcohol use"),
        )
        if present
    ]
    substance = (
        [f"substance use disorder ({h.substance_use_disorder.value.replace('_', ' ')})"]
        if h.substance_use_disorder is not SubstanceUseDisorder.NONE
        else []
    )
    return tuple(
        Indication(test, tuple(because))
        for test, because in (
            (Test.ECG, cardiac),
            (Test.LIVER_TESTS, hepatic),
            (Test.URINE_DRUG_SCREEN, substance),
        )
        if because
    )


def _investigations(
    intake: Intake, assessment: PreSedationAssessment, settings: RuleSettings
) -> list[Reason]:
    """Indicated but not done: review; any abnormal result: review."""
    found: list[Reason] = []
    indicated = {i.test: i for i in indicated_investigations(intake, settings)}
    for test in Test:
        result = assessment.result(test)
        if result is Investigation.ABNORMAL:
            found.append(
                Reason(
                    f"{test.value}_abnormal",
                    Severity.RELATIVE,
                    f"{test.label} abnormal: the prescriber reviews the result before treatment",
                    ALL_ROUTES,
                    INVESTIGATIONS_WHEN_INDICATED,
                )
            )
        elif result is Investigation.NOT_DONE and test in indicated:
            because = ", ".join(indicated[test].because)
            found.append(
                Reason(
                    f"{test.value}_indicated_not_done",
                    Severity.RELATIVE,
                    f"{test.label} indicated ({because}) but not recorded as done",
                    ALL_ROUTES,
                    INVESTIGATIONS_WHEN_INDICATED,
                )
            )
    return found


__all__ = ["ASA_PHYSICAL_STATUS", "Indication", "indicated_investigations", "reasons"]


def _row(code: str, finding: str, tier: str, evidence: Evidence) -> registry.TableRow:
    return registry.TableRow(cells=(f"`{code}`", finding, tier), evidence=(evidence,))


registry.define_table(
    "eligibility.presedation",
    title="Eligibility: pre-sedation assessment and airway",
    intro="Reasons drawn from the intake's pre-sedation assessment and the airway, lung, heart "
    "and liver history (all routes unless named). The worst tier wins and every reason is "
    "listed. Intakes recorded before the assessment draw none of the assessment's reasons.",
    columns=("Reason", "Finding", "Tier"),
    rows=(
        _row("asa_class_iii", "ASA physical status III", "review", ASA_OFFICE_SELECTION),
        _row("asa_class_iv_or_above", "ASA IV, V or VI", "hard stop", ASA_OFFICE_SELECTION),
        _row("stop_bang_intermediate_risk", "STOP-Bang 3–4", "caution", STOP_BANG),
        _row("stop_bang_high_risk", "STOP-Bang 5–8", "review", STOP_BANG),
        _row("stop_bang_without_bmi", "no weight or height on the chart", "caution", STOP_BANG),
        _row("obstructive_sleep_apnoea", "known OSA, BMI below 35", "caution", OSA_SEDATION),
        _row("obstructive_sleep_apnoea_with_obesity", "known OSA, BMI ≥35", "review", OSA_SEDATION),
        _row("copd", "COPD", "caution", RESPIRATORY_DISEASE),
        _row("heart_failure", "heart failure", "review", HEART_FAILURE),
        _row(
            "hypertensive_encephalopathy_history",
            "history of hypertensive encephalopathy",
            "review",
            HYPERTENSIVE_ENCEPHALOPATHY,
        ),
        _row(
            "moderate_hepatic_impairment",
            "Child-Pugh B (esketamine: longer monitoring; racemic: slower clearance)",
            "caution",
            ESKETAMINE_MODERATE_HEPATIC,
        ),
        _row("mallampati_iii_or_iv", "Mallampati III or IV", "caution", AIRWAY_MALLAMPATI),
        _row(
            "ecg_indicated_not_done",
            "cardiac history, or age ≥ `eligibility.ecg_indicated_from_age_years`; no ECG",
            "review",
            INVESTIGATIONS_WHEN_INDICATED,
        ),
        _row(
            "liver_tests_indicated_not_done",
            "moderate/severe hepatic impairment or heavy alcohol use; no liver tests",
            "review",
            INVESTIGATIONS_WHEN_INDICATED,
        ),
        _row(
            "urine_drug_screen_indicated_not_done",
            "a substance use disorder; no urine drug screen",
            "review",
            INVESTIGATIONS_WHEN_INDICATED,
        ),
        _row(
            "<test>_abnormal", "any investigation abnormal", "review", INVESTIGATIONS_WHEN_INDICATED
        ),
    ),
)
