"""Dose arithmetic: weight bases, rounding, soft and hard limits, esketamine devices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from remission.clinical import registry
from remission.clinical.dosing import (
    ROUND_DOSE_MG,
    ROUND_RATE_ML_PER_H,
    ROUND_VOLUME_ML,
    ROUND_WEIGHT_KG,
    ROUNDING_RULES,
    DoseLimits,
    EsketamineDevicePlan,
    Sex,
    WeightBasedDose,
    WeightBasis,
    adjusted_body_weight_kg,
    calculate_im_injection,
    calculate_iv_infusion,
    devine_ideal_body_weight_kg,
    dosing_weight,
    plan_esketamine_devices,
)
from remission.clinical.errors import ClinicalInputError, HardLimitExceeded
from remission.clinical.evidence import Confidence
from remission.clinical.routes import Route

D = Decimal


def iv(**changes: Any) -> WeightBasedDose:
    arguments: dict[str, Any] = {
        "actual_weight_kg": D("82.4"),
        "mg_per_kg": D("0.5"),
        "infusion_minutes": D("40"),
        "concentration_mg_per_ml": D("10"),
    }
    arguments.update(changes)
    return calculate_iv_infusion(**arguments)


def im(**changes: Any) -> WeightBasedDose:
    arguments: dict[str, Any] = {
        "actual_weight_kg": D("70"),
        "mg_per_kg": D("0.5"),
        "concentration_mg_per_ml": D("50"),
    }
    arguments.update(changes)
    return calculate_im_injection(**arguments)


def codes(result: WeightBasedDose | EsketamineDevicePlan) -> list[str]:
    return [w.code for w in result.warnings]


# --- The standard infusion -------------------------------------------------------------------


def test_standard_infusion_82_4_kg_at_0_5_mg_per_kg_over_40_min_at_10_mg_per_ml():
    result = iv()
    assert result.dose_mg == D("41.2")
    assert result.volume_ml == D("4.12")
    assert result.rate_ml_per_h == D("6.18")
    assert result.dosing_weight_kg == D("82.4")
    assert result.basis is WeightBasis.ACTUAL
    assert result.warnings == ()
    assert result.ideal_body_weight_kg is None
    assert result.route is Route.IV_RACEMIC


def test_result_carries_the_rounding_rules_applied():
    steps = {rule.quantity: rule.step for rule in iv().rounding}
    assert steps["dose_mg"] == D("0.1")
    assert steps["volume_ml"] == D("0.01")
    assert steps["rate_ml_per_h"] == D("0.01")
    assert steps["weight_kg (ideal, dosing)"] == D("0.1")
    assert all(rule.mode == "ROUND_HALF_UP" for rule in ROUNDING_RULES)


# --- Weight bases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("height_cm", "sex", "expected_kg"),
    [
        (D("152.4"), Sex.MALE, D("50.0")),  # exactly 60 in: the base weight
        (D("152.4"), Sex.FEMALE, D("45.5")),
        (D("180"), Sex.MALE, D("75.0")),  # 70.87 in: 50 + 2.3 × 10.87 = 74.99
        (D("160"), Sex.FEMALE, D("52.4")),  # 62.99 in: 45.5 + 2.3 × 2.99 = 52.38
        (D("170"), Sex.FEMALE, D("61.4")),  # 66.93 in: 45.5 + 2.3 × 6.93 = 61.44
        (D("177.8"), Sex.MALE, D("73.0")),  # exactly 70 in: 50 + 23
    ],
)
def test_devine_ideal_body_weight_worked_examples(height_cm, sex, expected_kg):
    assert devine_ideal_body_weight_kg(height_cm=height_cm, sex=sex) == expected_kg


def test_devine_refuses_heights_below_60_inches_instead_of_extrapolating():
    with pytest.raises(ClinicalInputError, match=r"152\.4 cm"):
        devine_ideal_body_weight_kg(height_cm=D("152.3"), sex=Sex.FEMALE)


def test_ideal_basis_refuses_short_patient_so_prescriber_chooses_actual_weight():
    with pytest.raises(ClinicalInputError, match="dose on actual weight"):
        iv(basis=WeightBasis.IDEAL, height_cm=D("150"), sex=Sex.FEMALE)


@pytest.mark.parametrize(
    ("actual_kg", "height_cm", "sex", "expected_kg"),
    [
        (D("120"), D("170"), Sex.FEMALE, D("84.8")),  # 61.4 + 0.4 × 58.6 = 84.84
        (D("100"), D("180"), Sex.MALE, D("85.0")),  # 75.0 + 0.4 × 25.0
        (D("75"), D("180"), Sex.MALE, D("75.0")),  # actual = ideal
    ],
)
def test_adjusted_body_weight_worked_examples(actual_kg, height_cm, sex, expected_kg):
    weight = dosing_weight(
        actual_weight_kg=actual_kg, basis=WeightBasis.ADJUSTED, height_cm=height_cm, sex=sex
    )
    assert weight.dosing_weight_kg == expected_kg
    assert weight.ideal_body_weight_kg == devine_ideal_body_weight_kg(height_cm=height_cm, sex=sex)


def test_adjusted_weight_formula_is_ideal_plus_four_tenths_of_the_excess():
    assert adjusted_body_weight_kg(actual_weight_kg=D("110"), ideal_body_weight_kg=D("60")) == D(
        "80.0"
    )


def test_ideal_basis_doses_on_ideal_weight_and_reports_it():
    result = iv(basis=WeightBasis.IDEAL, height_cm=D("170"), sex=Sex.FEMALE)
    assert result.dosing_weight_kg == D("61.4")
    assert result.ideal_body_weight_kg == D("61.4")
    assert result.dose_mg == D("30.7")
    assert result.basis is WeightBasis.IDEAL


@pytest.mark.parametrize("basis", [WeightBasis.IDEAL, WeightBasis.ADJUSTED])
@pytest.mark.parametrize(
    ("height_cm", "sex", "missing"),
    [(None, Sex.MALE, "height_cm"), (D("170"), None, "sex"), (None, None, "height_cm and sex")],
)
def test_ideal_and_adjusted_weight_need_height_and_sex(basis, height_cm, sex, missing):
    with pytest.raises(ClinicalInputError, match=f"needs {missing}$"):
        iv(basis=basis, height_cm=height_cm, sex=sex)


def test_actual_basis_needs_neither_height_nor_sex():
    assert iv(basis=WeightBasis.ACTUAL).dose_mg == D("41.2")


def test_underweight_patient_on_ideal_basis_is_warned_that_dose_exceeds_actual_weight_dose():
    result = iv(
        actual_weight_kg=D("55"), basis=WeightBasis.IDEAL, height_cm=D("170"), sex=Sex.FEMALE
    )
    assert result.dosing_weight_kg == D("61.4")
    assert codes(result) == ["dosing_weight_above_actual"]


def test_dosing_weight_is_rounded_half_up_to_a_tenth_of_a_kilogram():
    assert iv(actual_weight_kg=D("70.25")).dosing_weight_kg == D("70.3")
    assert iv(actual_weight_kg=D("70.24")).dosing_weight_kg == D("70.2")


def test_result_reports_bmi_when_height_is_given():
    assert iv(actual_weight_kg=D("140"), height_cm=D("200")).bmi_kg_per_m2 == D("35.0")
    assert iv(actual_weight_kg=D("80"), height_cm=D("170")).bmi_kg_per_m2 == D("27.7")
    assert iv().bmi_kg_per_m2 is None


# --- Rounding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "raw", "rounded"),
    [
        (ROUND_DOSE_MG, D("38.65"), D("38.7")),  # half up, not half even
        (ROUND_DOSE_MG, D("38.649"), D("38.6")),
        (ROUND_VOLUME_ML, D("4.125"), D("4.13")),
        (ROUND_RATE_ML_PER_H, D("7.0628"), D("7.06")),
        (ROUND_WEIGHT_KG, D("61.45"), D("61.5")),
    ],
)
def test_rounding_rules_round_half_up_to_their_step(rule, raw, rounded):
    assert rule.apply(raw) == rounded


def test_each_quantity_is_computed_from_the_rounded_quantity_before_it():
    # 70.3 kg × 0.55 mg/kg = 38.665 → 38.7 mg; 38.7 / 10 = 3.87 mL; 3.87 × 60 / 35 = 6.634 → 6.63
    result = iv(actual_weight_kg=D("70.25"), mg_per_kg=D("0.55"), infusion_minutes=D("35"))
    assert (result.dose_mg, result.volume_ml, result.rate_ml_per_h) == (
        D("38.7"),
        D("3.87"),
        D("6.63"),
    )


# --- Limits ----------------------------------------------------------------------------------


def test_iv_dose_above_hard_maximum_is_refused():
    with pytest.raises(HardLimitExceeded, match=r"above the hard maximum 1\.5 mg/kg"):
        iv(mg_per_kg=D("1.51"))


def test_iv_dose_at_hard_maximum_is_calculated_with_a_warning_to_acknowledge():
    result = iv(mg_per_kg=D("1.5"))
    assert result.dose_mg == D("123.6")
    assert codes(result) == ["mg_per_kg_above_protocol_range"]


@pytest.mark.parametrize(
    ("mg_per_kg", "expected"),
    [
        (D("0.49"), ["mg_per_kg_below_protocol_range"]),
        (D("0.5"), []),
        (D("1.0"), []),
        (D("1.01"), ["mg_per_kg_above_protocol_range"]),
    ],
)
def test_iv_soft_range_is_0_5_to_1_0_mg_per_kg(mg_per_kg, expected):
    assert codes(iv(mg_per_kg=mg_per_kg)) == expected


def test_every_soft_warning_carries_code_message_and_evidence():
    warning = iv(mg_per_kg=D("1.2")).warnings[0]
    assert warning.code == "mg_per_kg_above_protocol_range"
    assert "1.2 mg/kg" in warning.message
    assert warning.evidence.confidence is Confidence.PRIMARY


def test_iv_hard_maximum_is_labelled_a_convention_not_a_published_limit():
    default = registry.get("dosing.iv.mg_per_kg_hard_max")
    assert default.evidence.confidence is Confidence.UNCERTAIN
    assert "no authoritative" in default.evidence.citation


def test_the_mg_cap_is_150_mg_by_default_and_configurable_within_bounds():
    assert DoseLimits.for_route(Route.IV_RACEMIC).dose_mg_hard_max == D("150")
    assert DoseLimits.for_route(Route.IM_RACEMIC).dose_mg_hard_max == D("100")
    with pytest.raises(HardLimitExceeded, match=r"57\.7 mg is above the clinic cap 50 mg"):
        iv(mg_per_kg=D("0.7"), overrides={"dosing.iv.dose_mg_cap": "50"})
    assert iv(overrides={"dosing.iv.dose_mg_cap": "50"}).dose_mg == D("41.2")
    with pytest.raises(ClinicalInputError):  # no cap at all is not a choice
        iv(overrides={"dosing.iv.dose_mg_cap": "0"})


def test_a_400_kg_chart_weight_does_not_produce_a_600_mg_order():
    with pytest.raises(HardLimitExceeded, match=r"above the clinic cap 150 mg"):
        iv(actual_weight_kg=D("400"), mg_per_kg=D("1.5"))
    with pytest.raises(HardLimitExceeded, match=r"above the clinic cap 100 mg"):
        im(actual_weight_kg=D("400"))


def test_a_dose_below_the_lowest_tested_is_refused():
    with pytest.raises(HardLimitExceeded, match=r"0\.09 mg/kg is below the hard minimum 0\.1"):
        iv(mg_per_kg=D("0.09"))
    with pytest.raises(HardLimitExceeded, match="below the hard minimum"):
        im(mg_per_kg=D("0.05"))
    assert "mg_per_kg_below_protocol_range" in codes(iv(mg_per_kg=D("0.1")))


@pytest.mark.parametrize(
    ("mg_per_kg", "minutes", "refused"),
    [
        (D("0.5"), D("15"), False),  # a short low dose: a warning, not a stop
        (D("0.5"), D("9"), True),  # under 10 min at any dose
        (D("0.75"), D("19"), True),  # under 20 min from 0.75 mg/kg
        (D("0.75"), D("20"), False),
        (D("1.0"), D("40"), False),
    ],
)
def test_an_infusion_too_fast_for_its_dose_is_refused(mg_per_kg, minutes, refused):
    if refused:
        with pytest.raises(HardLimitExceeded, match="min"):
            iv(mg_per_kg=mg_per_kg, infusion_minutes=minutes)
    else:
        assert iv(mg_per_kg=mg_per_kg, infusion_minutes=minutes).rate_ml_per_h


def test_the_fast_infusion_limits_are_configurable_within_safe_bounds():
    relaxed = {"dosing.iv.infusion_minutes_hard_min": "15"}
    assert iv(mg_per_kg=D("0.8"), infusion_minutes=D("15"), overrides=relaxed).dose_mg
    with pytest.raises(ClinicalInputError):
        iv(overrides={"dosing.iv.infusion_minutes_hard_min": "5"})  # below its floor of 10
    with pytest.raises(ClinicalInputError):
        iv(overrides={"dosing.iv.infusion_minutes_absolute_min": "2"})


def test_a_heavy_patient_without_a_height_is_asked_for_one():
    assert "height_missing_at_high_weight" in codes(iv(actual_weight_kg=D("130")))
    assert "height_missing_at_high_weight" not in codes(iv(actual_weight_kg=D("119")))
    assert "height_missing_at_high_weight" not in codes(
        iv(actual_weight_kg=D("130"), height_cm=D("190"))
    )


def test_clinic_overrides_move_the_soft_range():
    assert codes(iv(overrides={"dosing.iv.mg_per_kg_soft_min": "0.6"})) == [
        "mg_per_kg_below_protocol_range"
    ]


def test_overrides_that_put_soft_maximum_above_hard_maximum_are_refused():
    with pytest.raises(ClinicalInputError, match=r"soft maximum 1\.2 is above hard maximum 1\.1"):
        iv(overrides={"dosing.iv.mg_per_kg_soft_max": "1.2", "dosing.iv.mg_per_kg_hard_max": "1.1"})


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (D("39"), ["infusion_shorter_than_protocol"]),
        (D("40"), []),
        (D("100"), []),
        (D("101"), ["infusion_longer_than_protocol"]),
    ],
)
def test_infusion_minutes_outside_40_to_100_need_acknowledgement(minutes, expected):
    assert codes(iv(infusion_minutes=minutes)) == expected


@pytest.mark.parametrize(
    ("height_cm", "weight_kg", "prompted"),
    [(D("200"), D("140"), True), (D("200"), D("139.7"), False), (None, D("140"), False)],
)
def test_bmi_of_35_or_more_prompts_to_confirm_the_weight_basis(height_cm, weight_kg, prompted):
    result = iv(actual_weight_kg=weight_kg, height_cm=height_cm, mg_per_kg=D("0.5"))
    assert ("bmi_confirm_weight_basis" in codes(result)) is prompted


def test_bmi_prompt_is_a_labelled_convention():
    assert registry.get("dosing.bmi_prompt_kg_per_m2").evidence.confidence is Confidence.UNCERTAIN


@pytest.mark.parametrize("concentration", [D("0.09"), D("100.1")])
def test_implausible_concentration_is_refused(concentration):
    with pytest.raises(HardLimitExceeded, match="plausible range"):
        iv(concentration_mg_per_ml=concentration)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"actual_weight_kg": D("0")}, "weight_kg must be positive"),
        ({"actual_weight_kg": D("-70")}, "weight_kg must be positive"),
        ({"actual_weight_kg": D("19.9")}, "outside the plausible range"),
        ({"actual_weight_kg": D("401")}, "outside the plausible range"),
        ({"actual_weight_kg": D("NaN")}, "finite"),
        ({"mg_per_kg": D("0")}, "mg_per_kg must be a positive number"),
        ({"mg_per_kg": D("-0.5")}, "mg_per_kg must be a positive number"),
        ({"concentration_mg_per_ml": D("0")}, "concentration_mg_per_ml must be a positive"),
        ({"concentration_mg_per_ml": D("-10")}, "concentration_mg_per_ml must be a positive"),
        ({"infusion_minutes": D("0")}, "infusion_minutes must be a positive number"),
        ({"infusion_minutes": D("-40")}, "infusion_minutes must be a positive number"),
        ({"infusion_minutes": D("1441")}, "longer than a day"),
        ({"height_cm": D("90")}, "height_cm 90 is outside the plausible range"),
    ],
)
def test_impossible_input_is_refused_as_input_error_not_clamped(changes, message):
    with pytest.raises(ClinicalInputError, match=message) as raised:
        iv(**changes)
    assert not isinstance(raised.value, HardLimitExceeded)


# --- IM --------------------------------------------------------------------------------------


def test_im_injection_has_volume_but_no_rate():
    result = im()
    assert result.dose_mg == D("35.0")
    assert result.volume_ml == D("0.70")
    assert result.rate_ml_per_h is None
    assert result.infusion_minutes is None
    assert result.route is Route.IM_RACEMIC


@pytest.mark.parametrize(
    ("mg_per_kg", "expected"),
    [
        (D("0.2"), ["mg_per_kg_below_protocol_range"]),
        (D("0.25"), []),
        (D("0.5"), []),
        (D("0.75"), ["mg_per_kg_above_protocol_range"]),
    ],
)
def test_im_soft_range_is_0_25_to_0_5_mg_per_kg(mg_per_kg, expected):
    assert codes(im(mg_per_kg=mg_per_kg)) == expected


def test_im_dose_above_1_mg_per_kg_is_refused():
    with pytest.raises(HardLimitExceeded):
        im(mg_per_kg=D("1.01"))


def test_im_volume_above_5_ml_needs_acknowledgement():
    assert codes(im(concentration_mg_per_ml=D("7"))) == []  # 35 mg / 7 mg/mL = 5.00 mL
    assert codes(im(concentration_mg_per_ml=D("6.9"))) == ["im_volume_above_site_maximum"]


def test_limits_for_one_route_cannot_dose_another():
    with pytest.raises(ClinicalInputError, match="cannot dose"):
        im(limits=DoseLimits.for_route(Route.IV_RACEMIC))
    with pytest.raises(ClinicalInputError, match="devices"):
        DoseLimits.for_route(Route.ESKETAMINE_NASAL)


# --- Esketamine ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose_mg", "devices", "offsets"),
    [(56, 2, (0, 5)), (84, 3, (0, 5, 10)), (28, 1, (0,))],
)
def test_esketamine_devices_are_28_mg_each_five_minutes_apart(dose_mg, devices, offsets):
    plan = plan_esketamine_devices(dose_mg=dose_mg)
    assert plan.device_count == devices
    assert plan.device_offsets_minutes == offsets
    assert plan.mg_per_device * plan.device_count == dose_mg


def test_esketamine_label_doses_need_no_acknowledgement_but_28_mg_does():
    assert plan_esketamine_devices(dose_mg=56).warnings == ()
    assert plan_esketamine_devices(dose_mg=84).warnings == ()
    assert codes(plan_esketamine_devices(dose_mg=28)) == ["esketamine_dose_not_label_dose"]


@pytest.mark.parametrize("dose_mg", [60, D("56.5"), 27])
def test_esketamine_dose_that_is_not_whole_devices_is_refused(dose_mg):
    with pytest.raises(ClinicalInputError, match="not a whole number of 28 mg devices"):
        plan_esketamine_devices(dose_mg=dose_mg)


@pytest.mark.parametrize("dose_mg", [0, -28])
def test_esketamine_dose_must_be_positive(dose_mg):
    with pytest.raises(ClinicalInputError, match="positive"):
        plan_esketamine_devices(dose_mg=dose_mg)


def test_esketamine_above_label_maximum_84_mg_is_refused():
    with pytest.raises(HardLimitExceeded, match="above the maximum 84 mg"):
        plan_esketamine_devices(dose_mg=112)


def test_clinic_may_lower_the_esketamine_maximum_but_not_raise_it():
    with pytest.raises(HardLimitExceeded):
        plan_esketamine_devices(dose_mg=84, overrides={"dosing.esketamine.dose_mg_hard_max": 56})
    with pytest.raises(ClinicalInputError, match="above the maximum 84"):
        plan_esketamine_devices(dose_mg=84, overrides={"dosing.esketamine.dose_mg_hard_max": 112})


def test_first_induction_dose_other_than_the_label_start_needs_acknowledgement():
    assert plan_esketamine_devices(dose_mg=56, first_induction_dose=True).warnings == ()
    assert codes(plan_esketamine_devices(dose_mg=84, first_induction_dose=True)) == [
        "esketamine_first_dose_not_label_start"
    ]


# --- Properties ------------------------------------------------------------------------------

weights_kg = st.decimals(min_value="20", max_value="400", places=2)
iv_mg_per_kg = st.decimals(min_value="0.1", max_value="1.5", places=3)
minutes = st.decimals(min_value="20", max_value="1440", places=1)
# The arithmetic properties run under the widest mg cap; the hard limits have their own tests.
WIDEST_CAP = {"dosing.iv.dose_mg_cap": "300"}
concentrations = st.decimals(min_value="0.1", max_value="100", places=2)


def iv_unless_rate_rounds_to_zero(
    weight_kg: Decimal, mg_per_kg: Decimal, infusion_minutes: Decimal, concentration: Decimal
) -> WeightBasedDose:
    """The infusion; a tiny volume over a long time, and a dose over the widest mg cap, are
    refused, and only those are skipped."""
    assume(weight_kg * mg_per_kg <= 300)
    try:
        return iv(
            actual_weight_kg=weight_kg,
            mg_per_kg=mg_per_kg,
            infusion_minutes=infusion_minutes,
            concentration_mg_per_ml=concentration,
            overrides=WIDEST_CAP,
        )
    except ClinicalInputError as refused:
        assume("rounds to a rate of 0 mL/h" not in str(refused))  # skip only this refusal
        raise


@given(weights_kg, iv_mg_per_kg, minutes, concentrations)
def test_property_dose_is_dosing_weight_times_mg_per_kg_rounded_once(
    weight_kg, mg_per_kg, infusion_minutes, concentration
):
    result = iv_unless_rate_rounds_to_zero(weight_kg, mg_per_kg, infusion_minutes, concentration)
    exact = result.dosing_weight_kg * mg_per_kg  # Decimal multiplication is exact here
    assert result.dose_mg == exact.quantize(D("0.1"), rounding="ROUND_HALF_UP")
    assert abs(result.dose_mg - exact) <= D("0.05")
    assert abs(result.dosing_weight_kg - weight_kg) <= D("0.05")


@given(weights_kg, iv_mg_per_kg, minutes, concentrations)
def test_property_volume_times_concentration_is_the_dose_within_rounding(
    weight_kg, mg_per_kg, infusion_minutes, concentration
):
    result = iv_unless_rate_rounds_to_zero(weight_kg, mg_per_kg, infusion_minutes, concentration)
    assert abs(result.volume_ml * concentration - result.dose_mg) <= D("0.005") * concentration


@given(weights_kg, iv_mg_per_kg, minutes, concentrations)
def test_property_rate_times_minutes_over_60_is_the_volume_within_rounding(
    weight_kg, mg_per_kg, infusion_minutes, concentration
):
    result = iv_unless_rate_rounds_to_zero(weight_kg, mg_per_kg, infusion_minutes, concentration)
    assert result.rate_ml_per_h is not None
    # |rate × minutes / 60 − volume| ≤ half a rate step × minutes / 60, multiplied out by 60
    # so that Decimal compares exact values
    delivered_times_60 = result.rate_ml_per_h * infusion_minutes
    assert abs(delivered_times_60 - result.volume_ml * 60) <= D("0.005") * infusion_minutes


@given(weights_kg, iv_mg_per_kg, minutes, concentrations)
def test_property_no_quantity_is_ever_negative_or_zero(
    weight_kg, mg_per_kg, infusion_minutes, concentration
):
    result = iv_unless_rate_rounds_to_zero(weight_kg, mg_per_kg, infusion_minutes, concentration)
    assert result.rate_ml_per_h is not None
    assert min(result.dose_mg, result.volume_ml, result.rate_ml_per_h) > 0
    assert result.dosing_weight_kg > 0


def test_a_rate_that_rounds_to_zero_is_refused_rather_than_shown_as_0():
    with pytest.raises(ClinicalInputError, match="rounds to a rate of 0 mL/h"):
        iv(
            actual_weight_kg=D("20"),
            mg_per_kg=D("0.1"),
            concentration_mg_per_ml=D("100"),
            infusion_minutes=D("1440"),
        )


@given(
    weights_kg,
    st.decimals(min_value="152.4", max_value="250", places=1),
    st.sampled_from(list(Sex)),
)
def test_property_adjusted_weight_lies_between_ideal_and_actual(weight_kg, height_cm, sex):
    weight = dosing_weight(
        actual_weight_kg=weight_kg, basis=WeightBasis.ADJUSTED, height_cm=height_cm, sex=sex
    )
    ideal = weight.ideal_body_weight_kg
    assert ideal is not None
    low, high = sorted((ideal, weight_kg))
    assert low - D("0.05") <= weight.dosing_weight_kg <= high + D("0.05")


@given(st.integers(min_value=1, max_value=3))
def test_property_esketamine_device_schedule_has_one_offset_per_device(devices):
    plan = plan_esketamine_devices(dose_mg=28 * devices)
    assert plan.device_offsets_minutes == tuple(range(0, 5 * devices, 5))


# --- a course's dose settings, checked when it is planned ------------------------------------


def test_a_planned_course_is_checked_against_the_same_hard_limits():
    from remission.clinical.dosing import course_plan_problems

    assert (
        course_plan_problems(Route.IV_RACEMIC, mg_per_kg=D("0.5"), infusion_minutes=D("40")) == {}
    )
    assert set(course_plan_problems(Route.IV_RACEMIC, mg_per_kg=D("5"))) == {"mg_per_kg"}
    assert set(
        course_plan_problems(Route.IV_RACEMIC, mg_per_kg=D("1.0"), infusion_minutes=D("15"))
    ) == {"infusion_minutes"}
    assert set(course_plan_problems(Route.IM_RACEMIC, mg_per_kg=D("1.2"))) == {"mg_per_kg"}
    problems = course_plan_problems(Route.ESKETAMINE_NASAL, fixed_dose_mg=100)
    assert set(problems) == {"fixed_dose_mg"}
    assert course_plan_problems(Route.ESKETAMINE_NASAL, fixed_dose_mg=84) == {}
    assert set(course_plan_problems(Route.ESKETAMINE_NASAL, fixed_dose_mg=112)) == {"fixed_dose_mg"}
