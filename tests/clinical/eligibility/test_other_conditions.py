"""Eligibility, cystitis, hepatic impairment, capacity, glaucoma, thyroid, suicidality (``contraindications.other_conditions``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import RouteStatus, assess_eligibility
from tests.clinical.eligibility.eligibility_intakes import (
    ABS,
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
    intake,
)

RULE_TABLE: RuleTable = [
    # other conditions
    ("cystitis", {"history": {"cystitis_or_lower_urinary_tract_symptoms": True}},
     "cystitis_or_lower_urinary_tract_symptoms", all_routes(CAU)),
    ("severe hepatic impairment", {"history": {"severe_hepatic_impairment": True}},
     "severe_hepatic_impairment", {ESK: REL, IV: CAU, IM: CAU}),
    ("cognitive impairment", {"history": {"cognitive_impairment": True}},
     "cognitive_impairment", all_routes(CAU)),
    ("unable to consent", {"history": {"unable_to_consent": True}},
     "unable_to_consent", all_routes(ABS)),
    ("glaucoma", {"history": {"glaucoma_or_raised_intraocular_pressure": True}},
     "glaucoma_or_raised_intraocular_pressure", all_routes(CAU)),
    ("hyperthyroidism", {"history": {"hyperthyroidism": True}},
     "hyperthyroidism", all_routes(CAU)),
    ("acute suicidality", {"history": {"acute_suicidality": True}},
     "acute_suicidality", all_routes(CAU)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_acute_suicidality_is_a_caution_not_a_contraindication_and_asks_for_a_safety_plan():
    assessment = assess_eligibility(intake(history={"acute_suicidality": True}))
    for decision in assessment.routes:
        assert decision.status is RouteStatus.ELIGIBLE
        [reason] = decision.reasons
        assert "safety plan" in reason.message
