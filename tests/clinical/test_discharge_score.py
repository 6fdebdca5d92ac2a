"""The discharge score (modified PADSS or Aldrete), item by item, and its place in readiness."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import (
    SCORES,
    Criterion,
    DischargeCharting,
    DischargeFacts,
    ScoredCheck,
    ScoreItem,
    ScoreSystem,
    VitalSigns,
    evaluate_discharge,
    score_discharge,
)
from remission.clinical.monitoring.discharge_score import (
    DISCHARGE_PASS_MARK,
    DISCHARGE_SCORE,
    deviation_points,
    spo2_points,
)
from remission.clinical.protocols import get_protocol

START = dt.datetime(2026, 12, 2, 9, 10, tzinfo=dt.UTC)
PLAN = get_protocol("esketamine-induction").monitoring_plan()
ALDRETE = {DISCHARGE_SCORE.key: "aldrete"}


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def reading(
    systolic: int = 130, diastolic: int = 80, hr: int | None = 70, spo2: int | None = 98
) -> VitalSigns:
    return VitalSigns(
        measured_at=at(120),
        systolic_mmhg=systolic,
        diastolic_mmhg=diastolic,
        heart_rate_bpm=hr,
        spo2_percent=spo2,
        respiratory_rate_per_min=14,
    )


BASELINE = VitalSigns(
    measured_at=at(-10), systolic_mmhg=130, diastolic_mmhg=80, heart_rate_bpm=70, spo2_percent=98
)
PADSS_FULL = {"ambulation": 2, "nausea_vomiting": 2, "pain": 2, "bleeding": 2}
ALDRETE_FULL = {"activity": 2, "respiration": 2, "consciousness": 2}


def charted(points: dict[str, int], **checks: bool) -> DischargeCharting:
    values = {"oriented": True, "escort_present": True, "driving_advice_given": True} | checks
    return DischargeCharting(charted_at=at(120), points=points, **values)  # type: ignore[arg-type]


def points_of(score: object) -> dict[str, int | None]:
    return {i.item.value: i.points for i in score.items}  # type: ignore[attr-defined]


# --- the two scores -------------------------------------------------------------------------------


def test_both_scores_have_five_items_of_two_points_and_ten_in_all() -> None:
    assert {s.system for s in SCORES.values()} == set(ScoreSystem)
    for definition in SCORES.values():
        assert len(definition.items) == 5
        assert definition.maximum == 10
        assert all(len(d.levels) == 3 for d in definition.items)


def test_padss_computes_vital_signs_and_the_nurse_charts_the_rest() -> None:
    score = score_discharge(charted(PADSS_FULL), latest=reading(), baseline=BASELINE)
    assert score.system is ScoreSystem.PADSS
    assert points_of(score) == {
        "vital_signs": 2,
        "ambulation": 2,
        "nausea_vomiting": 2,
        "pain": 2,
        "bleeding": 2,
    }
    assert score.total == 10 and score.passed
    assert [i.item for i in score.items if i.computed] == [ScoreItem.VITAL_SIGNS]


def test_aldrete_computes_circulation_and_spo2_when_the_clinic_chooses_it() -> None:
    score = score_discharge(
        charted(ALDRETE_FULL), latest=reading(), baseline=BASELINE, overrides=ALDRETE
    )
    assert score.system is ScoreSystem.ALDRETE
    assert points_of(score) == {
        "activity": 2,
        "respiration": 2,
        "circulation": 2,
        "consciousness": 2,
        "spo2": 2,
    }
    assert {i.item for i in score.items if i.computed} == {ScoreItem.CIRCULATION, ScoreItem.SPO2}


def test_the_default_score_is_padss_passing_at_nine_and_the_pass_mark_is_bounded() -> None:
    assert registry.resolve(DISCHARGE_SCORE.key) == "padss"
    assert registry.resolve(DISCHARGE_PASS_MARK.key) == 9
    for bad in (7, 11, "9.5"):
        with pytest.raises(ClinicalInputError):
            registry.validate_overrides({DISCHARGE_PASS_MARK.key: bad})
    with pytest.raises(ClinicalInputError, match="not one of padss, aldrete"):
        registry.validate_overrides({DISCHARGE_SCORE.key: "steward"})


# --- computed items: boundaries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "hr", "points"),
    [
        (156, 80, 70, 2),  # +20.0 % systolic: within 20 %
        (157, 80, 70, 1),  # +20.8 %
        (104, 80, 70, 2),  # −20.0 %
        (103, 80, 70, 1),  # −20.8 %
        (182, 80, 70, 1),  # +40.0 %
        (183, 80, 70, 0),  # +40.8 %
        (130, 48, 70, 1),  # diastolic −40.0 %
        (130, 47, 70, 0),  # diastolic −41.3 %
        (130, 80, 84, 2),  # heart rate +20.0 %
        (130, 80, 85, 1),  # heart rate +21.4 %
        (130, 80, 99, 0),  # heart rate +41.4 %
    ],
)
def test_padss_vital_signs_score_the_worst_deviation_from_the_pre_dose_values(
    systolic: int, diastolic: int, hr: int, points: int
) -> None:
    found, _ = deviation_points(ScoreItem.VITAL_SIGNS, reading(systolic, diastolic, hr), BASELINE)
    assert found == points


@pytest.mark.parametrize(
    ("systolic", "diastolic", "points"),
    [
        (156, 80, 2),
        (157, 80, 1),
        (195, 80, 1),  # +50.0 %
        (196, 80, 0),  # +50.8 %
        (130, 40, 1),  # −50.0 %
        (130, 39, 0),
    ],
)
def test_aldrete_circulation_scores_bp_against_the_pre_dose_level(
    systolic: int, diastolic: int, points: int
) -> None:
    found, _ = deviation_points(ScoreItem.CIRCULATION, reading(systolic, diastolic), BASELINE)
    assert found == points


def test_aldrete_circulation_ignores_heart_rate() -> None:
    found, _ = deviation_points(ScoreItem.CIRCULATION, reading(hr=120), BASELINE)
    assert found == 2


@pytest.mark.parametrize(
    ("spo2", "oxygen", "points"),
    [(93, False, 2), (92, False, 1), (90, False, 1), (89, False, 0), (97, True, 1), (89, True, 0)],
)
def test_aldrete_spo2_is_two_only_above_92_on_room_air(
    spo2: int, oxygen: bool, points: int
) -> None:
    assert spo2_points(spo2, oxygen) == points


def test_computed_items_without_the_readings_they_need_are_missing_and_say_why() -> None:
    no_baseline = score_discharge(charted(PADSS_FULL), latest=reading(), baseline=None)
    assert no_baseline.missing[0].description == "no pre-dose vital signs to compare with"
    assert not no_baseline.passed
    no_vitals = score_discharge(charted(PADSS_FULL), latest=None, baseline=BASELINE)
    assert no_vitals.missing[0].description == "no vital signs since the dose"
    no_spo2 = score_discharge(
        charted(ALDRETE_FULL), latest=reading(spo2=None), baseline=BASELINE, overrides=ALDRETE
    )
    assert [i.item for i in no_spo2.missing] == [ScoreItem.SPO2]


# --- charted items ----------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["ambulation", "nausea_vomiting", "pain", "bleeding"])
@pytest.mark.parametrize("points", [0, 1, 2])
def test_each_charted_padss_item_scores_what_the_nurse_charted(item: str, points: int) -> None:
    score = score_discharge(
        charted(PADSS_FULL | {item: points}), latest=reading(), baseline=BASELINE
    )
    (scored,) = [i for i in score.items if i.item == item]
    assert scored.points == points
    assert (
        scored.description
        == SCORES[ScoreSystem.PADSS]
        .items[[d.item for d in SCORES[ScoreSystem.PADSS].items].index(ScoreItem(item))]
        .levels[points]
    )
    assert score.total == 8 + points


def test_charting_refuses_out_of_range_unknown_and_computed_items() -> None:
    for bad in (3, -1, True, "2"):
        with pytest.raises(ClinicalInputError, match="must be 0, 1 or 2"):
            charted({"pain": bad})  # type: ignore[dict-item]
    with pytest.raises(ClinicalInputError, match="unknown discharge score item"):
        charted({"mood": 2})
    with pytest.raises(ClinicalInputError, match="computed from the charted vital signs"):
        charted({"vital_signs": 2})
    with pytest.raises(ClinicalInputError, match="naive"):
        DischargeCharting(charted_at=dt.datetime(2026, 12, 2, 11, 0))


def test_an_item_not_charted_leaves_the_score_incomplete_and_not_passed() -> None:
    score = score_discharge(charted({"ambulation": 2}), latest=reading(), baseline=BASELINE)
    assert [i.item.value for i in score.missing] == ["nausea_vomiting", "pain", "bleeding"]
    assert not score.passed


# --- properties -------------------------------------------------------------------------------------

_points = st.integers(0, 2)


@settings(max_examples=200, deadline=None)
@given(
    system=st.sampled_from(list(ScoreSystem)),
    charted_points=st.lists(_points, min_size=4, max_size=4),
    systolic=st.integers(70, 200),
    hr=st.integers(40, 140),
    spo2=st.integers(85, 100),
    pass_mark=st.integers(8, 10),
)
def test_the_score_is_the_sum_of_its_items_and_passes_exactly_at_the_pass_mark(
    system: ScoreSystem,
    charted_points: list[int],
    systolic: int,
    hr: int,
    spo2: int,
    pass_mark: int,
) -> None:
    definition = SCORES[system]
    points = {
        d.item.value: p for d, p in zip(definition.charted_items, charted_points, strict=False)
    }
    overrides = {DISCHARGE_SCORE.key: system.value, DISCHARGE_PASS_MARK.key: pass_mark}
    score = score_discharge(
        charted(points),
        latest=reading(systolic, 60, hr, spo2),
        baseline=BASELINE,
        overrides=overrides,
    )
    assert not score.missing
    assert score.total == sum(i.points for i in score.items if i.points is not None)
    assert 0 <= score.total <= score.maximum == 10
    assert score.passed == (score.total >= pass_mark)
    if pass_mark >= 9 and any(i.points == 0 for i in score.items):
        assert not score.passed  # arithmetic, not a separate rule: 0 + 4 × 2 = 8 < 9


def test_a_single_zero_is_not_disqualifying_by_itself_at_a_pass_mark_of_eight() -> None:
    """Neither PADSS nor Aldrete makes one 0 a fail on its own (only the total counts)."""
    score = score_discharge(
        charted(PADSS_FULL | {"pain": 0}),
        latest=reading(),
        baseline=BASELINE,
        overrides={DISCHARGE_PASS_MARK.key: 8},
    )
    assert score.total == 8 and score.passed


# --- the score in the one readiness answer ----------------------------------------------------------


def facts(charting: DischargeCharting | None, latest: VitalSigns | None = None) -> DischargeFacts:
    return DischargeFacts(
        plan=PLAN,
        dose_started_at=START,
        now=at(125),
        baseline=BASELINE,
        vitals=[latest or reading()],
        moaas=[ScoredCheck(at(110), 5)],
        cadss6=[ScoredCheck(at(110), 0)],
        escort_arranged=True,
        charting=charting,
    )


def test_a_full_score_with_every_ketamine_check_is_ready_and_carries_the_score() -> None:
    assessment = evaluate_discharge(facts(charted(PADSS_FULL)))
    assert assessment.ready
    assert assessment.score is not None and assessment.score.total == 10
    assert "modified PADSS 10 of 10 (pass mark 9)" in [c.reason for c in assessment.criteria]


def test_a_low_score_lists_the_total_and_every_item_below_full_marks() -> None:
    assessment = evaluate_discharge(facts(charted(PADSS_FULL | {"ambulation": 1, "pain": 1})))
    assert not assessment.ready
    assert assessment.reasons == [
        "modified PADSS 8 of 10 (needs ≥ 9)",
        "modified PADSS ambulation 1 of 2: walks with assistance",
        "modified PADSS pain 1 of 2: moderate (NRS 4–6)",
    ]


def test_every_missing_item_and_check_is_its_own_reason() -> None:
    assessment = evaluate_discharge(facts(None))
    assert assessment.reasons == [
        "orientation (person, place, time) not confirmed at discharge",
        "modified PADSS ambulation: not charted",
        "modified PADSS nausea and vomiting: not charted",
        "modified PADSS pain: not charted",
        "modified PADSS bleeding (cannula site): not charted",
        "escort arranged before the dose but not confirmed present at discharge",
        "advice not to drive until the next day after restful sleep not recorded",
    ]


def test_a_hypotensive_reading_that_the_score_would_pass_is_still_refused_by_the_vitals() -> None:
    """86/56 against 130/80 is a 34 % fall: PADSS vital signs 1, total 9 (a pass); the vitals
    criterion (absolute hypotension limit, 20 % band) refuses it."""
    assessment = evaluate_discharge(facts(charted(PADSS_FULL), reading(86, 56, 70)))
    assert assessment.score is not None and assessment.score.passed
    assert [c.criterion for c in assessment.criteria if not c.met] == [Criterion.VITALS]
    assert not assessment.ready
    assert "Systolic BP 86 mmHg is below 90 mmHg" in assessment.reasons[0]


def test_a_fall_of_more_than_40_percent_fails_the_score_too() -> None:
    assessment = evaluate_discharge(facts(charted(PADSS_FULL), reading(76, 50, 70)))
    assert "modified PADSS vital signs 0 of 2: systolic BP 76 vs pre-dose 130 (42 %)" in (
        assessment.reasons
    )


def test_an_assessment_charted_before_the_dose_does_not_count() -> None:
    early = DischargeCharting(
        charted_at=at(-5),
        points=PADSS_FULL,
        oriented=True,
        escort_present=True,
        driving_advice_given=True,
    )
    assert not evaluate_discharge(facts(early)).ready
    with pytest.raises(ClinicalInputError, match="after now"):
        evaluate_discharge(facts(DischargeCharting(charted_at=at(130), points=PADSS_FULL)))
