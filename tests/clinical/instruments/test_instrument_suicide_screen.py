"""Suicide-risk screen: skip rule (Q2 = No → Q3–5 not asked) and triage risk levels."""

from __future__ import annotations

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError

NOT_ASKED = None


@pytest.mark.parametrize(
    ("answers", "level", "total", "flag"),
    [
        ([0, 0, NOT_ASKED, NOT_ASKED, NOT_ASKED, 0], "negative", 0, None),
        ([1, 0, NOT_ASKED, NOT_ASKED, NOT_ASKED, 0], "low", 1, "suicide_screen_low_risk"),
        ([1, 1, 0, 0, 0, 0], "low", 1, "suicide_screen_low_risk"),
        ([0, 1, 0, 0, 0, 0], "low", 1, "suicide_screen_low_risk"),
        ([1, 1, 1, 0, 0, 0], "moderate", 2, "suicide_screen_moderate_risk"),
        ([0, 0, NOT_ASKED, NOT_ASKED, NOT_ASKED, 1], "moderate", 2, "suicide_screen_moderate_risk"),
        ([1, 1, 0, 1, 0, 0], "high", 3, "suicide_screen_high_risk"),
        ([1, 1, 0, 0, 1, 0], "high", 3, "suicide_screen_high_risk"),
        ([0, 0, NOT_ASKED, NOT_ASKED, NOT_ASKED, 2], "high", 3, "suicide_screen_high_risk"),
        ([1, 1, 1, 0, 0, 1], "moderate", 2, "suicide_screen_moderate_risk"),
        ([1, 1, 1, 1, 1, 2], "high", 3, "suicide_screen_high_risk"),
    ],
)
def test_risk_level_follows_the_triage_rules(
    answers: list[int | None], level: str, total: int, flag: str | None
) -> None:
    result = instruments.score("suicide-screen", answers)
    assert result.valid
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == level
    assert [f.id for f in result.flags] == ([] if flag is None else [flag])


def test_questions_3_to_5_not_asked_after_a_no_to_question_2_are_not_missing() -> None:
    result = instruments.score("suicide-screen", [1, 0, None, None, None, 0])
    assert result.valid
    assert result.missing == 0


def test_answering_question_3_after_a_no_to_question_2_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match=r"item 3 is answered but not asked"):
        instruments.score("suicide-screen", [1, 0, 0, None, None, 0])


def test_questions_3_to_5_are_required_after_a_yes_to_question_2() -> None:
    result = instruments.score("suicide-screen", [0, 1, None, None, None, 0])
    assert not result.valid
    assert result.missing_items == (3, 4, 5)


def test_a_yes_to_question_5_is_flagged_high_even_on_an_incomplete_screen() -> None:
    result = instruments.score("suicide-screen", [1, 1, None, None, 1, None])
    assert not result.valid
    assert [f.id for f in result.flags] == ["suicide_screen_high_risk"]


def test_question_6_records_recency_and_refuses_other_values() -> None:
    with pytest.raises(ClinicalInputError, match=r"item 6 answer 3 is out of range 0–2"):
        instruments.score("suicide-screen", [0, 0, None, None, None, 3])
    with pytest.raises(ClinicalInputError, match=r"item 1 answer 2 is out of range 0–1"):
        instruments.score("suicide-screen", [2, 0, None, None, None, 0])


def test_suicide_screen_comparison_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="comparing two administrations"):
        instruments.compare("suicide-screen", [1, 1, 1, 0, 0, 0], [0, 0, None, None, None, 0])
