"""Cardiovascular: uncontrolled hypertension, unstable cardiovascular disease, today's blood
pressure (trial exclusions, reference §3; label/SOP pre-dose threshold).
"""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.settings import RuleSettings
from remission.clinical.eligibility.sources import (
    BP_BEFORE_DOSING,
    HEART_FAILURE,
    HYPERTENSIVE_CRISIS,
    HYPERTENSIVE_ENCEPHALOPATHY,
    PRETREATMENT_BP,
    RECENT_CV_EVENT,
    TRIAL_EXCLUSIONS,
)
from remission.clinical.eligibility.vocabulary import Severity
from remission.clinical.routes import ALL_ROUTES

CRISIS_SYSTOLIC, CRISIS_DIASTOLIC = 180, 120  # ACC/AHA: above these, a hypertensive crisis


def reasons(intake: Intake, settings: RuleSettings) -> list[Reason]:
    """Relative: uncontrolled HTN, unstable CV disease (trial exclusions [src]); today's BP
    above the configured threshold (label/SOP example 140/90 [mem])."""
    history = intake.history
    found: list[Reason] = []
    if history.uncontrolled_hypertension:
        found.append(
            Reason(
                "uncontrolled_hypertension",
                Severity.RELATIVE,
                "uncontrolled hypertension: defer until controlled (controlled hypertension is "
                "not an exclusion)",
                ALL_ROUTES,
                TRIAL_EXCLUSIONS,
            )
        )
    for present, code, what in (
        (history.recent_myocardial_infarction, "recent_myocardial_infarction", "recent MI"),
        (history.recent_stroke, "recent_stroke", "recent stroke"),
    ):
        if present:
            found.append(
                Reason(
                    code,
                    Severity.ABSOLUTE,
                    f"{what} (within 6 weeks): a hard stop; ketamine raises blood pressure "
                    "and heart rate",
                    ALL_ROUTES,
                    RECENT_CV_EVENT,
                )
            )
    if history.heart_failure:
        found.append(
            Reason(
                "heart_failure",
                Severity.RELATIVE,
                "heart failure: ketamine raises heart rate, blood pressure and cardiac work; "
                "review whether it is compensated before treatment",
                ALL_ROUTES,
                HEART_FAILURE,
            )
        )
    if history.hypertensive_encephalopathy_history:
        found.append(
            Reason(
                "hypertensive_encephalopathy_history",
                Severity.RELATIVE,
                "history of hypertensive encephalopathy: a rise in blood pressure may pose a "
                "serious risk; weigh benefit against risk",
                ALL_ROUTES,
                HYPERTENSIVE_ENCEPHALOPATHY,
            )
        )
    unstable = (
        (history.unstable_angina, "unstable_angina", "unstable angina"),
        (history.significant_arrhythmia, "significant_arrhythmia", "significant arrhythmia"),
    )
    for present, code, what in unstable:
        if present:
            found.append(
                Reason(
                    code,
                    Severity.RELATIVE,
                    f"{what}: exclude or defer until stable; ketamine raises blood pressure "
                    "and heart rate",
                    ALL_ROUTES,
                    TRIAL_EXCLUSIONS,
                )
            )
    bp = intake.blood_pressure_today
    if bp is None:
        found.append(
            Reason(
                "blood_pressure_not_recorded",
                Severity.CAUTION,
                "today's blood pressure is not recorded: measure it before dosing",
                ALL_ROUTES,
                BP_BEFORE_DOSING,
            )
        )
    elif bp.systolic_mmhg > CRISIS_SYSTOLIC or bp.diastolic_mmhg > CRISIS_DIASTOLIC:
        found.append(
            Reason(
                "hypertensive_crisis",
                Severity.ABSOLUTE,
                f"today's blood pressure {bp} is above {CRISIS_SYSTOLIC}/{CRISIS_DIASTOLIC} mmHg, "
                "a hypertensive crisis: a hard stop; treat it first",
                ALL_ROUTES,
                HYPERTENSIVE_CRISIS,
            )
        )
    elif (
        bp.systolic_mmhg > settings.systolic_max_mmhg
        or bp.diastolic_mmhg > settings.diastolic_max_mmhg
    ):
        found.append(
            Reason(
                "blood_pressure_above_pretreatment_threshold",
                Severity.RELATIVE,
                f"today's blood pressure {bp} is above "
                f"{settings.systolic_max_mmhg}/{settings.diastolic_max_mmhg} mmHg: weigh the "
                "risk of the expected rise, or defer",
                ALL_ROUTES,
                PRETREATMENT_BP,
            )
        )
    return found
