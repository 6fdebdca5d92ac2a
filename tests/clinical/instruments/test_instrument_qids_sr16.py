"""QIDS-SR16: nine domains with highest-of-group rules (ids-qids.org scoring)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from remission.clinical import instruments


def qids(**items: int) -> list[int]:
    """All 16 answers 0 except the named ones, e.g. ``qids(i1=2, i12=1)``."""
    answers = [0] * 16
    for name, value in items.items():
        answers[int(name[1:]) - 1] = value
    return answers


def domains(answers: Sequence[int | None]) -> dict[str, int | None]:
    return {s.id: s.value for s in instruments.score("qids-sr16", answers).subscores}


def test_worked_example_from_the_cli_contract_totals_11_with_each_domain() -> None:
    result = instruments.score("qids-sr16", [1, 2, 0, 0, 1, 0, 2, 0, 1, 1, 1, 1, 0, 2, 1, 0])
    assert result.total == 11
    assert {s.id: s.value for s in result.subscores} == {
        "sleep": 2,
        "sad_mood": 1,
        "appetite_weight": 2,
        "concentration": 1,
        "self_view": 1,
        "suicidal_ideation": 1,
        "interest": 0,
        "energy": 2,
        "psychomotor": 1,
    }
    assert result.severity is not None
    assert result.severity.id == "moderate"


def test_sleep_domain_is_the_highest_of_items_1_to_4_not_their_sum() -> None:
    answers = qids(i1=1, i2=3, i3=2, i4=1)
    assert domains(answers)["sleep"] == 3
    assert instruments.score("qids-sr16", answers).total == 3


def test_appetite_weight_domain_is_the_highest_of_items_6_to_9() -> None:
    answers = qids(i6=2, i7=1, i8=3, i9=1)
    assert domains(answers)["appetite_weight"] == 3
    assert instruments.score("qids-sr16", answers).total == 3


def test_psychomotor_domain_is_the_higher_of_items_15_and_16() -> None:
    assert domains(qids(i15=1, i16=2))["psychomotor"] == 2
    assert domains(qids(i15=3, i16=0))["psychomotor"] == 3


def test_single_item_domains_take_their_item_directly() -> None:
    answers = qids(i5=1, i10=2, i11=3, i12=1, i13=2, i14=3)
    assert domains(answers) == {
        "sleep": 0,
        "sad_mood": 1,
        "appetite_weight": 0,
        "concentration": 2,
        "self_view": 3,
        "suicidal_ideation": 1,
        "interest": 2,
        "energy": 3,
        "psychomotor": 0,
    }
    assert instruments.score("qids-sr16", answers).total == 12


def test_all_items_at_3_total_27_not_48() -> None:
    result = instruments.score("qids-sr16", [3] * 16)
    assert result.total == 27
    assert result.severity is not None
    assert result.severity.id == "very_severe"


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "none"),
        (5, "none"),
        (6, "mild"),
        (10, "mild"),
        (11, "moderate"),
        (15, "moderate"),
        (16, "severe"),
        (20, "severe"),
        (21, "very_severe"),
        (27, "very_severe"),
    ],
)
def test_band_at_each_boundary_follows_ids_qids(total: int, band: str) -> None:
    # one item per domain carries the score: items 1, 5, 6, 10, 11, 12, 13, 14, 15
    answers = [0] * 16
    remaining = total
    for item in (1, 5, 6, 10, 11, 12, 13, 14, 15):
        answers[item - 1] = min(3, remaining)
        remaining -= answers[item - 1]
    result = instruments.score("qids-sr16", answers)
    assert result.total == total
    assert result.severity is not None
    assert result.severity.id == band


def test_item12_positive_raises_safety_flag() -> None:
    assert [f.id for f in instruments.score("qids-sr16", qids(i12=1)).flags] == [
        "qids_item12_positive"
    ]
    assert instruments.score("qids-sr16", qids(i11=3, i13=3)).flags == ()


def test_a_missing_sleep_item_blanks_its_domain_and_the_total_but_not_other_domains() -> None:
    answers: list[int | None] = list(qids(i1=1, i5=2))
    answers[3] = None
    result = instruments.score("qids-sr16", answers)
    assert result.total is None
    assert result.missing_items == (4,)
    by_id = {s.id: s.value for s in result.subscores}
    assert by_id["sleep"] is None
    assert by_id["sad_mood"] == 2


# --- the form asks for either item 6 or 7, and either 8 or 9 ---------------------------------


def _with(answers: list[int | None], **blank: None) -> list[int | None]:
    changed = list(answers)
    for name in blank:
        changed[int(name.removeprefix("item_")) - 1] = None
    return changed


EITHER_OR = [1, 2, 1, 0, 2, 1, 0, 3, 0, 1, 1, 0, 1, 1, 1, 1]


def test_a_form_with_items_7_and_9_left_blank_is_valid_and_scores() -> None:
    result = instruments.score("qids-sr16", _with(EITHER_OR, item_7=None, item_9=None))
    assert result.valid and result.total == 12
    appetite = {s.id: s.value for s in result.subscores}["appetite_weight"]
    assert appetite == 3  # the highest of items 6 and 8, the ones answered


def test_the_other_item_of_each_pair_may_be_the_one_answered() -> None:
    result = instruments.score("qids-sr16", _with(EITHER_OR, item_6=None, item_8=None))
    assert result.valid and result.total == 9  # 0 and 0 answered: the domain is 0


def test_a_pair_with_neither_item_answered_leaves_the_form_incomplete() -> None:
    result = instruments.score("qids-sr16", _with(EITHER_OR, item_6=None, item_7=None))
    assert not result.valid and result.missing_items == (6, 7)


def test_both_items_of_a_pair_answered_count_at_their_highest() -> None:
    assert instruments.score("qids-sr16", EITHER_OR).total == 12
