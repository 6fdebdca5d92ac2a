"""Eligibility, substance use disorder (``contraindications.substances``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import (
    Investigation,
    Substance,
    SubstanceUseDisorder,
    assess_eligibility,
)
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
    # substance use
    ("active SUD",
     {"history": {"substance_use_disorder": SubstanceUseDisorder.ACTIVE,
                  "substances": (Substance.ALCOHOL,)}},
     "active_substance_use_disorder", all_routes(REL)),
    ("SUD in remission",
     {"history": {"substance_use_disorder": SubstanceUseDisorder.IN_REMISSION}},
     "substance_use_disorder_in_remission", all_routes(CAU)),
    ("opioid dependence code with no SUD recorded", {"diagnoses_icd10cm": ("F33.1", "F11.20")},
     "substance_code_without_disorder_recorded", all_routes(CAU)),
    ("nicotine code is not a substance prompt", {"diagnoses_icd10cm": ("F33.1", "F17.210")},
     "substance_code_without_disorder_recorded", {}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_active_ketamine_use_disorder_names_the_misuse_risk():
    assessment = assess_eligibility(
        intake(
            history={
                "substance_use_disorder": SubstanceUseDisorder.ACTIVE,
                "substances": (Substance.KETAMINE,),
            },
            presedation={"urine_drug_screen": Investigation.NORMAL},
        )
    )
    [reason] = assessment.decision_for(IV).reasons
    assert "ketamine or PCP" in reason.message
