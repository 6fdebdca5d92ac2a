"""Bad answers are refused with ClinicalInputError and a message a person can act on."""

from __future__ import annotations

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError


def test_out_of_range_answer_names_the_scale_item_answer_and_range() -> None:
    with pytest.raises(ClinicalInputError) as caught:
        instruments.score("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0])
    assert str(caught.value) == "phq9: item 3 answer 4 is out of range 0–3"


def test_negative_answer_is_out_of_range() -> None:
    with pytest.raises(ClinicalInputError, match=r"item 1 answer -1 is out of range 0–3"):
        instruments.score("gad7", [-1, 0, 0, 0, 0, 0, 0])


@pytest.mark.parametrize("count", [0, 8, 11])
def test_wrong_number_of_answers_is_refused(count: int) -> None:
    with pytest.raises(ClinicalInputError, match=rf"^phq9: expected 9 answers, got {count}$"):
        instruments.score("phq9", [0] * count)


@pytest.mark.parametrize("bad", [2.5, 2.0, "2", True])
def test_non_integer_answers_are_refused(bad: object) -> None:
    answers: list[object] = [0] * 9
    answers[4] = bad
    with pytest.raises(ClinicalInputError, match=r"^phq9: item 5 answer .* is not a whole number$"):
        instruments.score("phq9", answers)


def test_a_string_of_digits_is_not_a_list_of_answers() -> None:
    with pytest.raises(ClinicalInputError, match="answers must be a list"):
        instruments.score("phq9", "221101210")


def test_unknown_instrument_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="unknown instrument 'beck'"):
        instruments.score("beck", [0])


def test_an_out_of_range_clinic_setting_is_refused_when_it_is_read() -> None:
    with pytest.raises(ClinicalInputError, match="below the minimum 1"):
        instruments.compare(
            "phq9", [3] * 9, [0] * 9, overrides={"instruments.response_min_percent_drop": 0}
        )
