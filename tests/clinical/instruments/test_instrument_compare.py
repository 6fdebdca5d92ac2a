"""compare(): change, percent change, response, remission and MCID for two administrations."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from tests.clinical.instruments.instrument_answers import answers_summing_to


def compare_totals(
    instrument_id: str, baseline: int, followup: int, overrides: Mapping[str, object] | None = None
) -> instruments.ChangeResult:
    return instruments.compare(
        instrument_id,
        answers_summing_to(instrument_id, baseline),
        answers_summing_to(instrument_id, followup),
        overrides=overrides,
    )


def test_phq9_from_20_to_8_is_a_60_percent_drop_and_a_response_without_remission() -> None:
    change = compare_totals("phq9", 20, 8)
    assert change.change == -12
    assert change.percent_change == Decimal("-60.0")
    assert change.response is True
    assert change.remission is False
    assert change.meets_mcid is True
    assert change.reason is None


def test_response_at_exactly_half_the_baseline_counts() -> None:
    assert compare_totals("phq9", 20, 10).response is True


def test_response_one_point_short_of_half_does_not_count() -> None:
    change = compare_totals("phq9", 20, 11)
    assert change.response is False
    assert change.percent_change == Decimal("-45.0")


def test_response_threshold_follows_the_clinic_setting() -> None:
    overrides = {"instruments.response_min_percent_drop": 40}
    assert compare_totals("phq9", 20, 11).response is False
    assert compare_totals("phq9", 20, 11, overrides).response is True


@pytest.mark.parametrize(("followup", "remitted"), [(4, True), (5, False)])
def test_phq9_remission_is_a_total_below_5(followup: int, remitted: bool) -> None:
    assert compare_totals("phq9", 18, followup).remission is remitted


@pytest.mark.parametrize(
    ("instrument_id", "last_remitted", "first_not"),
    [("hamd17", 7, 8), ("madrs", 10, 11), ("gad7", 4, 5)],
)
def test_remission_thresholds_per_scale(
    instrument_id: str, last_remitted: int, first_not: int
) -> None:
    assert compare_totals(instrument_id, 20, last_remitted).remission is True
    assert compare_totals(instrument_id, 20, first_not).remission is False


def test_qids_remission_is_a_total_of_5_or_less() -> None:
    baseline = [3] * 16
    five = [2, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]  # sleep 2 + 1 + 1 + 1
    six = [2, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0]
    assert instruments.compare("qids-sr16", baseline, five).remission is True
    assert instruments.compare("qids-sr16", baseline, six).remission is False


def test_madrs_remission_at_12_needs_the_clinic_setting_of_12() -> None:
    overrides = {"instruments.madrs.remission_max_total": 12}
    assert compare_totals("madrs", 30, 12).remission is False
    assert compare_totals("madrs", 30, 12, overrides).remission is True
    assert compare_totals("madrs", 30, 13, overrides).remission is False


@pytest.mark.parametrize(
    ("instrument_id", "baseline", "followup", "meets"),
    [
        ("phq9", 20, 14, True),  # 6 points, Turkoz 2021
        ("phq9", 20, 15, False),
        ("madrs", 30, 20, True),  # 10 points
        ("madrs", 30, 21, False),
        ("gad7", 15, 11, True),  # 4 ≥ 3.3
        ("gad7", 15, 12, False),  # 3 < 3.3
        ("hamd17", 20, 17, True),
        ("pcl5", 50, 40, True),
        ("pcl5", 50, 41, False),
    ],
)
def test_meets_mcid_needs_an_improvement_of_at_least_the_mcid(
    instrument_id: str, baseline: int, followup: int, meets: bool
) -> None:
    assert compare_totals(instrument_id, baseline, followup).meets_mcid is meets


def test_worsening_never_meets_the_mcid_nor_responds() -> None:
    change = compare_totals("phq9", 10, 20)
    assert change.change == 10
    assert change.percent_change == Decimal("100.0")
    assert (change.response, change.meets_mcid) == (False, False)


def test_qids_has_no_points_mcid_so_it_is_not_judged() -> None:
    assert compare_totals("qids-sr16", 20, 5).meets_mcid is None


def test_percent_change_rounds_half_up_to_one_decimal() -> None:
    # 16 -> 17 is +6.25 %; half-even would give 6.2
    assert compare_totals("phq9", 16, 17).percent_change == Decimal("6.3")
    # 80 -> 79 is -1.25 %; rounds away from zero
    assert compare_totals("pcl5", 80, 79).percent_change == Decimal("-1.3")


def test_percent_change_always_carries_one_decimal_place() -> None:
    percent = compare_totals("phq9", 27, 9).percent_change
    assert percent is not None
    assert percent.as_tuple().exponent == -1
    assert percent == Decimal("-66.7")


def test_baseline_of_zero_leaves_percent_change_and_response_undefined() -> None:
    change = compare_totals("phq9", 0, 3)
    assert change.change == 3
    assert change.percent_change is None
    assert change.response is None
    assert change.remission is True
    assert change.reason is not None
    assert "baseline total is 0" in change.reason


def test_incomplete_baseline_gives_no_change_but_remission_still_reads_the_followup() -> None:
    change = instruments.compare(
        "phq9", [3, 3, 3, None, 3, 3, 3, 3, 0], [0, 1, 0, 1, 0, 1, 0, 0, 0]
    )
    assert change.change is None
    assert change.percent_change is None
    assert change.response is None
    assert change.meets_mcid is None
    assert change.remission is True
    assert change.reason == "baseline score is incomplete"


def test_incomplete_followup_gives_no_remission() -> None:
    change = instruments.compare("phq9", [3] * 9, [0] * 8 + [None])
    assert change.remission is None
    assert change.reason == "follow-up score is incomplete"


def test_compare_scores_refuses_scores_of_different_scales() -> None:
    phq9 = instruments.score("phq9", [1] * 9)
    gad7 = instruments.score("gad7", [1] * 7)
    with pytest.raises(ClinicalInputError, match="gad7: cannot compare with a phq9 score"):
        instruments.compare_scores(phq9, gad7)


def test_compare_scores_matches_compare_on_the_same_answers() -> None:
    baseline, followup = [3, 2, 2, 2, 2, 2, 2, 2, 1], [1, 1, 0, 1, 0, 1, 1, 0, 0]
    assert instruments.compare_scores(
        instruments.score("phq9", baseline), instruments.score("phq9", followup)
    ) == instruments.compare("phq9", baseline, followup)


def test_pcl5_and_cadss6_report_change_without_response_or_remission() -> None:
    pcl5 = compare_totals("pcl5", 50, 20)
    cadss6 = compare_totals("cadss6", 0, 8)
    assert (pcl5.response, pcl5.remission) == (None, None)
    assert (cadss6.change, cadss6.response, cadss6.meets_mcid) == (8, None, None)
