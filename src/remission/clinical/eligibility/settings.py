"""The configurable eligibility thresholds (registry keys ``eligibility.*``) and fixed ages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.eligibility.sources import (
    ADEQUATE_TRIAL_WEEKS,
    BENZODIAZEPINE_EXCLUSION,
    INVESTIGATIONS_WHEN_INDICATED,
    PARTIAL_RESPONSE,
    PRETREATMENT_BP,
    TRD_DEFINITION,
)

SYSTOLIC_MAX = registry.define(
    "eligibility.pretreatment_systolic_max_mmhg",
    140,
    unit="mmHg",
    title="Today's systolic BP above this needs prescriber review before treatment",
    evidence=PRETREATMENT_BP,
    minimum=100,
    maximum=200,
)
DIASTOLIC_MAX = registry.define(
    "eligibility.pretreatment_diastolic_max_mmhg",
    90,
    unit="mmHg",
    title="Today's diastolic BP above this needs prescriber review before treatment",
    evidence=PRETREATMENT_BP,
    minimum=60,
    maximum=130,
)
BENZODIAZEPINE_MAX = registry.define(
    "eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day",
    Decimal("2"),
    unit="mg/day lorazepam-equivalent",
    title="Benzodiazepine doses above this need prescriber review",
    evidence=BENZODIAZEPINE_EXCLUSION,
    minimum="0",
    maximum="10",
)
TRD_MINIMUM_FAILURES = registry.define(
    "eligibility.trd_minimum_failed_trials",
    2,
    unit="trials",
    title="Adequate failed antidepressant trials in the current episode that define TRD",
    evidence=TRD_DEFINITION,
    minimum=1,
    maximum=5,
)
TRD_MINIMUM_WEEKS = registry.define(
    "eligibility.trd_adequate_trial_minimum_weeks",
    6,
    unit="weeks",
    title="Shortest trial at an adequate dose that counts as adequate (ATHF: 4)",
    evidence=ADEQUATE_TRIAL_WEEKS,
    minimum=2,
    maximum=12,
)
ECG_FROM_AGE = registry.define(
    "eligibility.ecg_indicated_from_age_years",
    65,
    unit="years",
    title="From this age a 12-lead ECG is indicated before treatment (with or without "
    "cardiac history)",
    evidence=INVESTIGATIONS_WHEN_INDICATED,
    minimum=40,
    maximum=80,
)
TRD_PARTIAL_COUNTS = registry.define(
    "eligibility.trd_partial_response_counts_as_failure",
    False,
    unit="",
    title="Count an adequate trial with partial response as a failed trial",
    evidence=PARTIAL_RESPONSE,
)

ELIGIBILITY_SETTINGS = (
    SYSTOLIC_MAX,
    DIASTOLIC_MAX,
    BENZODIAZEPINE_MAX,
    TRD_MINIMUM_FAILURES,
    TRD_MINIMUM_WEEKS,
    TRD_PARTIAL_COUNTS,
    ECG_FROM_AGE,
)

ADULT_AGE_YEARS = 18
OLDER_ADULT_AGE_YEARS = 65  # label Table 6 reports BP rises separately from this age
YOUNG_ADULT_MAX_AGE_YEARS = 24  # antidepressant class warning on suicidality


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """The thresholds the contraindication rules read, with the clinic's overrides."""

    systolic_max_mmhg: int
    diastolic_max_mmhg: int
    benzodiazepine_max_mg_per_day: Decimal
    ecg_from_age_years: int

    @classmethod
    def resolve(cls, overrides: registry.Overrides | None) -> RuleSettings:
        return cls(
            systolic_max_mmhg=int(registry.resolve_decimal(SYSTOLIC_MAX.key, overrides)),
            diastolic_max_mmhg=int(registry.resolve_decimal(DIASTOLIC_MAX.key, overrides)),
            benzodiazepine_max_mg_per_day=registry.resolve_decimal(
                BENZODIAZEPINE_MAX.key, overrides
            ),
            ecg_from_age_years=int(registry.resolve_decimal(ECG_FROM_AGE.key, overrides)),
        )
