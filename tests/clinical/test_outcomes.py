"""Outcome rules: baseline, response, remission, relapse, booster suggestions, escalation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from remission.clinical.outcomes import (
    BoosterSuggestion,
    ClinicalEvent,
    Disposition,
    EventKind,
    ResponseLevel,
    Score,
    ScoreScale,
    Urgency,
    WorseningKind,
    assess_outcomes,
    disposition_problems,
    dose_may_proceed,
    escalate,
    escalate_flag,
    reduction_percent,
    select_baseline,
    suggest_booster,
)

D = dt.date
START = D(2026, 12, 1)
PHQ9 = ScoreScale("phq9", max_total=Decimal(27), remission_at_or_below=Decimal(4),
                  response_min_percent_drop=Decimal(50))  # fmt: skip
MADRS = ScoreScale("madrs", max_total=Decimal(60), remission_at_or_below=Decimal(10),
                   response_min_percent_drop=Decimal(50))  # fmt: skip
GAD7 = ScoreScale("gad7", max_total=Decimal(21), remission_at_or_below=Decimal(4),
                  response_min_percent_drop=Decimal(50))  # fmt: skip


def phq9(day: int, total: int) -> Score:
    """A PHQ-9 total ``day`` days after treatment start (negative: before)."""
    return Score("phq9", START + dt.timedelta(days=day), Decimal(total))


# -- baseline ---------------------------------------------------------------------------------


def test_baseline_is_the_latest_score_on_or_before_treatment_start() -> None:
    scores = [phq9(-20, 21), phq9(-3, 19), phq9(0, 18), phq9(2, 10)]
    assert select_baseline(scores, treatment_start=START) == phq9(0, 18)


def test_a_baseline_older_than_the_window_is_not_used() -> None:
    assert select_baseline([phq9(-31, 20)], treatment_start=START) is None
    assert select_baseline([phq9(-30, 20)], treatment_start=START) == phq9(-30, 20)
    overrides = {"outcomes.baseline_window_days": 60}
    assert select_baseline([phq9(-31, 20)], treatment_start=START, overrides=overrides)


def test_without_a_baseline_the_assessment_says_so() -> None:
    result = assess_outcomes([phq9(5, 10)], scale=PHQ9, treatment_start=START)
    assert result.baseline is None
    assert result.points == ()
    assert result.notes == ("no phq9 score in the 30 days up to 2026-12-01",)


# -- response and remission -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "level", "in_remission"),
    [
        (20, ResponseLevel.NONE, False),
        (16, ResponseLevel.NONE, False),  # 20% drop
        (15, ResponseLevel.PARTIAL, False),  # 25%
        (11, ResponseLevel.PARTIAL, False),  # 45%
        (10, ResponseLevel.RESPONSE, False),  # exactly 50%
        (5, ResponseLevel.RESPONSE, False),
        (4, ResponseLevel.RESPONSE, True),  # PHQ-9 < 5
        (24, ResponseLevel.NONE, False),  # worse than baseline
    ],
)
def test_response_level_and_remission_of_one_score(
    total: int, level: ResponseLevel, in_remission: bool
) -> None:
    result = assess_outcomes([phq9(0, 20), phq9(7, total)], scale=PHQ9, treatment_start=START)
    (point,) = result.points
    assert point.level is level
    assert point.in_remission is in_remission


def test_a_drop_a_hair_short_of_half_is_not_a_response() -> None:
    # 19 → 10 is a 47.4% drop; 19 → 9.5 would be exactly 50%
    result = assess_outcomes([phq9(0, 19), phq9(7, 10)], scale=PHQ9, treatment_start=START)
    assert result.points[0].level is ResponseLevel.PARTIAL
    assert result.points[0].reduction_percent == Decimal("47.4")


def test_time_to_response_and_remission_in_days_and_doses() -> None:
    doses = [START + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    scores = [phq9(0, 20), phq9(2, 16), phq9(4, 9), phq9(9, 6), phq9(14, 3)]
    result = assess_outcomes(scores, scale=PHQ9, treatment_start=START, dose_dates=doses)
    assert result.response is not None
    assert (result.response.on, result.response.days_since_start) == (START + dt.timedelta(4), 4)
    assert result.response.doses_before == 2  # scored before that day's dose
    assert result.remission is not None
    assert (result.remission.days_since_start, result.remission.doses_before) == (14, 6)


def test_sustained_remission_needs_two_scores_four_weeks_apart() -> None:
    short = assess_outcomes(
        [phq9(0, 20), phq9(14, 4), phq9(41, 3)], scale=PHQ9, treatment_start=START
    )
    assert short.sustained_remission is None
    sustained = assess_outcomes(
        [phq9(0, 20), phq9(14, 4), phq9(28, 2), phq9(42, 3)], scale=PHQ9, treatment_start=START
    )
    assert sustained.sustained_remission is not None
    assert sustained.sustained_remission.starts_on == START + dt.timedelta(14)
    assert sustained.sustained_remission.ends_on == START + dt.timedelta(42)
    assert sustained.sustained_remission.scores == 3
    assert sustained.sustained_remission.ongoing


def test_a_score_out_of_remission_breaks_the_run() -> None:
    result = assess_outcomes(
        [phq9(0, 20), phq9(14, 4), phq9(28, 7), phq9(42, 3)], scale=PHQ9, treatment_start=START
    )
    assert result.sustained_remission is None


def test_sustained_remission_rule_is_configurable() -> None:
    overrides = {"outcomes.sustained_remission_min_weeks": 2}
    result = assess_outcomes(
        [phq9(0, 20), phq9(14, 4), phq9(28, 3), phq9(35, 9)],
        scale=PHQ9,
        treatment_start=START,
        overrides=overrides,
    )
    assert result.sustained_remission is not None
    assert not result.sustained_remission.ongoing


# -- loss of response and relapse -------------------------------------------------------------


def test_two_non_response_scores_after_a_response_are_a_loss_of_response() -> None:
    scores = [phq9(0, 20), phq9(7, 8), phq9(21, 12), phq9(42, 13)]  # 21 days: not SUSTAIN-1
    result = assess_outcomes(scores, scale=PHQ9, treatment_start=START)
    (event,) = result.worsenings
    assert event.kind is WorseningKind.LOSS_OF_RESPONSE
    assert event.on == START + dt.timedelta(21)


def test_losing_response_after_remission_is_a_relapse() -> None:
    scores = [phq9(0, 20), phq9(7, 3), phq9(21, 14), phq9(28, 15)]
    (event,) = assess_outcomes(scores, scale=PHQ9, treatment_start=START).worsenings
    assert event.kind is WorseningKind.RELAPSE


def test_one_bad_score_is_not_yet_a_loss_of_response() -> None:
    scores = [phq9(0, 20), phq9(7, 8), phq9(21, 12), phq9(28, 7)]
    assert assess_outcomes(scores, scale=PHQ9, treatment_start=START).worsenings == ()
    overrides = {"outcomes.loss_of_response_consecutive_scores": 1}
    result = assess_outcomes(scores, scale=PHQ9, treatment_start=START, overrides=overrides)
    assert len(result.worsenings) == 1


def test_no_loss_of_response_without_a_response_first() -> None:
    scores = [phq9(0, 20), phq9(7, 14), phq9(14, 18), phq9(21, 19)]
    assert assess_outcomes(scores, scale=PHQ9, treatment_start=START).worsenings == ()


def test_the_loss_of_response_rule_is_labelled_a_convention() -> None:
    result = assess_outcomes([phq9(0, 20)], scale=PHQ9, treatment_start=START)
    assert Confidence.UNCERTAIN in {e.confidence for e in result.evidence}


# -- input checks -----------------------------------------------------------------------------


def test_a_zero_baseline_leaves_percentages_undefined() -> None:
    result = assess_outcomes([phq9(0, 0), phq9(7, 2)], scale=PHQ9, treatment_start=START)
    assert result.points[0].reduction_percent is None
    assert result.points[0].level is None
    assert result.points[0].in_remission
    assert "percentage change is undefined" in result.notes[0]


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([Score("madrs", START, Decimal(30))], "madrs score was given with the phq9 scale"),
        ([phq9(0, 28)], "outside 0–27"),
    ],
)
def test_mismatched_or_out_of_range_scores_are_refused(scores: list[Score], message: str) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        assess_outcomes(scores, scale=PHQ9, treatment_start=START)


def test_partial_response_must_be_a_smaller_drop_than_response() -> None:
    scale = ScoreScale("phq9", Decimal(27), Decimal(4), response_min_percent_drop=Decimal(40))
    with pytest.raises(ClinicalInputError, match="smaller drop than response"):
        assess_outcomes(
            [phq9(0, 20)],
            scale=scale,
            treatment_start=START,
            overrides={"outcomes.partial_response_min_reduction_percent": 45},
        )


def test_a_scale_with_an_impossible_remission_threshold_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="remission threshold"):
        ScoreScale("phq9", Decimal(27), Decimal(30), response_min_percent_drop=Decimal(50))


@settings(max_examples=200)
@given(baseline=st.integers(1, 27), totals=st.lists(st.integers(0, 27), min_size=1, max_size=8))
def test_response_means_at_least_half_the_baseline_and_remission_means_below_five(
    baseline: int, totals: list[int]
) -> None:
    scores = [phq9(0, baseline)] + [phq9(7 * (i + 1), t) for i, t in enumerate(totals)]
    result = assess_outcomes(scores, scale=PHQ9, treatment_start=START)
    for point, total in zip(result.points, totals, strict=True):
        assert (point.level is ResponseLevel.RESPONSE) == (2 * (baseline - total) >= baseline)
        assert point.in_remission == (total < 5)
        assert point.reduction_percent == reduction_percent(Decimal(baseline), Decimal(total))
    if result.response is not None:
        assert result.response.total * 2 <= baseline


# -- booster suggestion -----------------------------------------------------------------------

SERIES_END = START + dt.timedelta(days=12)


def booster(scores: list[Score], **kwargs: object) -> BoosterSuggestion:
    arguments: dict[str, object] = {
        "scale": PHQ9,
        "nadir_since": SERIES_END,
        "today": START + dt.timedelta(days=60),
        "responded": True,
        **kwargs,
    }
    return suggest_booster(scores, **arguments)  # type: ignore[arg-type]


def test_a_rise_of_five_points_from_the_post_series_low_suggests_a_booster() -> None:
    suggestion = booster([phq9(14, 4), phq9(28, 6), phq9(42, 9)])
    assert suggestion.suggested
    (trigger,) = suggestion.triggers
    assert trigger.code == "SCORE_ROSE_FROM_NADIR"
    assert trigger.evidence.confidence is Confidence.UNCERTAIN
    assert "a prescriber decides" in suggestion.message
    assert "not evidence-based" in suggestion.message
    assert suggestion.decided_by == "prescriber"


def test_returning_to_ten_after_a_lower_score_suggests_a_booster() -> None:
    suggestion = booster([phq9(14, 6), phq9(42, 10)])
    assert [t.code for t in suggestion.triggers] == ["SCORE_RETURNED_ABOVE_LEVEL"]


def test_a_small_rise_suggests_nothing_but_leaves_the_prescriber_free_to_act() -> None:
    suggestion = booster([phq9(14, 4), phq9(42, 8)])
    assert not suggestion.suggested
    assert "a prescriber may still decide" in suggestion.message


def test_a_patient_who_never_got_below_ten_does_not_return_to_ten() -> None:
    suggestion = booster([phq9(14, 12), phq9(42, 14)])
    assert not suggestion.suggested


def test_scores_before_the_end_of_the_series_do_not_set_the_low() -> None:
    suggestion = booster([phq9(10, 2), phq9(14, 5), phq9(42, 8)])
    assert not suggestion.suggested
    assert suggestion.nadir == phq9(14, 5)


def test_booster_triggers_are_configurable() -> None:
    overrides = {"outcomes.booster.phq9.rise_from_nadir_points": 3}
    assert booster([phq9(14, 4), phq9(42, 7)], overrides=overrides).suggested


def test_days_since_the_last_dose_can_trigger_a_booster_when_the_clinic_turns_it_on() -> None:
    last = START + dt.timedelta(days=20)
    assert not booster([phq9(14, 4)], last_dose_on=last).suggested
    overrides = {"outcomes.booster_days_since_last_dose": 28}
    suggestion = booster([phq9(14, 4)], last_dose_on=last, overrides=overrides)
    assert [t.code for t in suggestion.triggers] == ["DAYS_SINCE_LAST_DOSE"]


def test_a_switch_to_madrs_uses_madrs_thresholds_not_phq9_points() -> None:
    def madrs(*points: tuple[int, int]) -> list[Score]:
        return [Score("madrs", SERIES_END + dt.timedelta(d), Decimal(t)) for d, t in points]

    # a 6-point rise would fire PHQ-9's trigger; MADRS needs 8, or a return to 22
    assert not booster(madrs((2, 8), (30, 14)), scale=MADRS).suggested
    assert booster(madrs((2, 8), (30, 16)), scale=MADRS).suggested
    assert [t.code for t in booster(madrs((2, 15), (30, 22)), scale=MADRS).triggers] == [
        "SCORE_RETURNED_ABOVE_LEVEL"
    ]


def test_an_instrument_without_booster_points_suggests_none_and_says_so() -> None:
    scores = [Score("gad7", SERIES_END + dt.timedelta(2), Decimal(3)),
              Score("gad7", SERIES_END + dt.timedelta(30), Decimal(15))]  # fmt: skip
    suggestion = booster(scores, scale=GAD7)
    assert not suggestion.suggested
    assert "no booster point triggers are set for gad7" in suggestion.message


def test_a_patient_who_did_not_respond_is_not_suggested_a_booster() -> None:
    suggestion = booster([phq9(14, 12), phq9(42, 19)], responded=False)
    assert not suggestion.suggested and suggestion.triggers == ()
    assert "did not respond" in suggestion.message


def test_future_dated_scores_are_refused() -> None:
    with pytest.raises(ClinicalInputError, match="after today"):
        booster([phq9(90, 4)])


# -- safety escalation ------------------------------------------------------------------------


def test_a_positive_phq9_item9_reaches_the_prescriber_and_director_the_same_day() -> None:
    (escalation,) = escalate(["phq9_item9_positive"])
    assert escalation.urgency is Urgency.SAME_DAY
    assert escalation.notify == ("prescriber", "medical_director")
    assert "suicide-risk screen" in escalation.action
    assert escalation.evidence.confidence is Confidence.SECONDARY


def test_high_suicide_risk_is_immediate_and_listed_first() -> None:
    result = escalate(["phq9_item9_positive", "suicide_screen_high_risk"])
    assert [e.flag for e in result] == ["suicide_screen_high_risk", "phq9_item9_positive"]
    assert result[0].urgency is Urgency.IMMEDIATE
    assert result[0].notify == ("prescriber", "medical_director", "on_call_clinician")


@pytest.mark.parametrize(
    "flag", ["qids_item12_positive", "madrs_item10_positive", "hamd17_item3_positive"]
)
def test_every_scales_suicide_item_escalates_like_phq9_item9(flag: str) -> None:
    (escalation,) = escalate([flag])
    assert escalation.urgency is Urgency.SAME_DAY


def test_an_unresponsive_patient_is_an_immediate_escalation() -> None:
    (escalation,) = escalate(["moaas_unresponsive"])
    assert escalation.urgency is Urgency.IMMEDIATE
    assert "nurse" in escalation.notify


def test_an_unknown_flag_is_never_dropped() -> None:
    (escalation,) = escalate(["new_scale_item4_positive"])
    assert escalation.urgency is Urgency.SAME_DAY
    assert escalation.action.startswith("new_scale_item4_positive: ")


def test_who_and_how_fast_are_clinic_settings() -> None:
    overrides = {
        "outcomes.escalation.suicide_item_positive.urgency": "immediate",
        "outcomes.escalation.suicide_item_positive.notify": "prescriber, treating_therapist",
    }
    (escalation,) = escalate(["phq9_item9_positive"], overrides)
    assert escalation.urgency is Urgency.IMMEDIATE
    assert escalation.notify == ("prescriber", "treating_therapist")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"outcomes.escalation.default.notify": "janitor"}, "janitor"),
        ({"outcomes.escalation.default.notify": " , "}, "no role"),
        ({"outcomes.escalation.default.urgency": "whenever"}, "not one of"),
    ],
)
def test_bad_escalation_settings_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ClinicalInputError, match=message):
        escalate(["something_new"], overrides)


@given(st.lists(st.sampled_from(["phq9_item9_positive", "moaas_unresponsive", "x", "y"])))
def test_escalation_returns_one_entry_per_distinct_flag(flags: list[str]) -> None:
    result = escalate(flags)
    assert sorted(e.flag for e in result) == sorted(set(flags))
    ranks = [list(Urgency).index(e.urgency) for e in result]
    assert ranks == sorted(ranks)


@pytest.mark.parametrize(
    ("flag", "value", "urgency"),
    [
        ("phq9_item9_positive", 1, Urgency.SAME_DAY),
        ("phq9_item9_positive", 2, Urgency.SAME_DAY),
        ("phq9_item9_positive", 3, Urgency.IMMEDIATE),
        ("qids_item12_positive", 3, Urgency.IMMEDIATE),
        ("madrs_item10_positive", 3, Urgency.SAME_DAY),
        ("madrs_item10_positive", 4, Urgency.IMMEDIATE),
        ("hamd17_item3_positive", 3, Urgency.IMMEDIATE),
    ],
)
def test_the_urgency_of_a_suicide_item_scales_with_its_answer(
    flag: str, value: int, urgency: Urgency
) -> None:
    assert escalate_flag(flag, value).urgency is urgency


def test_the_highest_answer_is_immediate_even_when_the_clinic_sets_next_visit() -> None:
    lowered = {"outcomes.escalation.suicide_item_positive.urgency": "next_visit"}
    assert escalate_flag("phq9_item9_positive", 1, lowered).urgency is Urgency.NEXT_VISIT
    assert escalate_flag("phq9_item9_positive", 3, lowered).urgency is Urgency.IMMEDIATE


@pytest.mark.parametrize(
    ("level", "disposition", "allowed"),
    [
        (None, Disposition.PROCEED_WITH_SAFETY_PLAN, False),
        (0, Disposition.PROCEED_WITH_SAFETY_PLAN, True),
        (2, Disposition.PROCEED_WITH_SAFETY_PLAN, True),
        (2, Disposition.SAME_DAY_EVALUATION, True),
        (3, Disposition.PROCEED_WITH_SAFETY_PLAN, False),
        (3, Disposition.SAME_DAY_EVALUATION, False),
        (3, Disposition.EMERGENCY_REFERRAL, True),
    ],
)
def test_a_disposition_needs_a_screen_and_a_high_risk_screen_an_emergency_referral(
    level: int | None, disposition: Disposition, allowed: bool
) -> None:
    assert (disposition_problems(level, disposition) == []) is allowed


def test_only_proceeding_with_a_safety_plan_releases_the_dose() -> None:
    assert [d for d in Disposition if dose_may_proceed(d)] == [Disposition.PROCEED_WITH_SAFETY_PLAN]


# -- relapse (SUSTAIN-1) --------------------------------------------------------------------------


def _assess(scores: list[Score], **kwargs: object) -> Any:
    return assess_outcomes(scores, scale=PHQ9, treatment_start=START, **kwargs)  # type: ignore[arg-type]


def test_a_remitter_back_at_10_10_10_is_a_relapse_candidate() -> None:
    """Baseline 20: a 10 is still a 50 % drop (a response), yet back at moderate depression."""
    result = _assess([phq9(0, 20), phq9(14, 3), phq9(28, 10), phq9(35, 10), phq9(42, 10)])
    relapses = [w for w in result.worsenings if w.kind is WorseningKind.RELAPSE]
    assert [w.on for w in relapses] == [START + dt.timedelta(days=28)]
    assert len(result.worsenings) == 1
    assert "10 and 10 (7 days apart) at or above 10" in relapses[0].message


def test_the_two_scores_must_be_5_to_15_days_apart() -> None:
    # from a baseline of 24, a 12 is still a response: only the relapse rule could fire
    too_close = _assess([phq9(0, 24), phq9(14, 3), phq9(28, 12), phq9(31, 12)])
    too_far = _assess([phq9(0, 24), phq9(14, 3), phq9(28, 12), phq9(50, 12)])
    for result in (too_close, too_far):
        assert not [w for w in result.worsenings if w.kind is WorseningKind.RELAPSE]


def test_no_relapse_without_a_response_first() -> None:
    result = _assess([phq9(0, 20), phq9(14, 15), phq9(28, 16), phq9(35, 16)])
    assert result.worsenings == ()


def test_a_hospitalisation_or_suicide_attempt_after_a_response_is_a_relapse() -> None:
    event = ClinicalEvent(EventKind.SUICIDE_ATTEMPT, START + dt.timedelta(days=30))
    result = _assess([phq9(0, 20), phq9(14, 6)], events=[event])
    (relapse,) = result.worsenings
    assert relapse.kind is WorseningKind.RELAPSE and relapse.on == event.on
    before = ClinicalEvent(EventKind.HOSPITALISATION, START + dt.timedelta(days=3))
    assert _assess([phq9(0, 20), phq9(14, 6)], events=[before]).worsenings == ()


def test_the_relapse_level_is_configurable_per_instrument() -> None:
    scores = [phq9(0, 20), phq9(14, 3), phq9(28, 8), phq9(35, 8)]
    assert not [w for w in _assess(scores).worsenings if w.kind is WorseningKind.RELAPSE]
    lowered = {"outcomes.relapse_at_or_above.phq9": 8}
    assert [w.kind for w in _assess(scores, overrides=lowered).worsenings] == [
        WorseningKind.RELAPSE
    ]
