"""Eligibility, raised intracranial pressure and head injury (``contraindications.intracranial``)."""

from __future__ import annotations

import pytest

from tests.clinical.eligibility.eligibility_intakes import (
    ABS,
    ESK,
    IM,
    IV,
    REL,
    RuleTable,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
)

RULE_TABLE: RuleTable = [
    # relative: intracranial
    ("raised ICP", {"history": {"raised_intracranial_pressure": True}},
     "raised_intracranial_pressure", {IV: REL, IM: REL, ESK: ABS}),
    ("head injury", {"history": {"recent_head_injury": True}},
     "recent_head_injury", {IV: REL, IM: REL, ESK: ABS}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(RULE_TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)
