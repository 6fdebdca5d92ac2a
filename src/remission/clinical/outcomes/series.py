"""Outcomes from a series of dated scores: baseline, response, remission, relapse.

The instrument is described by plain values (``ScoreScale``: its maximum and remission
threshold), so this module does not depend on the instrument definitions. Response and
remission follow the conventions of the trials in the clinical reference; what counts as a loss
of response is a configurable convention.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.protocols import sources
from remission.clinical.registry import Overrides


@dataclass(frozen=True, slots=True)
class ScoreScale:
    """What the outcome rules need to know about an instrument, as the clinic has it set.

    The caller reads these from the instrument definition with the clinic's overrides (e.g.
    ``instruments.phq9.remission_max_total`` and ``instruments.response_min_percent_drop``),
    so response and remission are defined once, with the instrument.
    ``remission_at_or_below`` is inclusive: PHQ-9 remission "<5" is 4, MADRS "≤10" is 10.
    """

    instrument_id: str
    max_total: Decimal
    remission_at_or_below: Decimal
    response_min_percent_drop: Decimal
    min_total: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        for name in (
            "max_total",
            "remission_at_or_below",
            "response_min_percent_drop",
            "min_total",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise ClinicalInputError(f"{self.instrument_id}: {name} must be a number")
            object.__setattr__(self, name, Decimal(value))
        if not self.min_total <= self.remission_at_or_below < self.max_total:
            raise ClinicalInputError(
                f"{self.instrument_id}: remission threshold must lie between the minimum and "
                "maximum total"
            )
        if not 0 < self.response_min_percent_drop <= 100:
            raise ClinicalInputError(f"{self.instrument_id}: response drop must be 1–100%")


@dataclass(frozen=True, slots=True)
class Score:
    instrument_id: str
    on: dt.date
    total: Decimal

    def __post_init__(self) -> None:
        if isinstance(self.total, bool) or not isinstance(self.total, int | Decimal):
            raise ClinicalInputError(f"score total must be a number, got {self.total!r}")
        object.__setattr__(self, "total", Decimal(self.total))


class ResponseLevel(enum.StrEnum):
    RESPONSE = "response"
    PARTIAL = "partial_response"
    NONE = "no_response"


@dataclass(frozen=True, slots=True)
class ScorePoint:
    score: Score
    days_since_start: int
    doses_before: int
    reduction_percent: Decimal | None  # positive = better; None if the baseline is 0
    level: ResponseLevel | None
    in_remission: bool


@dataclass(frozen=True, slots=True)
class Milestone:
    """When response or remission was first reached."""

    on: dt.date
    days_since_start: int
    doses_before: int
    total: Decimal


@dataclass(frozen=True, slots=True)
class SustainedRemission:
    starts_on: dt.date
    ends_on: dt.date
    scores: int
    ongoing: bool  # the run reaches the latest score


class WorseningKind(enum.StrEnum):
    LOSS_OF_RESPONSE = "loss_of_response"
    RELAPSE = "relapse"  # the SUSTAIN-1 rule, or loss of response after remission


class EventKind(enum.StrEnum):
    """Clinical events that count as a relapse after a response (SUSTAIN-1)."""

    HOSPITALISATION = "hospitalisation_for_depression"
    SUICIDE_ATTEMPT = "suicide_attempt"


@dataclass(frozen=True, slots=True)
class ClinicalEvent:
    kind: EventKind
    on: dt.date


@dataclass(frozen=True, slots=True)
class Worsening:
    kind: WorseningKind
    on: dt.date
    total: Decimal
    reduction_percent: Decimal | None
    message: str


@dataclass(frozen=True, slots=True)
class OutcomeAssessment:
    instrument_id: str
    baseline: Score | None
    points: tuple[ScorePoint, ...]
    response: Milestone | None
    remission: Milestone | None
    sustained_remission: SustainedRemission | None
    worsenings: tuple[Worsening, ...]
    notes: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def latest(self) -> ScorePoint | None:
        return self.points[-1] if self.points else None


BASELINE_WINDOW = registry.define(
    "outcomes.baseline_window_days",
    30,
    unit="days",
    title="Baseline: the latest score on or before treatment start, at most this many days old",
    evidence=sources.convention("a baseline no older than 30 days"),
    minimum=0,
    maximum=180,
)
PARTIAL_RESPONSE = registry.define(
    "outcomes.partial_response_min_reduction_percent",
    25,
    unit="%",
    title="Partial response: drop from baseline of at least (and below response)",
    evidence=Evidence("Partial response = 25–49% drop", Confidence.RECALLED),
    minimum=10,
    maximum=49,
)
SUSTAINED_SCORES = registry.define(
    "outcomes.sustained_remission_min_consecutive_scores",
    2,
    unit="scores",
    title="Sustained remission: at least this many consecutive scores in remission …",
    evidence=sources.convention("2 consecutive remission scores spanning ≥4 weeks"),
    minimum=2,
    maximum=12,
)
SUSTAINED_WEEKS = registry.define(
    "outcomes.sustained_remission_min_weeks",
    4,
    unit="weeks",
    title="Sustained remission: … spanning at least this many weeks",
    evidence=sources.convention("2 consecutive remission scores spanning ≥4 weeks"),
    minimum=1,
    maximum=52,
)
LOSS_OF_RESPONSE_SCORES = registry.define(
    "outcomes.loss_of_response_consecutive_scores",
    2,
    unit="scores",
    title="Loss of response: after a response, this many consecutive scores below response",
    evidence=sources.convention(
        "Murrough 2013 reports a median of 18 days to relapse, but its relapse definition is not "
        "in the reference; two consecutive non-response scores guard against one bad day"
    ),
    minimum=1,
    maximum=6,
)


_SUSTAIN_1 = Evidence(
    "SUSTAIN-1 (Daly et al., JAMA Psychiatry 2019;76:893): relapse = MADRS ≥22 on two "
    "consecutive assessments 5–15 days apart, or hospitalisation for worsening depression, a "
    "suicide attempt or completed suicide, after stable remission or response",
    Confidence.PRIMARY,
    note="the PHQ-9 and QIDS-SR16 levels are moderate depression on each scale, by analogy",
)
RELAPSE_GAP_DAYS = (5, 15)  # the second score's distance from the first (SUSTAIN-1)
_RELAPSE_DEFAULTS = {"phq9": 10, "madrs": 22, "qids-sr16": 11}


def relapse_level_key(instrument_id: str) -> str:
    return f"outcomes.relapse_at_or_above.{instrument_id}"


for _instrument, _level in _RELAPSE_DEFAULTS.items():
    registry.define(
        relapse_level_key(_instrument),
        _level,
        unit="points",
        title=f"Relapse: after a response, two {_instrument} scores 5–15 days apart at or above",
        evidence=_SUSTAIN_1,
        minimum=1,
        maximum=60,
    )


def select_baseline(
    scores: Iterable[Score], *, treatment_start: dt.date, overrides: Overrides | None = None
) -> Score | None:
    """The latest score on or before ``treatment_start`` within the baseline window.

    A score dated on the first treatment day counts: clinics score before the first dose.
    """
    window = dt.timedelta(days=int(registry.resolve_decimal(BASELINE_WINDOW.key, overrides)))
    candidates = [s for s in scores if treatment_start - window <= s.on <= treatment_start]
    return max(candidates, key=lambda s: s.on) if candidates else None


def assess_outcomes(
    scores: Sequence[Score],
    *,
    scale: ScoreScale,
    treatment_start: dt.date,
    dose_dates: Sequence[dt.date] = (),
    events: Sequence[ClinicalEvent] = (),
    overrides: Overrides | None = None,
) -> OutcomeAssessment:
    """Response, remission, time to each, sustained remission, losses of response and relapses
    (the SUSTAIN-1 rule on the instrument's relapse level, or a hospitalisation or suicide
    attempt in ``events``, after a response).

    ``dose_dates`` count the doses before each score: a score dated on a dosing day is taken to
    be scored before that day's dose, as clinics score before dosing.
    """
    ordered = _validated(scores, scale)
    partial = registry.resolve_decimal(PARTIAL_RESPONSE.key, overrides)
    if partial >= scale.response_min_percent_drop:
        raise ClinicalInputError(
            f"partial response ({partial}%) must be a smaller drop than response "
            f"({scale.response_min_percent_drop}%)"
        )
    baseline = select_baseline(ordered, treatment_start=treatment_start, overrides=overrides)
    evidence = (PARTIAL_RESPONSE.evidence, LOSS_OF_RESPONSE_SCORES.evidence, _SUSTAIN_1)
    if baseline is None:
        window = registry.resolve(BASELINE_WINDOW.key, overrides)
        note = f"no {scale.instrument_id} score in the {window} days up to {treatment_start}"
        return OutcomeAssessment(
            scale.instrument_id, None, (), None, None, None, (), (note,), evidence
        )
    notes = []
    if baseline.total == 0:
        notes.append("the baseline total is 0, so percentage change is undefined")
    points = tuple(
        _point(score, baseline, scale, partial, treatment_start, dose_dates)
        for score in ordered
        if score.on >= treatment_start and score is not baseline
    )
    return OutcomeAssessment(
        instrument_id=scale.instrument_id,
        baseline=baseline,
        points=points,
        response=_first(points, lambda p: p.level is ResponseLevel.RESPONSE),
        remission=_first(points, lambda p: p.in_remission),
        sustained_remission=_sustained(points, overrides),
        worsenings=_merged(
            _worsenings(points, overrides),
            _relapses(points, scale.instrument_id, events, overrides),
        ),
        notes=tuple(notes),
        evidence=evidence,
    )


def reduction_percent(baseline_total: Decimal, total: Decimal) -> Decimal | None:
    """Drop from baseline in percent, one decimal; negative when worse."""
    if baseline_total == 0:
        return None
    exact = (baseline_total - total) * 100 / baseline_total
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _validated(scores: Sequence[Score], scale: ScoreScale) -> list[Score]:
    for score in scores:
        if score.instrument_id != scale.instrument_id:
            raise ClinicalInputError(
                f"a {score.instrument_id} score was given with the {scale.instrument_id} scale"
            )
        if not scale.min_total <= score.total <= scale.max_total:
            raise ClinicalInputError(
                f"{scale.instrument_id} total {score.total} on {score.on} is outside "
                f"{scale.min_total}–{scale.max_total}"
            )
    return sorted(scores, key=lambda s: s.on)


def _point(
    score: Score,
    baseline: Score,
    scale: ScoreScale,
    partial_min_percent_drop: Decimal,
    treatment_start: dt.date,
    dose_dates: Sequence[dt.date],
) -> ScorePoint:
    level = None
    if baseline.total > 0:
        # compare exact fractions, not the rounded percentage shown to people
        drop_times_100 = (baseline.total - score.total) * 100
        if drop_times_100 >= scale.response_min_percent_drop * baseline.total:
            level = ResponseLevel.RESPONSE
        elif drop_times_100 >= partial_min_percent_drop * baseline.total:
            level = ResponseLevel.PARTIAL
        else:
            level = ResponseLevel.NONE
    return ScorePoint(
        score=score,
        days_since_start=(score.on - treatment_start).days,
        doses_before=sum(d < score.on for d in dose_dates),
        reduction_percent=reduction_percent(baseline.total, score.total),
        level=level,
        in_remission=score.total <= scale.remission_at_or_below,
    )


def _first(
    points: tuple[ScorePoint, ...], reached: Callable[[ScorePoint], bool]
) -> Milestone | None:
    for point in points:
        if reached(point):
            return Milestone(
                point.score.on, point.days_since_start, point.doses_before, point.score.total
            )
    return None


def _sustained(
    points: tuple[ScorePoint, ...], overrides: Overrides | None
) -> SustainedRemission | None:
    """The first run of consecutive remission scores long enough in count and in weeks."""
    min_scores = int(registry.resolve_decimal(SUSTAINED_SCORES.key, overrides))
    min_span = dt.timedelta(weeks=int(registry.resolve_decimal(SUSTAINED_WEEKS.key, overrides)))
    runs: list[list[ScorePoint]] = [[]]
    for point in points:
        if point.in_remission:
            runs[-1].append(point)
        elif runs[-1]:
            runs.append([])
    for run in runs:
        if len(run) >= min_scores and run[-1].score.on - run[0].score.on >= min_span:
            return SustainedRemission(
                starts_on=run[0].score.on,
                ends_on=run[-1].score.on,
                scores=len(run),
                ongoing=run[-1] is points[-1],
            )
    return None


def _worsenings(
    points: tuple[ScorePoint, ...], overrides: Overrides | None
) -> tuple[Worsening, ...]:
    """After each response, the first run of non-response scores long enough to count."""
    needed = int(registry.resolve_decimal(LOSS_OF_RESPONSE_SCORES.key, overrides))
    events = []
    responding = remitted = False
    run: list[ScorePoint] = []
    for point in points:
        if point.level is None:
            continue
        if point.level is ResponseLevel.RESPONSE:
            responding, run = True, []
            remitted = remitted or point.in_remission
            continue
        if not responding:
            continue
        run.append(point)
        if len(run) == needed:
            first = run[0]
            kind = WorseningKind.RELAPSE if remitted else WorseningKind.LOSS_OF_RESPONSE
            events.append(
                Worsening(
                    kind=kind,
                    on=first.score.on,
                    total=first.score.total,
                    reduction_percent=first.reduction_percent,
                    message=(
                        f"{kind.value.replace('_', ' ')} from {first.score.on}: {needed} "
                        f"consecutive score(s) below response (latest {run[-1].score.total})"
                    ),
                )
            )
            responding = remitted = False
            run = []
    return tuple(events)


def _merged(
    losses: tuple[Worsening, ...], relapses: tuple[Worsening, ...]
) -> tuple[Worsening, ...]:
    """One event per date: a relapse by the SUSTAIN-1 rule replaces a loss of response found
    from the same score."""
    relapse_days = {r.on for r in relapses}
    kept = [w for w in losses if w.on not in relapse_days]
    return tuple(sorted([*kept, *relapses], key=lambda w: w.on))


def _relapses(
    points: tuple[ScorePoint, ...],
    instrument_id: str,
    events: Sequence[ClinicalEvent],
    overrides: Overrides | None,
) -> tuple[Worsening, ...]:
    """After the first response: the first pair of scores at or above the relapse level 5–15
    days apart, and each hospitalisation or suicide attempt."""
    response = _first(points, lambda p: p.level is ResponseLevel.RESPONSE)
    if response is None:
        return ()
    found: list[Worsening] = []
    level = (
        registry.resolve_decimal(relapse_level_key(instrument_id), overrides)
        if instrument_id in _RELAPSE_DEFAULTS
        else None
    )
    after = [p for p in points if p.score.on > response.on]
    if level is not None:
        low, high = RELAPSE_GAP_DAYS
        for first, second in itertools.pairwise(after):
            gap = (second.score.on - first.score.on).days
            if first.score.total >= level and second.score.total >= level and low <= gap <= high:
                found.append(
                    Worsening(
                        kind=WorseningKind.RELAPSE,
                        on=first.score.on,
                        total=first.score.total,
                        reduction_percent=first.reduction_percent,
                        message=(
                            f"relapse candidate from {first.score.on}: {instrument_id} "
                            f"{first.score.total} and {second.score.total} ({gap} days apart) at "
                            f"or above {level}"
                        ),
                    )
                )
                break
    for event in sorted(events, key=lambda e: e.on):
        if event.on > response.on:
            found.append(
                Worsening(
                    kind=WorseningKind.RELAPSE,
                    on=event.on,
                    total=Decimal(0),
                    reduction_percent=None,
                    message=f"relapse: {event.kind.value.replace('_', ' ')} on {event.on}",
                )
            )
    return tuple(found)
