"""Eligibility, psychosis, mania and bipolar disorder, by flag and by diagnosis code (``contraindications.psychiatric``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import assess_eligibility
from tests.clinical.eligibility.eligibility_intakes import (
    CAU,
    IV,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
    intake,
)

RULE_TABLE: RuleTable = [
    # psychiatric
    ("psychotic features flag", {"history": {"current_psychotic_features": True}},
     "current_psychotic_features", all_routes(REL)),
    ("psychotic depression code", {"diagnoses_icd10cm": ("F33.3",)},
     "current_psychotic_features", all_routes(REL)),
    ("bipolar, mixed, with psychotic features", {"diagnoses_icd10cm": ("F31.64",)},
     "current_psychotic_features", all_routes(REL)),
    ("psychosis history flag", {"history": {"psychosis_history": True}},
     "psychosis_history", all_routes(REL)),
    ("schizophrenia code", {"diagnoses_icd10cm": ("F33.1", "F20.9")},
     "psychosis_history", all_routes(REL)),
    ("mania flag", {"history": {"current_mania": True}}, "current_mania", all_routes(REL)),
    ("manic episode code", {"diagnoses_icd10cm": ("F33.1", "F30.10")},
     "current_mania", all_routes(REL)),
    ("bipolar without mood stabiliser", {"history": {"bipolar_disorder": True}},
     "bipolar_disorder_without_mood_stabiliser", all_routes(REL)),
    ("bipolar code without mood stabiliser", {"diagnoses_icd10cm": ("F33.1", "F31.4")},
     "bipolar_disorder_without_mood_stabiliser", all_routes(REL)),
    ("bipolar with mood stabiliser",
     {"history": {"bipolar_disorder": True}, "medications": {"mood_stabiliser": True}},
     "bipolar_disorder_on_mood_stabiliser", all_routes(CAU)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_flag_and_matching_code_give_one_reason_naming_the_code():
    assessment = assess_eligibility(
        intake(history={"bipolar_disorder": True}, diagnoses_icd10cm=("F31.4", "F33.1"))
    )
    reasons = [r for r in assessment.decision_for(IV).reasons if "bipolar" in r.code]
    assert len(reasons) == 1
    assert "F31.4" in reasons[0].message
