"""Hypothesis properties over every scale: range, bands, monotonicity, group rules, missing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from remission.clinical import instruments
from remission.clinical.instruments import Instrument

# the suicide screen's skip rule ties answers together; it has its own properties below
PLAIN = [i for i in instruments.all_instruments() if i.skip_rule is None]


@st.composite
def complete_answers(draw: st.DrawFn) -> tuple[Instrument, list[int]]:
    instrument = draw(st.sampled_from(PLAIN))
    answers = [draw(st.sampled_from(item.scored_values)) for item in instrument.items]
    return instrument, answers


@given(complete_answers())
def test_total_lies_within_the_scale_range_and_inside_its_band(
    case: tuple[Instrument, list[int]],
) -> None:
    instrument, answers = case
    result = instruments.score(instrument.id, answers)
    assert result.valid
    assert result.total is not None
    assert instrument.minimum_total <= result.total <= instrument.maximum_total
    if instrument.severity.bands:
        assert result.severity is not None
        assert result.severity.minimum <= result.total <= result.severity.maximum


@given(complete_answers(), st.data())
def test_raising_any_one_answer_never_lowers_the_total(
    case: tuple[Instrument, list[int]], data: st.DataObject
) -> None:
    instrument, answers = case
    index = data.draw(st.integers(0, len(answers) - 1))
    item = instrument.items[index]
    higher = data.draw(st.integers(answers[index], item.maximum))
    raised = [*answers[:index], higher, *answers[index + 1 :]]
    before = instruments.score(instrument.id, answers).total
    after = instruments.score(instrument.id, raised).total
    assert before is not None
    assert after is not None
    assert after >= before


@given(complete_answers(), st.data())
def test_any_missing_answer_leaves_no_total(
    case: tuple[Instrument, list[int]], data: st.DataObject
) -> None:
    instrument, answers = case
    index = data.draw(st.integers(0, len(answers) - 1))
    with_gap: list[int | None] = [*answers[:index], None, *answers[index + 1 :]]
    result = instruments.score(instrument.id, with_gap)
    assert result.total is None
    assert not result.valid
    assert result.missing_items == (index + 1,)


QIDS_GROUPS = {"sleep": (1, 2, 3, 4), "appetite_weight": (6, 7, 8, 9), "psychomotor": (15, 16)}
QIDS_SINGLE = (5, 10, 11, 12, 13, 14)

qids_answers = st.lists(st.integers(0, 3), min_size=16, max_size=16)


@given(qids_answers)
def test_qids_total_is_the_sum_of_group_maxima_and_single_items(answers: list[int]) -> None:
    expected = sum(max(answers[n - 1] for n in group) for group in QIDS_GROUPS.values())
    expected += sum(answers[n - 1] for n in QIDS_SINGLE)
    assert instruments.score("qids-sr16", answers).total == expected


@given(qids_answers, st.sampled_from(sorted(QIDS_GROUPS)), st.data())
def test_qids_changing_an_item_below_its_group_maximum_leaves_the_total(
    answers: list[int], group: str, data: st.DataObject
) -> None:
    items = QIDS_GROUPS[group]
    top = max(answers[n - 1] for n in items)
    item = data.draw(st.sampled_from(items))
    # the item must not be the group's only maximum, or lowering it would lower the domain
    assume(answers[item - 1] < top or sum(answers[n - 1] == top for n in items) > 1)
    changed = list(answers)
    changed[item - 1] = data.draw(st.integers(0, top))
    assert max(changed[n - 1] for n in items) == top
    assert (
        instruments.score("qids-sr16", changed).total
        == instruments.score("qids-sr16", answers).total
    )


@st.composite
def screen_answers(draw: st.DrawFn) -> list[int | None]:
    q1, q2 = draw(st.integers(0, 1)), draw(st.integers(0, 1))
    middle: list[int | None] = (
        [draw(st.integers(0, 1)) for _ in range(3)] if q2 == 1 else [None, None, None]
    )
    return [q1, q2, *middle, draw(st.integers(0, 2))]


@given(screen_answers(), st.data())
def test_suicide_screen_a_further_yes_never_lowers_the_risk_level(
    answers: list[int | None], data: st.DataObject
) -> None:
    index = data.draw(st.sampled_from([i for i, a in enumerate(answers) if a is not None]))
    item = instruments.get("suicide-screen").items[index]
    current = answers[index]
    assert current is not None
    raised = list(answers)
    raised[index] = data.draw(st.integers(current, item.maximum))
    if index == 1 and raised[1] == 1 and answers[1] == 0:
        raised[2:5] = [0, 0, 0]  # question 2 now Yes: questions 3–5 are asked
    before = instruments.score("suicide-screen", answers)
    after = instruments.score("suicide-screen", raised)
    assert before.total is not None
    assert after.total is not None
    assert after.total >= before.total
    assert bool(after.flags) == (after.total > 0)


@given(st.integers(0, 27), st.integers(0, 27))
def test_phq9_response_exactly_when_followup_is_at_most_half_the_baseline(
    baseline: int, followup: int
) -> None:
    def spread(total: int) -> list[int]:
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
        assert sum(answers) == total
        return answers

    change = instruments.compare("phq9", spread(baseline), spread(followup))
    assert change.change == followup - baseline
    if baseline == 0:
        assert change.response is None
        assert change.percent_change is None
    else:
        assert change.response is (2 * followup <= baseline)
        assert change.percent_change is not None
        exact = Decimal(followup - baseline) * 100 / baseline
        assert abs(change.percent_change - exact) <= Decimal("0.05")
    assert change.remission is (followup <= 4)
