"""Eligibility, age, the MDD diagnosis and the esketamine indications (``contraindications.age_and_indication``)."""

from __future__ import annotations

import pytest

from tests.clinical.eligibility.eligibility_intakes import (
    CAU,
    ESK,
    IM,
    IV,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
    failed_trial,
)

RULE_TABLE: RuleTable = [
    # age and indication
    ("age 17", {"age_years": 17}, "under_18", all_routes(REL)),
    ("age 18", {"age_years": 18}, "under_18", {}),
    ("age 65 esketamine BP", {"age_years": 65}, "esketamine_age_65_or_over", {ESK: CAU}),
    ("age 64", {"age_years": 64}, "esketamine_age_65_or_over", {}),
    ("age 24 class warning", {"age_years": 24},
     "age_24_or_under_suicidality_warning", {ESK: CAU}),
    ("age 25", {"age_years": 25}, "age_24_or_under_suicidality_warning", {}),
    ("no MDD code", {"diagnoses_icd10cm": ("F41.1",)},
     "no_major_depression_diagnosis", all_routes(REL)),
    ("F32.A (depression, unspecified) is not MDD", {"diagnoses_icd10cm": ("F32.A",)},
     "no_major_depression_diagnosis", all_routes(REL)),
    ("F32.5 (in full remission) is not a current episode", {"diagnoses_icd10cm": ("F32.5",)},
     "no_major_depression_diagnosis", all_routes(REL)),
    ("F33.42 (recurrent, in full remission) is not current", {"diagnoses_icd10cm": ("F33.42",)},
     "no_major_depression_diagnosis", all_routes(REL)),
    ("F33.1 is a current episode", {"diagnoses_icd10cm": ("F33.1", "F32.5")},
     "no_major_depression_diagnosis", {}),
    ("one failed trial: esketamine indication",
     {"antidepressant_trials": (failed_trial(),)}, "esketamine_indication_not_met", {ESK: REL}),
    ("one failed trial: racemic evidence",
     {"antidepressant_trials": (failed_trial(),)}, "not_treatment_resistant",
     {IV: CAU, IM: CAU}),
    ("acute suicidality meets the esketamine indication without TRD",
     {"antidepressant_trials": (), "history": {"acute_suicidality": True}},
     "esketamine_indication_not_met", {}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)
