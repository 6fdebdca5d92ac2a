"""Eligibility: the configurable thresholds (``settings``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.clinical import registry
from remission.clinical.eligibility import BloodPressure, assess_eligibility
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from tests.clinical.eligibility.eligibility_intakes import (
    REL,
    all_routes,
    intake,
    severity_by_route,
)

# --- Configurable thresholds -----------------------------------------------------------------


def test_clinic_may_raise_the_pretreatment_blood_pressure_threshold():
    high = intake(blood_pressure_today=BloodPressure(145, 85))
    code = "blood_pressure_above_pretreatment_threshold"
    assert severity_by_route(assess_eligibility(high), code) == all_routes(REL)
    relaxed = {"eligibility.pretreatment_systolic_max_mmhg": 150}
    assert severity_by_route(assess_eligibility(high, overrides=relaxed), code) == {}


def test_clinic_may_change_the_benzodiazepine_threshold():
    on_3_mg = intake(
        medications={"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal(3)}
    )
    code = "benzodiazepine_above_threshold"
    assert severity_by_route(assess_eligibility(on_3_mg), code) == all_routes(REL)
    overrides = {"eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day": "3"}
    assert severity_by_route(assess_eligibility(on_3_mg, overrides=overrides), code) == {}


def test_record_lists_the_settings_it_used():
    overrides = {"eligibility.trd_minimum_failed_trials": 3}
    used = assess_eligibility(intake(), overrides=overrides).settings_used
    assert used["eligibility.trd_minimum_failed_trials"] == 3
    assert used["eligibility.pretreatment_systolic_max_mmhg"] == 140


def test_unknown_or_out_of_bounds_setting_is_refused():
    with pytest.raises(ClinicalInputError, match="unknown clinical setting"):
        assess_eligibility(intake(), overrides={"eligibility.no_such_thing": 1})
    with pytest.raises(ClinicalInputError, match="above the maximum"):
        assess_eligibility(intake(), overrides={"eligibility.trd_minimum_failed_trials": 9})


def test_every_eligibility_default_has_a_source_and_confidence():
    defaults = [d for d in registry.all_defaults() if d.key.startswith("eligibility.")]
    assert len(defaults) == 7
    for default in defaults:
        assert default.evidence.citation
        assert isinstance(default.evidence.confidence, Confidence)
