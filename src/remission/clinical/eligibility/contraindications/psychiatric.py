"""Psychiatric: psychosis, mania and bipolar disorder (label 5.2, trial exclusions, §3)."""

from __future__ import annotations

from remission.clinical.eligibility.exposure import exposure
from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason, coded_as, diagnosis_codes
from remission.clinical.eligibility.sources import (
    BIPOLAR_MOOD_STABILISER,
    LABEL_PSYCHOSIS,
    TRIAL_EXCLUSIONS,
)
from remission.clinical.eligibility.vocabulary import Severity
from remission.clinical.medications import DrugClass
from remission.clinical.routes import ALL_ROUTES


def reasons(intake: Intake) -> list[Reason]:
    """Psychosis and mania (label 5.2, trial exclusions [src]); bipolar disorder ([2nd]).

    Diagnosis codes raise the same reasons as the flags (``ICD10CM_CODES`` [mem]).
    """
    history = intake.history
    found: list[Reason] = []
    psychotic_now = diagnosis_codes(intake, "F32.3", "F33.3", "F31.2", "F31.5", "F31.64", "F30.2")
    if history.current_psychotic_features or psychotic_now:
        found.append(
            Reason(
                "current_psychotic_features",
                Severity.RELATIVE,
                "current psychotic features" + coded_as(psychotic_now) + ": dissociation may "
                "worsen psychosis; excluded in trials",
                ALL_ROUTES,
                LABEL_PSYCHOSIS,
            )
        )
    psychotic_disorder = diagnosis_codes(intake, "F20", "F22", "F23", "F24", "F25", "F28", "F29")
    if history.psychosis_history or psychotic_disorder:
        found.append(
            Reason(
                "psychosis_history",
                Severity.RELATIVE,
                "history of psychosis or a psychotic disorder"
                + coded_as(psychotic_disorder)
                + ": assess carefully before treatment",
                ALL_ROUTES,
                LABEL_PSYCHOSIS,
            )
        )
    manic_now = diagnosis_codes(intake, "F30", "F31.0", "F31.1", "F31.2", "F31.6")
    if history.current_mania or manic_now:
        found.append(
            Reason(
                "current_mania",
                Severity.RELATIVE,
                "current manic, hypomanic or mixed episode"
                + coded_as(manic_now)
                + ": excluded in trials",
                ALL_ROUTES,
                TRIAL_EXCLUSIONS,
            )
        )
    bipolar = diagnosis_codes(intake, "F31")
    if history.bipolar_disorder or bipolar:
        if exposure(intake).takes(DrugClass.MOOD_STABILISER):
            found.append(
                Reason(
                    "bipolar_disorder_on_mood_stabiliser",
                    Severity.CAUTION,
                    "bipolar disorder" + coded_as(bipolar) + " with a mood stabiliser: "
                    "evidence is limited; watch for switching",
                    ALL_ROUTES,
                    BIPOLAR_MOOD_STABILISER,
                )
            )
        else:
            found.append(
                Reason(
                    "bipolar_disorder_without_mood_stabiliser",
                    Severity.RELATIVE,
                    "bipolar disorder" + coded_as(bipolar) + " without a mood stabiliser: "
                    "usually treated only with a mood stabiliser on board",
                    ALL_ROUTES,
                    BIPOLAR_MOOD_STABILISER,
                )
            )
    return found
