"""Cardiovascular: uncontrolled hypertension, unstable cardiovascular disease, today's blood
pressure (trial exclusions, reference §3; label/SOP pre-dose threshold).
"""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import HistoryReasons, Reason, from_history
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


def _recent_event(code: str, what: str) -> Reason:
    return Reason(
        code,
        Severity.ABSOLUTE,
        f"{what} (within 6 weeks): a hard stop; ketamine raises blood pressure and heart rate",
        ALL_ROUTES,
        RECENT_CV_EVENT,
    )


def _unstable(code: str, what: str) -> Reason:
    return Reason(
        code,
        Severity.RELATIVE,
        f"{what}: exclude or defer until stable; ketamine raises blood pressure and heart rate",
        ALL_ROUTES,
        TRIAL_EXCLUSIONS,
    )


# Each history finding and the reason it gives, in the order they are listed.
HISTORY_REASONS: HistoryReasons = (
    (
        lambda h: h.uncontrolled_hypertension,
        Reason(
            "uncontrolled_hypertension",
            Severity.RELATIVE,
            "uncontrolled hypertension: defer until controlled (controlled hypertension is "
            "not an exclusion)",
            ALL_ROUTES,
            TRIAL_EXCLUSIONS,
        ),
    ),
    (
        lambda h: h.recent_myocardial_infarction,
        _recent_event("recent_myocardial_infarction", "recent MI"),
    ),
    (lambda h: h.recent_stroke, _recent_event("recent_stroke", "recent stroke")),
    (
        lambda h: h.heart_failure,
        Reason(
            "heart_failure",
            Severity.RELATIVE,
            "heart failure: ketamine raises heart rate, blood pressure and cardiac work; "
            "review whether it is compensated before treatment",
            ALL_ROUTES,
            HEART_FAILURE,
        ),
    ),
    (
        lambda h: h.hypertensive_encephalopathy_history,
        Reason(
            "hypertensive_encephalopathy_history",
            Severity.RELATIVE,
            "history of hypertensive encephalopathy: a rise in blood pressure may pose a "
            "serious risk; weigh benefit against risk",
            ALL_ROUTES,
            HYPERTENSIVE_ENCEPHALOPATHY,
        ),
    ),
    (lambda h: h.unstable_angina, _unstable("unstable_angina", "unstable angina")),
    (
        lambda h: h.significant_arrhythmia,
        _unstable("significant_arrhythmia", "significant arrhythmia"),
    ),
)


def reasons(intake: Intake, settings: RuleSettings) -> list[Reason]:
    """Relative: uncontrolled HTN, unstable CV disease (trial exclusions [src]); a hard stop:
    MI or stroke within 6 weeks, a hypertensive crisis today; today's BP above the configured
    threshold (label/SOP example 140/90 [mem])."""
    return from_history(intake.history, HISTORY_REASONS) + _blood_pressure_today(intake, settings)


def _blood_pressure_today(intake: Intake, settings: RuleSettings) -> list[Reason]:
    bp = intake.blood_pressure_today
    if bp is None:
        return [
            Reason(
                "blood_pressure_not_recorded",
                Severity.CAUTION,
                "today's blood pressure is not recorded: measure it before dosing",
                ALL_ROUTES,
                BP_BEFORE_DOSING,
            )
        ]
    if bp.systolic_mmhg > CRISIS_SYSTOLIC or bp.diastolic_mmhg > CRISIS_DIASTOLIC:
        return [
            Reason(
                "hypertensive_crisis",
                Severity.ABSOLUTE,
                f"today's blood pressure {bp} is above {CRISIS_SYSTOLIC}/{CRISIS_DIASTOLIC} mmHg, "
                "a hypertensive crisis: a hard stop; treat it first",
                ALL_ROUTES,
                HYPERTENSIVE_CRISIS,
            )
        ]
    if (
        bp.systolic_mmhg > settings.systolic_max_mmhg
        or bp.diastolic_mmhg > settings.diastolic_max_mmhg
    ):
        return [
            Reason(
                "blood_pressure_above_pretreatment_threshold",
                Severity.RELATIVE,
                f"today's blood pressure {bp} is above "
                f"{settings.systolic_max_mmhg}/{settings.diastolic_max_mmhg} mmHg: weigh the "
                "risk of the expected rise, or defer",
                ALL_ROUTES,
                PRETREATMENT_BP,
            )
        ]
    return []
