"""Discharge readiness, criterion by criterion, and the REMS "ready to leave" time.

The REMS Patient Monitoring Form asks when the patient would have been ready to leave if there
were no 2-hour minimum. That answer is the time from which vital signs, sedation and
dissociation have stayed acceptable, whatever the minimum observation says; ``ready`` itself
also needs the minimum observation, the clinic's discharge score (``discharge_score``: modified
PADSS or Aldrete) at its pass mark, the patient oriented, no open alert, (by default) an escort
present at discharge and the advice not to drive recorded. This is the one readiness answer:
every screen, service, CLI and the demo read it; every unmet criterion is a reason.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.monitoring import thresholds as t
from remission.clinical.monitoring.discharge_score import (
    DischargeCharting,
    DischargeScore,
    score_discharge,
)
from remission.clinical.monitoring.vitals import (
    ALERT_TITLES,
    MOAAS_AWAKE,
    VitalSigns,
    evaluate_vitals,
)
from remission.clinical.protocols import sources
from remission.clinical.protocols.datetimes import minutes_between, require_aware
from remission.clinical.protocols.monitoring_plan import MonitoringPlan
from remission.clinical.registry import Overrides

CADSS6_MAX_TOTAL = 24


@dataclass(frozen=True, slots=True)
class ScoredCheck:
    """A timed MOAA/S (0–5) or CADSS-6 (0–24) total."""

    measured_at: dt.datetime
    total: int


_Timed = TypeVar("_Timed", VitalSigns, ScoredCheck)


@dataclass(frozen=True, slots=True)
class DischargeFacts:
    plan: MonitoringPlan
    dose_started_at: dt.datetime
    now: dt.datetime
    baseline: VitalSigns | None
    vitals: Sequence[VitalSigns] = ()
    moaas: Sequence[ScoredCheck] = ()
    cadss6: Sequence[ScoredCheck] = ()
    dose_ended_at: dt.datetime | None = None
    baseline_cadss6: int | None = None
    open_alert_codes: tuple[str, ...] = ()  # alerts no person has acknowledged and resolved
    escort_arranged: bool = False  # the pre-dose checklist's "escort arranged" line
    charting: DischargeCharting | None = None  # the nurse's latest discharge assessment


class Criterion(enum.StrEnum):
    MIN_OBSERVATION = "min_observation"
    VITALS = "vitals"
    SEDATION_RESOLVED = "sedation_resolved"
    DISSOCIATION_RESOLVED = "dissociation_resolved"
    ORIENTED = "oriented"
    DISCHARGE_SCORE = "discharge_score"
    NO_OPEN_ALERTS = "no_open_alerts"
    ESCORT = "escort"
    DRIVING_ADVICE = "driving_advice"


@dataclass(frozen=True, slots=True)
class CriterionResult:
    criterion: Criterion
    met: bool
    reason: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class DischargeAssessment:
    ready: bool
    criteria: tuple[CriterionResult, ...]
    minutes_since_dose_start: int
    observation_ends_at: dt.datetime | None
    clinically_ready_at: dt.datetime | None  # REMS: ready to leave, ignoring the minimum time
    clinically_ready_min_from_dose_start: int | None
    message: str
    score: DischargeScore | None = None

    @property
    def reasons(self) -> list[str]:
        """Every unmet criterion, as the screen shows it and the service refuses."""
        return [c.reason for c in self.criteria if not c.met]


def evaluate_discharge(
    facts: DischargeFacts, overrides: Overrides | None = None
) -> DischargeAssessment:
    start = require_aware(facts.dose_started_at, "dose_started_at")
    now = require_aware(facts.now, "now")
    if now < start:
        raise ClinicalInputError("now is before the dose started")
    moaas = _after(start, facts.moaas, "MOAA/S", MOAAS_AWAKE)
    cadss6 = _after(start, facts.cadss6, "CADSS-6", CADSS6_MAX_TOTAL)
    vitals = sorted((v for v in facts.vitals if v.measured_at >= start), key=_measured)
    cadss6_limit = max(
        int(registry.resolve_decimal(t.DISCHARGE_CADSS6.key, overrides)),
        facts.baseline_cadss6 or 0,
    )

    def vitals_ok(reading: VitalSigns) -> str:
        return _vitals_problem(reading, facts.baseline, overrides)

    def sedation_ok(check: ScoredCheck) -> str:
        return "" if check.total >= MOAAS_AWAKE else f"MOAA/S {check.total} (needs {MOAAS_AWAKE})"

    def dissociation_ok(check: ScoredCheck) -> str:
        if check.total <= cadss6_limit:
            return ""
        return f"CADSS-6 {check.total} (needs ≤ {cadss6_limit})"

    observation_ends_at = facts.plan.observation_ends_at(start, facts.dose_ended_at)
    charting = _recovery_charting(facts.charting, start, now)
    score = score_discharge(
        charting,
        latest=vitals[-1] if vitals else None,
        baseline=facts.baseline,
        overrides=overrides,
    )
    criteria = [
        _min_observation(facts.plan, now, observation_ends_at, facts.now.tzinfo),
        _vitals_criterion(vitals, now, vitals_ok, overrides),
        _latest_criterion(
            Criterion.SEDATION_RESOLVED, moaas, sedation_ok, "MOAA/S", t.ALERT_SEDATION.evidence
        ),
        _latest_criterion(
            Criterion.DISSOCIATION_RESOLVED,
            cadss6,
            dissociation_ok,
            "CADSS-6",
            t.DISCHARGE_CADSS6.evidence,
        ),
        _oriented(charting),
        *_score_criteria(score),
        _open_alerts(facts.open_alert_codes),
        _escort(charting, facts.escort_arranged, overrides),
        _driving_advice(charting),
    ]
    clinically_ready_at = _latest_of(
        _stable_since(vitals, vitals_ok),
        _stable_since(moaas, sedation_ok),
        _stable_since(cadss6, dissociation_ok),
    )
    ready = all(c.met for c in criteria)
    unmet = [c.reason for c in criteria if not c.met]
    return DischargeAssessment(
        ready=ready,
        criteria=tuple(criteria),
        minutes_since_dose_start=int(minutes_between(start, now)),
        observation_ends_at=observation_ends_at,
        clinically_ready_at=clinically_ready_at,
        clinically_ready_min_from_dose_start=(
            None
            if clinically_ready_at is None
            else math.ceil(minutes_between(start, clinically_ready_at))
        ),
        message=(
            "All discharge criteria met; a clinician confirms the patient is clinically stable."
            if ready
            else "Not ready: " + "; ".join(unmet)
        ),
        score=score,
    )


def _recovery_charting(
    charting: DischargeCharting | None, start: dt.datetime, now: dt.datetime
) -> DischargeCharting | None:
    """The discharge assessment that speaks of recovery from this dose, if one is charted."""
    if charting is None:
        return None
    if charting.charted_at > now:
        raise ClinicalInputError("the discharge assessment is charted after now")
    if charting.charted_at < start:
        return None  # an assessment from before the dose says nothing of recovery
    return charting


def _latest_of(*moments: dt.datetime | None) -> dt.datetime | None:
    """The last of ``moments``, or ``None`` while any of them has not come."""
    if any(moment is None for moment in moments):
        return None
    return max(m for m in moments if m is not None)


def _measured(item: VitalSigns | ScoredCheck) -> dt.datetime:
    return item.measured_at


def _after(
    start: dt.datetime, checks: Sequence[ScoredCheck], name: str, maximum: int
) -> list[ScoredCheck]:
    kept = []
    for check in checks:
        at = require_aware(check.measured_at, f"{name} measured_at")
        if isinstance(check.total, bool) or check.total not in range(0, maximum + 1):
            raise ClinicalInputError(f"{name} total must be 0 to {maximum}, got {check.total!r}")
        if at >= start:
            kept.append(ScoredCheck(at, check.total))
    return sorted(kept, key=_measured)


def _min_observation(
    plan: MonitoringPlan, now: dt.datetime, ends_at: dt.datetime | None, zone: dt.tzinfo | None
) -> CriterionResult:
    """``zone``: the clock the caller reads (that of its ``now``), for the end time told."""
    evidence = plan.observation_evidence
    if ends_at is None:
        return CriterionResult(
            Criterion.MIN_OBSERVATION,
            False,
            "the end of the infusion is not recorded, so the observation time cannot start",
            evidence,
        )
    if now >= ends_at:
        reason = f"minimum observation of {plan.min_observation_min} min completed"
        return CriterionResult(Criterion.MIN_OBSERVATION, True, reason, evidence)
    remaining = math.ceil(minutes_between(now, ends_at))
    reason = (
        f"minimum observation of {plan.min_observation_min} min ends at "
        f"{ends_at.astimezone(zone):%H:%M %Z} ({remaining} min to go)"
    )
    return CriterionResult(Criterion.MIN_OBSERVATION, False, reason, evidence)


_REQUIRED_AT_DISCHARGE = (
    ("heart_rate_bpm", "heart rate"),
    ("spo2_percent", "SpO2"),
    ("respiratory_rate_per_min", "respiratory rate"),
)
_WITHIN_BASELINE = (
    ("systolic_mmhg", "systolic BP", "mmHg"),
    ("diastolic_mmhg", "diastolic BP", "mmHg"),
    ("heart_rate_bpm", "heart rate", "bpm"),
)


def _vitals_problem(
    reading: VitalSigns, baseline: VitalSigns | None, overrides: Overrides | None
) -> str:
    """Empty when the reading is acceptable for discharge, else what is wrong with it: a full
    set (BP, heart rate, SpO2, respiratory rate), no alert, BP under the absolute limits (a high
    baseline cannot lift them) and, with a pre-dose baseline, BP and heart rate within the
    PADSS band of it, above or below."""
    bp = reading.blood_pressure
    if bp is None:
        return "no blood pressure in the last vital signs"
    missing = [
        label for measure, label in _REQUIRED_AT_DISCHARGE if getattr(reading, measure) is None
    ]
    if missing:
        return f"the last vital signs have no {' or '.join(missing)}"
    alerts = evaluate_vitals(reading, baseline, overrides)
    if alerts:
        return "; ".join(a.message for a in alerts)
    below_sys = registry.resolve_decimal(t.DISCHARGE_SYSTOLIC_BELOW.key, overrides)
    below_dia = registry.resolve_decimal(t.DISCHARGE_DIASTOLIC_BELOW.key, overrides)
    if bp[0] >= below_sys or bp[1] >= below_dia:
        return f"BP {bp[0]}/{bp[1]} mmHg is not below {below_sys}/{below_dia} mmHg"
    if baseline is None:
        return ""
    band = registry.resolve_decimal(t.DISCHARGE_WITHIN_BASELINE_PERCENT.key, overrides)
    for measure, label, unit in _WITHIN_BASELINE:
        value, base = getattr(reading, measure), getattr(baseline, measure)
        if base is None or value is None:
            continue
        if abs(Decimal(value - base)) * 100 > band * base:
            return f"{label} {value} {unit} is not within {band} % of the pre-dose {base} {unit}"
    return ""


def _vitals_criterion(
    vitals: list[VitalSigns],
    now: dt.datetime,
    problem: Callable[[VitalSigns], str],
    overrides: Overrides | None,
) -> CriterionResult:
    evidence = t.DISCHARGE_VITALS_MAX_AGE.evidence
    if not vitals:
        return CriterionResult(Criterion.VITALS, False, "no vital signs since the dose", evidence)
    latest = vitals[-1]
    max_age = int(registry.resolve_decimal(t.DISCHARGE_VITALS_MAX_AGE.key, overrides))
    age = minutes_between(latest.measured_at, now)
    if age > max_age:
        reason = f"the last vital signs are {math.floor(age)} min old (limit {max_age} min)"
        return CriterionResult(Criterion.VITALS, False, reason, evidence)
    issue = problem(latest)
    if issue:
        return CriterionResult(Criterion.VITALS, False, issue, evidence)
    return CriterionResult(Criterion.VITALS, True, "vital signs acceptable for discharge", evidence)


def _latest_criterion(
    criterion: Criterion,
    checks: list[ScoredCheck],
    problem: Callable[[ScoredCheck], str],
    name: str,
    evidence: Evidence,
) -> CriterionResult:
    if not checks:
        return CriterionResult(criterion, False, f"no {name} since the dose", evidence)
    issue = problem(checks[-1])
    if issue:
        return CriterionResult(criterion, False, f"latest {issue}", evidence)
    return CriterionResult(criterion, True, f"latest {name} {checks[-1].total}", evidence)


def _open_alerts(codes: tuple[str, ...]) -> CriterionResult:
    evidence = sources.SPRAVATO_REMS
    if codes:
        reason = "unresolved alerts: " + ", ".join(
            ALERT_TITLES.get(code, code).lower() for code in dict.fromkeys(codes)
        )
        return CriterionResult(Criterion.NO_OPEN_ALERTS, False, reason, evidence)
    return CriterionResult(Criterion.NO_OPEN_ALERTS, True, "no unresolved alerts", evidence)


_ORIENTED = Evidence(
    "PADSS (Chung, J Clin Anesth 1995;7:500): oriented to person, place and time before "
    "discharge; SPRAVATO REMS: discharge once clinically stable",
    Confidence.SECONDARY,
)
_DRIVING = Evidence(
    "SPRAVATO label and REMS: no driving or operating machinery until the next day after a "
    "restful sleep; for IV and IM racemic ketamine the same advice is the clinic SOP",
    Confidence.PRIMARY,
    url="https://www.spravatohcp.com/dosing-spravato-trd",
    note="IV/IM: no label; a clinic convention",
)


registry.define_table(
    "monitoring.discharge_checks",
    title="Discharge: checks the nurse charts beside the score",
    intro="Charted on the discharge assessment; each unmet check is a reason the patient is "
    "not ready (the escort check follows monitoring.discharge_requires_escort).",
    columns=("Check", "Met when"),
    rows=(
        registry.TableRow(("oriented", "oriented to person, place and time"), (_ORIENTED,)),
        registry.TableRow(
            ("escort", "a responsible adult is present at discharge (not only arranged)"),
            (t.DISCHARGE_ESCORT.evidence,),
        ),
        registry.TableRow(
            (
                "driving_advice",
                "advised not to drive or operate machinery until the next day after restful sleep",
            ),
            (_DRIVING,),
        ),
    ),
)


def _oriented(charting: DischargeCharting | None) -> CriterionResult:
    if charting is not None and charting.oriented:
        return CriterionResult(Criterion.ORIENTED, True, "oriented", _ORIENTED)
    reason = "orientation (person, place, time) not confirmed at discharge"
    return CriterionResult(Criterion.ORIENTED, False, reason, _ORIENTED)


def _score_criteria(score: DischargeScore) -> list[CriterionResult]:
    """One result when the score passes; else one reason per item not scored and, when every
    item is scored, the total and each item below full marks."""
    name = f"{score.title} {score.total} of {score.maximum}"
    if score.passed:
        reason = f"{name} (pass mark {score.pass_mark})"
        return [CriterionResult(Criterion.DISCHARGE_SCORE, True, reason, score.evidence)]
    if score.missing:
        return [
            CriterionResult(
                Criterion.DISCHARGE_SCORE,
                False,
                f"{score.title} {item.label.lower()}: {item.description}",
                item.evidence,
            )
            for item in score.missing
        ]
    results = [
        CriterionResult(
            Criterion.DISCHARGE_SCORE,
            False,
            f"{name} (needs ≥ {score.pass_mark})",
            score.evidence,
        )
    ]
    results.extend(
        CriterionResult(
            Criterion.DISCHARGE_SCORE,
            False,
            f"{score.title} {item.label.lower()} {item.points} of 2: {item.description}",
            item.evidence,
        )
        for item in score.items
        if item.points is not None and item.points < 2
    )
    return results


def _escort(
    charting: DischargeCharting | None, arranged: bool, overrides: Overrides | None
) -> CriterionResult:
    evidence = t.DISCHARGE_ESCORT.evidence
    if not registry.resolve(t.DISCHARGE_ESCORT.key, overrides):
        return CriterionResult(Criterion.ESCORT, True, "escort not required by clinic", evidence)
    if charting is not None and charting.escort_present:
        return CriterionResult(Criterion.ESCORT, True, "escort present at discharge", evidence)
    reason = (
        "escort arranged before the dose but not confirmed present at discharge"
        if arranged
        else "no escort confirmed present at discharge"
    )
    return CriterionResult(Criterion.ESCORT, False, reason, evidence)


def _driving_advice(charting: DischargeCharting | None) -> CriterionResult:
    if charting is not None and charting.driving_advice_given:
        reason = "advised not to drive until the next day after restful sleep"
        return CriterionResult(Criterion.DRIVING_ADVICE, True, reason, _DRIVING)
    reason = "advice not to drive until the next day after restful sleep not recorded"
    return CriterionResult(Criterion.DRIVING_ADVICE, False, reason, _DRIVING)


def _stable_since(series: list[_Timed], problem: Callable[[_Timed], str]) -> dt.datetime | None:
    """When the run of acceptable values that reaches the latest one began (None if none)."""
    since = None
    for item in reversed(series):
        if problem(item):
            break
        since = item.measured_at
    return since
