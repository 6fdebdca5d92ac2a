"""PHQ-9 and GAD-7: sums, bands at every boundary, the item-9 safety flag, missing answers."""

from __future__ import annotations

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from tests.clinical.instruments.instrument_answers import answers_summing_to


def test_phq9_worked_example_scores_10_moderate() -> None:
    result = instruments.score("phq9", [2, 2, 1, 1, 0, 1, 2, 1, 0])
    assert result.total == 10
    assert result.maximum == 27
    assert result.severity is not None
    assert result.severity.id == "moderate"
    assert result.valid
    assert result.missing == 0
    assert result.flags == ()


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_at_each_boundary_follows_kroenke_2001(total: int, band: str) -> None:
    result = instruments.score("phq9", answers_summing_to("phq9", total))
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_band_at_each_boundary_follows_spitzer_2006(total: int, band: str) -> None:
    result = instruments.score("gad7", answers_summing_to("gad7", total))
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == band


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_positive_raises_safety_flag(item9: int) -> None:
    result = instruments.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, item9])
    assert [flag.id for flag in result.flags] == ["phq9_item9_positive"]
    assert "suicide risk" in result.flags[0].message
    assert result.severity is not None
    assert result.severity.id == "minimal"  # the flag does not depend on the total


def test_phq9_item9_zero_raises_no_flag_even_at_the_maximum_elsewhere() -> None:
    assert instruments.score("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).flags == ()


def test_phq9_item9_positive_is_flagged_even_when_the_form_is_incomplete() -> None:
    result = instruments.score("phq9", [None, 1, 1, 1, 1, 1, 1, 1, 2])
    assert not result.valid
    assert [flag.id for flag in result.flags] == ["phq9_item9_positive"]


def test_phq9_missing_item_makes_the_score_incomplete_rather_than_prorated() -> None:
    result = instruments.score("phq9", [2, None, 1, 1, 0, 1, 2, 1, 0])
    assert result.total is None
    assert result.severity is None
    assert not result.valid
    assert result.missing == 1
    assert result.missing_items == (2,)
    assert result.reason is not None
    assert "item 2 missing" in result.reason


def test_phq9_several_missing_items_are_all_listed() -> None:
    result = instruments.score("phq9", [None, 1, None, 1, 1, 1, 1, 1, None])
    assert result.missing_items == (1, 3, 9)
    assert result.reason is not None
    assert "items 1, 3, 9 missing" in result.reason


def test_phq9_ten_answers_are_refused_with_a_hint_about_the_difficulty_question() -> None:
    with pytest.raises(ClinicalInputError, match=r"expected 9 answers, got 10 \(leave out"):
        instruments.score("phq9", [0] * 10)


def test_gad7_has_no_safety_flag() -> None:
    assert instruments.score("gad7", [3] * 7).flags == ()


def test_phq9_answers_are_kept_on_the_result_for_item_level_display() -> None:
    answers = [0, 1, 2, 3, 0, 1, 2, 3, 0]
    assert instruments.score("phq9", answers).answers == tuple(answers)
