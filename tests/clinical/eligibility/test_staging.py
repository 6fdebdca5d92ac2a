"""Eligibility: treatment resistance and the Maudsley Staging Method (``staging``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from remission.clinical.eligibility import (
    Adherence,
    AntidepressantTrial,
    BaselineSeverity,
    MaudsleyStaging,
    MsmBand,
    TreatmentResistance,
    TrialOutcome,
    assess_treatment_resistance,
    stage_maudsley,
)
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from tests.clinical.eligibility.eligibility_intakes import failed_trial

# --- Treatment resistance --------------------------------------------------------------------


def resistance(
    *trials: AntidepressantTrial, overrides: dict[str, object] | None = None
) -> TreatmentResistance:
    return assess_treatment_resistance(
        trials,
        ect_used_in_current_episode=False,
        current_episode_months=10,
        baseline_severity=BaselineSeverity.MODERATE,
        overrides=overrides,
    )


@pytest.mark.parametrize(
    ("changes", "counted", "why"),
    [
        ({}, True, "counted"),
        ({"duration_weeks": Decimal(6)}, True, "counted"),
        ({"duration_weeks": Decimal("5.9")}, False, "5.9 weeks is under 6"),
        ({"adequate_dose": False}, False, "dose not adequate"),
        ({"adherence": Adherence.PARTIAL}, True, "counted"),
        ({"adherence": Adherence.POOR}, False, "adherence poor"),
        ({"current_episode": False}, False, "not in the current episode"),
        ({"outcome": TrialOutcome.PARTIAL}, False, "outcome partial is not a failure"),
        ({"outcome": TrialOutcome.RESPONSE}, False, "outcome response is not a failure"),
        ({"outcome": TrialOutcome.REMISSION}, False, "outcome remission is not a failure"),
        ({"outcome": TrialOutcome.INTOLERANCE}, False, "outcome intolerance is not a failure"),
    ],
)
def test_a_trial_counts_only_if_adequate_in_dose_duration_adherence_episode_and_failed(
    changes, counted, why
):
    result = resistance(failed_trial(**changes))
    [trial] = result.trials
    assert trial.counts_as_failure is counted
    assert why in trial.explanation
    assert result.failed_adequate_trials == int(counted)


def test_trial_explanation_lists_every_shortfall():
    [trial] = resistance(
        failed_trial(adequate_dose=False, duration_weeks=Decimal(2), current_episode=False)
    ).trials
    assert trial.explanation == (
        "not counted: dose not adequate; 2 weeks is under 6; not in the current episode"
    )


@pytest.mark.parametrize(("failures", "resistant"), [(0, False), (1, False), (2, True), (3, True)])
def test_trd_is_two_or_more_adequate_failed_trials(failures, resistant):
    result = resistance(*[failed_trial(f"drug {i}") for i in range(failures)])
    assert result.failed_adequate_trials == failures
    assert result.is_treatment_resistant is resistant
    assert result.minimum_failed_trials == 2


def test_clinic_may_require_more_failed_trials_for_trd():
    two = [failed_trial("a"), failed_trial("b")]
    assert not resistance(
        *two, overrides={"eligibility.trd_minimum_failed_trials": 3}
    ).is_treatment_resistant


def test_athf_style_four_week_minimum_is_a_setting():
    short = failed_trial(duration_weeks=Decimal(4))
    assert resistance(short).failed_adequate_trials == 0
    overrides = {"eligibility.trd_adequate_trial_minimum_weeks": 4}
    assert resistance(short, overrides=overrides).failed_adequate_trials == 1
    assert any("ATHF" in note for note in resistance(short).notes)


def test_partial_response_is_reported_but_counts_only_when_the_clinic_says_so():
    partial = (failed_trial("a", outcome=TrialOutcome.PARTIAL), failed_trial("b"))
    default = resistance(*partial)
    assert default.failed_adequate_trials == 1
    assert default.adequate_trials_with_partial_response == 1
    assert any("partial response" in note for note in default.notes)
    counted = resistance(
        *partial, overrides={"eligibility.trd_partial_response_counts_as_failure": True}
    )
    assert counted.failed_adequate_trials == 2
    assert counted.is_treatment_resistant


def test_trd_rule_and_sources_are_part_of_the_record():
    result = resistance(failed_trial())
    assert "at least 2 adequate trials" in result.rule
    assert "at least 6 weeks" in result.rule
    confidences = {e.confidence for e in result.evidence}
    assert Confidence.PRIMARY in confidences
    assert Confidence.RECALLED in confidences


def test_no_failed_trial_means_no_maudsley_stage_and_says_why():
    result = resistance(failed_trial(outcome=TrialOutcome.RESPONSE))
    assert result.maudsley is None
    assert result.maudsley_not_staged_reason is not None
    assert "at least one failed" in result.maudsley_not_staged_reason


def test_maudsley_stage_uses_the_counted_failures_and_current_episode_augmentation():
    result = assess_treatment_resistance(
        (
            failed_trial("a"),
            failed_trial("b", augmentation=True),
            failed_trial("c", current_episode=False, augmentation=True),
        ),
        ect_used_in_current_episode=True,
        current_episode_months=30,
        baseline_severity=BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS,
    )
    staging = result.maudsley
    assert staging is not None
    assert result.maudsley_not_staged_reason is None
    assert [p.points for p in staging.parts] == [3, 4, 1, 1, 1]
    assert staging.total == 10
    assert staging.band is MsmBand.MODERATE


def test_augmentation_in_a_previous_episode_does_not_score():
    result = resistance(
        failed_trial("a"), failed_trial("b", current_episode=False, augmentation=True)
    )
    assert result.maudsley is not None
    assert result.maudsley.augmentation.points == 0


# --- Maudsley Staging Method -----------------------------------------------------------------


def stage(**changes: Any) -> MaudsleyStaging:
    arguments: dict[str, Any] = {
        "current_episode_months": 6,
        "baseline_severity": BaselineSeverity.SUBSYNDROMAL,
        "failed_antidepressant_trials": 1,
        "augmentation_used": False,
        "ect_used": False,
    }
    arguments.update(changes)
    return stage_maudsley(**arguments)


@pytest.mark.parametrize(
    ("months", "points"), [(0, 1), (12, 1), (13, 2), (24, 2), (25, 3), (240, 3)]
)
def test_msm_duration_acute_up_to_12_months_subacute_to_24_chronic_beyond(months, points):
    part = stage(current_episode_months=months).duration
    assert part.points == points
    assert part.finding == f"{months} months"


@pytest.mark.parametrize(
    ("severity", "points"),
    [
        (BaselineSeverity.SUBSYNDROMAL, 1),
        (BaselineSeverity.MILD, 2),
        (BaselineSeverity.MODERATE, 3),
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, 4),
        (BaselineSeverity.SEVERE_WITH_PSYCHOSIS, 5),
    ],
)
def test_msm_severity_scores_1_to_5(severity, points):
    assert stage(baseline_severity=severity).severity.points == points


@pytest.mark.parametrize(
    ("failures", "points"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (10, 4), (11, 5), (30, 5)],
)
def test_msm_antidepressant_failure_levels(failures, points):
    part = stage(failed_antidepressant_trials=failures).antidepressant_failures
    assert part.points == points
    assert part.rule.startswith(f"level {points}:")


def test_msm_treatment_failure_levels_are_marked_recalled_not_checked():
    staging = stage()
    for part in (staging.antidepressant_failures, staging.augmentation, staging.ect):
        assert part.evidence.confidence is Confidence.RECALLED
    for part in (staging.duration, staging.severity):
        assert part.evidence.confidence is Confidence.PRIMARY


@pytest.mark.parametrize("used", [False, True])
def test_msm_augmentation_and_ect_score_one_point_each_when_used(used):
    staging = stage(augmentation_used=used, ect_used=used)
    assert staging.augmentation.points == int(used)
    assert staging.ect.points == int(used)


def test_msm_minimum_total_is_3_and_maximum_15():
    assert stage().total == 3
    highest = stage(
        current_episode_months=36,
        baseline_severity=BaselineSeverity.SEVERE_WITH_PSYCHOSIS,
        failed_antidepressant_trials=11,
        augmentation_used=True,
        ect_used=True,
    )
    assert highest.total == 15
    assert highest.band is MsmBand.SEVERE


@pytest.mark.parametrize(
    ("severity", "ect", "total", "band"),
    [
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, False, 6, MsmBand.MILD),
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, True, 7, MsmBand.MODERATE),
    ],
)
def test_msm_band_boundary_between_mild_and_moderate(severity, ect, total, band):
    staging = stage(baseline_severity=severity, ect_used=ect)
    assert (staging.total, staging.band) == (total, band)


@pytest.mark.parametrize(
    ("ect", "total", "band"), [(False, 10, MsmBand.MODERATE), (True, 11, MsmBand.SEVERE)]
)
def test_msm_band_boundary_between_moderate_and_severe(ect, total, band):
    staging = stage(
        current_episode_months=36,
        baseline_severity=BaselineSeverity.SEVERE_WITH_PSYCHOSIS,
        failed_antidepressant_trials=1,
        augmentation_used=True,
        ect_used=ect,
    )
    assert (staging.total, staging.band) == (total, band)


def test_msm_total_is_the_sum_of_its_parts_with_rules_shown():
    staging = stage(current_episode_months=18, failed_antidepressant_trials=4, ect_used=True)
    assert staging.total == sum(p.points for p in staging.parts) == 2 + 1 + 2 + 0 + 1
    assert all(p.rule for p in staging.parts)
    assert staging.band_rule == "mild = 3–6"


def test_msm_refuses_to_stage_without_a_failed_trial():
    with pytest.raises(ClinicalInputError, match="at least one failed antidepressant trial"):
        stage(failed_antidepressant_trials=0)
