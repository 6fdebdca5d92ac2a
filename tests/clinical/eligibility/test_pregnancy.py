"""Eligibility, pregnancy and breastfeeding (``contraindications.pregnancy``)."""

from __future__ import annotations

import pytest

from remission.clinical.eligibility import PregnancyStatus
from tests.clinical.eligibility.eligibility_intakes import (
    CAU,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
)

RULE_TABLE: RuleTable = [
    # reproductive
    ("pregnant", {"pregnancy": PregnancyStatus.PREGNANT}, "pregnancy", all_routes(REL)),
    ("breastfeeding", {"breastfeeding": True}, "breastfeeding", all_routes(REL)),
    ("pregnancy unknown", {"pregnancy": PregnancyStatus.UNKNOWN},
     "pregnancy_status_unknown", all_routes(CAU)),
    ("planning pregnancy", {"pregnancy": PregnancyStatus.PLANNING},
     "planning_pregnancy", all_routes(CAU)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)
