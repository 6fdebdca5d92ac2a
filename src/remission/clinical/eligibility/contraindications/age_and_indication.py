"""Age, the MDD diagnosis and the esketamine indications (label, reference §2 and §4)."""

from __future__ import annotations

from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason, diagnosis_codes
from remission.clinical.eligibility.settings import (
    ADULT_AGE_YEARS,
    OLDER_ADULT_AGE_YEARS,
    YOUNG_ADULT_MAX_AGE_YEARS,
)
from remission.clinical.eligibility.sources import (
    ADULT_EVIDENCE_BASE,
    ESKETAMINE_INDICATIONS,
    LABEL_OLDER_ADULT_BP,
    LABEL_YOUNG_ADULT_SUICIDALITY,
    MDD_DIAGNOSIS,
    RACEMIC_TRD_EVIDENCE,
)
from remission.clinical.eligibility.staging import TreatmentResistance
from remission.clinical.eligibility.vocabulary import ESKETAMINE_ONLY, RACEMIC_ROUTES, Severity
from remission.clinical.routes import ALL_ROUTES

# In full remission, in remission unspecified, and F32.A "depression, unspecified" (not MDD).
NOT_A_CURRENT_EPISODE = frozenset({"F32.5", "F32.A", "F33.40", "F33.42"})


def reasons(intake: Intake, resistance: TreatmentResistance) -> list[Reason]:
    """Age, MDD diagnosis and the esketamine indications (label [src])."""
    found: list[Reason] = []
    age = intake.age_years
    if age < ADULT_AGE_YEARS:
        found.append(
            Reason(
                "under_18",
                Severity.RELATIVE,
                f"age {age}: outside the adult indication and the adult trial evidence",
                ALL_ROUTES,
                ADULT_EVIDENCE_BASE,
            )
        )
    if age >= OLDER_ADULT_AGE_YEARS:
        found.append(
            Reason(
                "esketamine_age_65_or_over",
                Severity.CAUTION,
                f"age {age}: large blood-pressure rises were about twice as common at 65 and over",
                ESKETAMINE_ONLY,
                LABEL_OLDER_ADULT_BP,
            )
        )
    if age <= YOUNG_ADULT_MAX_AGE_YEARS:
        found.append(
            Reason(
                "age_24_or_under_suicidality_warning",
                Severity.CAUTION,
                f"age {age}: antidepressant class warning on suicidal thoughts and behaviours "
                "at 24 and under; monitor",
                ESKETAMINE_ONLY,
                LABEL_YOUNG_ADULT_SUICIDALITY,
            )
        )
    current = [c for c in diagnosis_codes(intake, "F32", "F33") if c not in NOT_A_CURRENT_EPISODE]
    if not current:
        found.append(
            Reason(
                "no_major_depression_diagnosis",
                Severity.RELATIVE,
                "no current major depressive episode recorded (ICD-10-CM F32.x or F33.x; in "
                "full remission and 'depression, unspecified' do not count)",
                ALL_ROUTES,
                MDD_DIAGNOSIS,
            )
        )
    if not resistance.is_treatment_resistant:
        counted = (
            f"{resistance.failed_adequate_trials} adequate failed trial(s) recorded; "
            f"TRD needs {resistance.minimum_failed_trials}"
        )
        if not intake.history.acute_suicidality:
            found.append(
                Reason(
                    "esketamine_indication_not_met",
                    Severity.RELATIVE,
                    f"not treatment-resistant ({counted}) and no acute suicidal ideation: "
                    "outside the esketamine indications",
                    ESKETAMINE_ONLY,
                    ESKETAMINE_INDICATIONS,
                )
            )
        found.append(
            Reason(
                "not_treatment_resistant",
                Severity.CAUTION,
                f"not treatment-resistant ({counted}): the racemic ketamine evidence is mostly "
                "in treatment-resistant depression",
                RACEMIC_ROUTES,
                RACEMIC_TRD_EVIDENCE,
            )
        )
    return found
