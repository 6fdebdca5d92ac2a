"""Eligibility, absolute contraindications: vascular disease and hypersensitivity (``contraindications.vascular``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import assess_eligibility
from remission.clinical.evidence import Confidence
from tests.clinical.eligibility.eligibility_intakes import (
    ABS,
    ESK,
    IV,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
    intake,
)

RULE_TABLE: RuleTable = [
    # absolute: the esketamine label, applied to racemic ketamine too
    ("aneurysm flag", {"history": {"aneurysmal_vascular_disease": True}},
     "aneurysmal_vascular_disease", all_routes(ABS)),
    ("aortic aneurysm code", {"diagnoses_icd10cm": ("F33.1", "I71.4")},
     "aneurysmal_vascular_disease", all_routes(ABS)),
    ("AVM flag", {"history": {"arteriovenous_malformation": True}},
     "arteriovenous_malformation", all_routes(ABS)),
    ("cerebral AVM code", {"diagnoses_icd10cm": ("F33.1", "Q28.2")},
     "arteriovenous_malformation", all_routes(ABS)),
    ("ICH flag", {"history": {"intracerebral_haemorrhage": True}},
     "intracerebral_haemorrhage", all_routes(ABS)),
    ("ICH code", {"diagnoses_icd10cm": ("F33.1", "I61.9")},
     "intracerebral_haemorrhage", all_routes(ABS)),
    ("hypersensitivity", {"history": {"hypersensitivity_to_ketamine_or_esketamine": True}},
     "hypersensitivity", all_routes(ABS)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_racemic_absolute_contraindications_are_labelled_as_extrapolated_from_esketamine():
    assessment = assess_eligibility(intake(history={"intracerebral_haemorrhage": True}))
    [esk_reason] = assessment.decision_for(ESK).reasons
    [iv_reason] = assessment.decision_for(IV).reasons
    assert esk_reason.evidence.confidence is Confidence.PRIMARY
    assert "SPRAVATO" in esk_reason.evidence.citation
    assert iv_reason.evidence.confidence is Confidence.UNCERTAIN
    assert "applied to racemic" in iv_reason.message


def test_racemic_hypersensitivity_cites_the_ketalar_label_at_secondary_confidence():
    assessment = assess_eligibility(
        intake(history={"hypersensitivity_to_ketamine_or_esketamine": True})
    )
    [iv_reason] = assessment.decision_for(IV).reasons
    assert iv_reason.evidence.confidence is Confidence.SECONDARY
    assert "Ketalar" in iv_reason.evidence.citation
