"""Treatment resistance (failed adequate trials) and the Maudsley Staging Method.

Sources: reference §4 (TRD definitions, MSM, ATHF); see ``sources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.eligibility.intake import AntidepressantTrial, require_whole_in_range
from remission.clinical.eligibility.settings import (
    TRD_MINIMUM_FAILURES,
    TRD_MINIMUM_WEEKS,
    TRD_PARTIAL_COUNTS,
)
from remission.clinical.eligibility.sources import (
    ADEQUATE_TRIAL_WEEKS,
    MSM_TABLE,
    MSM_TREATMENT_LEVELS,
    PARTIAL_RESPONSE,
    TRD_DEFINITION,
)
from remission.clinical.eligibility.vocabulary import (
    Adherence,
    BaselineSeverity,
    MsmBand,
    TrialOutcome,
)
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence


@dataclass(frozen=True, slots=True)
class TrialAssessment:
    drug: str
    counts_as_failure: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class MsmPart:
    """One dimension of the Maudsley Staging Method: what was found, its points, and the rule."""

    dimension: str
    finding: str
    points: int
    rule: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class MaudsleyStaging:
    duration: MsmPart
    severity: MsmPart
    antidepressant_failures: MsmPart
    augmentation: MsmPart
    ect: MsmPart
    total: int
    band: MsmBand
    band_rule: str
    evidence: Evidence = MSM_TABLE

    @property
    def parts(self) -> tuple[MsmPart, ...]:
        return (
            self.duration,
            self.severity,
            self.antidepressant_failures,
            self.augmentation,
            self.ect,
        )


@dataclass(frozen=True, slots=True)
class TreatmentResistance:
    failed_adequate_trials: int
    is_treatment_resistant: bool
    rule: str
    trials: tuple[TrialAssessment, ...]
    minimum_failed_trials: int
    adequate_trial_minimum_weeks: int
    partial_response_counts_as_failure: bool
    adequate_trials_with_partial_response: int
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...]
    maudsley: MaudsleyStaging | None
    maudsley_not_staged_reason: str | None


_FAILED_OUTCOMES = frozenset({TrialOutcome.NONE})


def classify_trial(
    trial: AntidepressantTrial,
    *,
    minimum_weeks: int | Decimal,
    partial_response_counts_as_failure: bool,
) -> TrialAssessment:
    """Whether one trial counts toward TRD, with the reasons in words.

    Counts when: adequate dose, at least ``minimum_weeks`` (``ADEQUATE_TRIAL_WEEKS`` [mem]),
    adherence not poor (ATHF lowers poorly adhered trials [2nd]), in the current episode
    (``TRD_DEFINITION`` [src]), and outcome no response (or partial response if so configured,
    ``PARTIAL_RESPONSE`` [mem]). Intolerance is not non-response.
    """
    shortfalls: list[str] = []
    if not trial.adequate_dose:
        shortfalls.append("dose not adequate")
    if trial.duration_weeks < minimum_weeks:
        shortfalls.append(f"{trial.duration_weeks} weeks is under {minimum_weeks}")
    if trial.adherence is Adherence.POOR:
        shortfalls.append("adherence poor")
    if not trial.current_episode:
        shortfalls.append("not in the current episode")
    failed = set(_FAILED_OUTCOMES)
    if partial_response_counts_as_failure:
        failed.add(TrialOutcome.PARTIAL)
    if trial.outcome not in failed:
        shortfalls.append(f"outcome {trial.outcome.value.replace('_', ' ')} is not a failure")
    if shortfalls:
        return TrialAssessment(trial.drug, False, "not counted: " + "; ".join(shortfalls))
    return TrialAssessment(
        trial.drug,
        True,
        f"counted: adequate dose for {trial.duration_weeks} weeks in the current episode, "
        f"adherence {trial.adherence.value}, outcome {trial.outcome.value}",
    )


def assess_treatment_resistance(
    trials: Sequence[AntidepressantTrial],
    *,
    ect_used_in_current_episode: bool,
    current_episode_months: int,
    baseline_severity: BaselineSeverity,
    overrides: registry.Overrides | None = None,
) -> TreatmentResistance:
    """Count adequate failed trials, decide TRD, and stage with the MSM where possible.

    TRD = at least ``eligibility.trd_minimum_failed_trials`` (default 2, ``TRD_DEFINITION``
    [src]) adequate failed trials in the current episode. MSM is computed only with at least one
    failed trial (see the module docstring).
    """
    minimum_failures = int(registry.resolve_decimal(TRD_MINIMUM_FAILURES.key, overrides))
    minimum_weeks = int(registry.resolve_decimal(TRD_MINIMUM_WEEKS.key, overrides))
    partial_counts = bool(registry.resolve(TRD_PARTIAL_COUNTS.key, overrides))
    assessments = tuple(
        classify_trial(
            trial,
            minimum_weeks=minimum_weeks,
            partial_response_counts_as_failure=partial_counts,
        )
        for trial in trials
    )
    failures = sum(1 for a in assessments if a.counts_as_failure)
    partial_adequate = sum(
        1
        for trial in trials
        if trial.outcome is TrialOutcome.PARTIAL
        and classify_trial(
            trial, minimum_weeks=minimum_weeks, partial_response_counts_as_failure=True
        ).counts_as_failure
    )
    notes = [
        "The ATHF treats 4 weeks at an adequate dose as the minimum duration; set "
        "eligibility.trd_adequate_trial_minimum_weeks to 4 to count that way.",
        "The TRANSFORM trials also required one of the failed trials to be assessed "
        "prospectively; this count uses the recorded history only.",
    ]
    if partial_adequate and not partial_counts:
        notes.append(
            f"{partial_adequate} adequate trial(s) ended in partial response and are not "
            "counted (EU-PEARL 'partially responsive depression')."
        )
    augmentation_used = any(t.augmentation and t.current_episode for t in trials)
    maudsley: MaudsleyStaging | None = None
    not_staged: str | None = None
    if failures:
        maudsley = stage_maudsley(
            current_episode_months=current_episode_months,
            baseline_severity=baseline_severity,
            failed_antidepressant_trials=failures,
            augmentation_used=augmentation_used,
            ect_used=ect_used_in_current_episode,
        )
    else:
        not_staged = (
            "not staged: the Maudsley Staging Method needs at least one failed adequate "
            "antidepressant trial in the current episode (its minimum total is 3)"
        )
    return TreatmentResistance(
        failed_adequate_trials=failures,
        is_treatment_resistant=failures >= minimum_failures,
        rule=(
            f"TRD = at least {minimum_failures} adequate trials without response in the current "
            f"episode (adequate dose, at least {minimum_weeks} weeks, adherence not poor)"
        ),
        trials=assessments,
        minimum_failed_trials=minimum_failures,
        adequate_trial_minimum_weeks=minimum_weeks,
        partial_response_counts_as_failure=partial_counts,
        adequate_trials_with_partial_response=partial_adequate,
        evidence=(TRD_DEFINITION, ADEQUATE_TRIAL_WEEKS, PARTIAL_RESPONSE),
        notes=tuple(notes),
        maudsley=maudsley,
        maudsley_not_staged_reason=not_staged,
    )


_MSM_SEVERITY_POINTS: dict[BaselineSeverity, tuple[int, str]] = {
    BaselineSeverity.SUBSYNDROMAL: (1, "subsyndromal = 1"),
    BaselineSeverity.MILD: (2, "syndromal, mild = 2"),
    BaselineSeverity.MODERATE: (3, "syndromal, moderate = 3"),
    BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS: (4, "severe without psychosis = 4"),
    BaselineSeverity.SEVERE_WITH_PSYCHOSIS: (5, "severe with psychosis = 5"),
}

# (highest number of failed antidepressants in the level, points, rule text)
_MSM_FAILURE_LEVELS: tuple[tuple[int | None, int, str], ...] = (
    (2, 1, "level 1: 1–2 medications = 1"),
    (4, 2, "level 2: 3–4 medications = 2"),
    (6, 3, "level 3: 5–6 medications = 3"),
    (10, 4, "level 4: 7–10 medications = 4"),
    (None, 5, "level 5: more than 10 medications = 5"),
)


def stage_maudsley(
    *,
    current_episode_months: int,
    baseline_severity: BaselineSeverity,
    failed_antidepressant_trials: int,
    augmentation_used: bool,
    ect_used: bool,
) -> MaudsleyStaging:
    """Maudsley Staging Method: total 3–15; mild 3–6, moderate 7–10, severe 11–15.

    Duration, severity and the bands: ``MSM_TABLE`` [src]. Treatment-failure levels,
    augmentation and ECT points: ``MSM_TREATMENT_LEVELS`` [mem]. Refuses fewer than one failed
    trial (``ClinicalInputError``): the method's treatment dimension starts at level 1.
    """
    require_whole_in_range("current_episode_months", current_episode_months, 0, 1200)
    if failed_antidepressant_trials < 1:
        raise ClinicalInputError(
            "the Maudsley Staging Method needs at least one failed antidepressant trial, "
            f"got {failed_antidepressant_trials}"
        )
    if current_episode_months <= 12:
        duration_points, duration_rule = 1, "acute (≤12 months) = 1"
    elif current_episode_months <= 24:
        duration_points, duration_rule = 2, "sub-acute (13–24 months) = 2"
    else:
        duration_points, duration_rule = 3, "chronic (>24 months) = 3"
    duration = MsmPart(
        "duration", f"{current_episode_months} months", duration_points, duration_rule, MSM_TABLE
    )
    severity_points, severity_rule = _MSM_SEVERITY_POINTS[baseline_severity]
    severity = MsmPart(
        "severity",
        baseline_severity.value.replace("_", " "),
        severity_points,
        severity_rule,
        MSM_TABLE,
    )
    for highest, points, rule in _MSM_FAILURE_LEVELS:
        if highest is None or failed_antidepressant_trials <= highest:
            failures = MsmPart(
                "antidepressant_failures",
                f"{failed_antidepressant_trials} failed antidepressant trial(s)",
                points,
                rule,
                MSM_TREATMENT_LEVELS,
            )
            break
    augmentation = MsmPart(
        "augmentation",
        "augmentation used" if augmentation_used else "augmentation not used",
        int(augmentation_used),
        "not used = 0, used = 1",
        MSM_TREATMENT_LEVELS,
    )
    ect = MsmPart(
        "ect",
        "ECT used" if ect_used else "ECT not used",
        int(ect_used),
        "not used = 0, used = 1",
        MSM_TREATMENT_LEVELS,
    )
    total = sum(p.points for p in (duration, severity, failures, augmentation, ect))
    if total <= 6:
        band, band_rule = MsmBand.MILD, "mild = 3–6"
    elif total <= 10:
        band, band_rule = MsmBand.MODERATE, "moderate = 7–10"
    else:
        band, band_rule = MsmBand.SEVERE, "severe = 11–15"
    return MaudsleyStaging(
        duration=duration,
        severity=severity,
        antidepressant_failures=failures,
        augmentation=augmentation,
        ect=ect,
        total=total,
        band=band,
        band_rule=band_rule,
    )
