"""Eligibility, cardiovascular reasons and today's blood pressure (``contraindications.cardiovascular``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import BloodPressure
from tests.clinical.eligibility.eligibility_intakes import (
    ABS,
    CAU,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
)

RULE_TABLE: RuleTable = [
    # relative: cardiovascular
    ("uncontrolled hypertension", {"history": {"uncontrolled_hypertension": True}},
     "uncontrolled_hypertension", all_routes(REL)),
    ("recent MI", {"history": {"recent_myocardial_infarction": True}},
     "recent_myocardial_infarction", all_routes(ABS)),
    ("unstable angina", {"history": {"unstable_angina": True}},
     "unstable_angina", all_routes(REL)),
    ("arrhythmia", {"history": {"significant_arrhythmia": True}},
     "significant_arrhythmia", all_routes(REL)),
    ("recent stroke", {"history": {"recent_stroke": True}}, "recent_stroke", all_routes(ABS)),
    ("210/125 is a hypertensive crisis", {"blood_pressure_today": BloodPressure(210, 125)},
     "hypertensive_crisis", all_routes(ABS)),
    ("180/120 is not above crisis", {"blood_pressure_today": BloodPressure(180, 120)},
     "hypertensive_crisis", {}),
    ("systolic 141", {"blood_pressure_today": BloodPressure(141, 80)},
     "blood_pressure_above_pretreatment_threshold", all_routes(REL)),
    ("diastolic 91", {"blood_pressure_today": BloodPressure(130, 91)},
     "blood_pressure_above_pretreatment_threshold", all_routes(REL)),
    ("140/90 exactly is not above", {"blood_pressure_today": BloodPressure(140, 90)},
     "blood_pressure_above_pretreatment_threshold", {}),
    ("BP not recorded", {"blood_pressure_today": None},
     "blood_pressure_not_recorded", all_routes(CAU)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)
