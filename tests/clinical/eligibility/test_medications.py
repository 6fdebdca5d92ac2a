"""Eligibility, interactions, benzodiazepine dose and REMS form items (``contraindications.medications``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.clinical.eligibility import assess_eligibility
from tests.clinical.eligibility.eligibility_intakes import (
    CAU,
    ESK,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
    intake,
)

RULE_TABLE: RuleTable = [
    # medications
    ("benzodiazepine above 2 mg",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("2.5")}},
     "benzodiazepine_above_threshold", all_routes(REL)),
    ("benzodiazepine at 2 mg is not above",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("2")}},
     "benzodiazepine_above_threshold", {}),
    ("benzodiazepine dose unknown", {"medications": {"benzodiazepine": True}},
     "benzodiazepine_dose_unknown", all_routes(REL)),
    ("any benzodiazepine sedates",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("1")}},
     "cns_depressant_benzodiazepine", all_routes(CAU)),
    ("Z-drug", {"medications": {"z_drug": True}}, "cns_depressant_z_drug", all_routes(CAU)),
    ("opioid", {"medications": {"opioid": True}}, "cns_depressant_opioid", all_routes(CAU)),
    ("MAOI", {"medications": {"maoi": True}}, "maoi", all_routes(CAU)),
    ("stimulant", {"medications": {"stimulant": True}}, "stimulant", all_routes(CAU)),
    ("other BP-raising drug", {"medications": {"other_blood_pressure_raising": True}},
     "other_blood_pressure_raising_medication", all_routes(CAU)),
    ("lamotrigine", {"medications": {"lamotrigine": True}}, "lamotrigine", all_routes(CAU)),
    ("MAOI is a REMS form item", {"medications": {"maoi": True}},
     "rems_concomitant_medication", {ESK: CAU}),
    ("opioid is a REMS form item", {"medications": {"opioid": True}},
     "rems_concomitant_medication", {ESK: CAU}),
    ("lamotrigine is not a REMS form item", {"medications": {"lamotrigine": True}},
     "rems_concomitant_medication", {}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_rems_form_caution_lists_each_concomitant_class():
    assessment = assess_eligibility(
        intake(medications={"z_drug": True, "stimulant": True, "opioid": True})
    )
    [reason] = [r for r in assessment.decision_for(ESK).reasons if r.code.startswith("rems")]
    assert reason.message.endswith("non-benzodiazepine sedative hypnotic, psychostimulant, opioid")
