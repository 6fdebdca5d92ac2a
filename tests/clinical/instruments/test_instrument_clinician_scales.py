"""MADRS, HAM-D17, CADSS-6 and MOAA/S."""

from __future__ import annotations

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from tests.clinical.instruments.instrument_answers import answers_summing_to


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "normal"),
        (6, "normal"),
        (7, "mild"),
        (19, "mild"),
        (20, "moderate"),
        (34, "moderate"),
        (35, "severe"),
        (60, "severe"),
    ],
)
def test_madrs_band_at_each_boundary_follows_snaith_1986(total: int, band: str) -> None:
    result = instruments.score("madrs", answers_summing_to("madrs", total))
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == band


def test_madrs_accepts_odd_ratings_between_the_anchors() -> None:
    assert instruments.score("madrs", [1, 3, 5, 1, 3, 5, 1, 3, 5, 0]).total == 27


def test_madrs_rating_of_7_is_out_of_range() -> None:
    with pytest.raises(ClinicalInputError, match=r"^madrs: item 4 answer 7 is out of range 0–6$"):
        instruments.score("madrs", [0, 0, 0, 7, 0, 0, 0, 0, 0, 0])


def test_madrs_item10_above_zero_raises_safety_flag() -> None:
    flagged = instruments.score("madrs", [0] * 9 + [2])
    assert [f.id for f in flagged.flags] == ["madrs_item10_positive"]
    assert instruments.score("madrs", [6] * 9 + [0]).flags == ()


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (7, "none"),
        (8, "mild"),
        (16, "mild"),
        (17, "moderate"),
        (23, "moderate"),
        (24, "severe"),
        (52, "severe"),
    ],
)
def test_hamd17_band_at_each_boundary_follows_zimmerman_2013(total: int, band: str) -> None:
    result = instruments.score("hamd17", answers_summing_to("hamd17", total))
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == band


def test_hamd17_maximum_total_is_52_from_nine_4s_and_eight_2s() -> None:
    worst = [4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2]
    assert instruments.score("hamd17", worst).total == 52


@pytest.mark.parametrize("item", [4, 5, 6, 12, 13, 14, 16, 17])
def test_hamd17_two_point_items_refuse_a_3(item: int) -> None:
    answers = [0] * 17
    answers[item - 1] = 3
    with pytest.raises(ClinicalInputError, match=rf"item {item} answer 3 is out of range 0–2"):
        instruments.score("hamd17", answers)


def test_hamd17_item3_suicide_above_zero_raises_safety_flag() -> None:
    answers = [0] * 17
    answers[2] = 1
    assert [f.id for f in instruments.score("hamd17", answers).flags] == ["hamd17_item3_positive"]


def test_cadss6_totals_0_to_24_without_a_severity_band() -> None:
    result = instruments.score("cadss6", [4, 4, 4, 4, 4, 4])
    assert result.total == 24
    assert result.valid
    assert result.severity is None
    assert instruments.score("cadss6", [0, 1, 0, 2, 0, 1]).total == 4


def test_cadss6_item_answer_5_is_out_of_range() -> None:
    with pytest.raises(ClinicalInputError, match="out of range 0–4"):
        instruments.score("cadss6", [0, 0, 5, 0, 0, 0])


def test_moaas_zero_raises_unresponsive_flag() -> None:
    result = instruments.score("moaas", [0])
    assert [f.id for f in result.flags] == ["moaas_unresponsive"]
    assert result.severity is not None
    assert result.severity.id == "unresponsive"


@pytest.mark.parametrize(
    ("rating", "band"),
    [(1, "deep"), (2, "moderate"), (3, "moderate"), (4, "mild"), (5, "alert")],
)
def test_moaas_ratings_above_zero_are_banded_without_a_flag(rating: int, band: str) -> None:
    result = instruments.score("moaas", [rating])
    assert result.flags == ()
    assert result.severity is not None
    assert result.severity.id == band


def test_moaas_5_means_responds_readily_to_name_and_0_no_response_to_pain() -> None:
    (item,) = instruments.get("moaas").items
    top, bottom = item.option(5), item.option(0)
    assert top is not None
    assert bottom is not None
    assert "readily" in top.label
    assert "No response" in bottom.label


def test_moaas_comparison_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="moaas: comparing two administrations"):
        instruments.compare("moaas", [5], [3])
