"""``remission discharge``: the one discharge readiness, scored, from a JSON file, as JSON.

Reads ``--facts FILE``: the protocol, the clinic's score (``padss`` or ``aldrete``), the dose
times, the pre-dose baseline and the vital signs since, the MOAA/S and CADSS-6 checks, open
alerts, whether an escort was arranged, and the nurse's discharge assessment (``charted``, or
``null``). Every field is required; ``null`` where a value may be missing. Prints the score and
its items, ``ready``, and every unmet criterion with its evidence. ``--setting KEY=VALUE``
applies a clinic's value of a ``monitoring.*`` default (e.g. the pass mark).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from remission.cli.clinic_settings import add_setting_option, overrides_from
from remission.cli.input import read_json_file
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import (
    DischargeCharting,
    DischargeFacts,
    ScoredCheck,
    ScoreItem,
    ScoreSystem,
    VitalSigns,
    evaluate_discharge,
)
from remission.clinical.monitoring.discharge_score import DISCHARGE_SCORE, SCORES, items_outside
from remission.clinical.parsing import parse_dataclass
from remission.clinical.protocols import get_protocol

HELP = "Score a discharge (modified PADSS or Aldrete) and say whether the patient may leave."


@dataclass(frozen=True, slots=True)
class Reading:
    measured_at: str
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    heart_rate_bpm: int | None
    spo2_percent: int | None
    respiratory_rate_per_min: int | None


@dataclass(frozen=True, slots=True)
class Check:
    measured_at: str
    total: int


@dataclass(frozen=True, slots=True)
class Charted:
    """The nurse's discharge assessment: the items of the chosen score (0–2; null for the
    other score's items or an item not assessed) and the ketamine checks."""

    charted_at: str
    ambulation: int | None
    nausea_vomiting: int | None
    pain: int | None
    bleeding: int | None
    activity: int | None
    respiration: int | None
    consciousness: int | None
    supplemental_oxygen: bool
    oriented: bool
    escort_present: bool
    driving_advice_given: bool


@dataclass(frozen=True, slots=True)
class DischargeInput:
    protocol: str
    score: ScoreSystem
    dose_started_at: str
    dose_ended_at: str | None
    now: str
    baseline: Reading | None
    vitals: tuple[Reading, ...]
    moaas: tuple[Check, ...]
    cadss6: tuple[Check, ...]
    baseline_cadss6: int | None
    open_alerts: tuple[str, ...]
    escort_arranged: bool
    charted: Charted | None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--facts",
        required=True,
        type=Path,
        metavar="FILE",
        help="discharge facts JSON (see docs/examples/discharge-ready.json)",
    )
    add_setting_option(parser, "monitoring.discharge_score_at_or_above=10")


def run(args: argparse.Namespace) -> object:
    overrides = overrides_from(args.setting)
    if DISCHARGE_SCORE.key in overrides:
        raise ClinicalInputError(
            f'give the score in the facts\' "score", not {DISCHARGE_SCORE.key}'
        )
    given = parse_dataclass(DischargeInput, read_json_file(args.facts), root="facts")
    overrides[DISCHARGE_SCORE.key] = given.score.value
    facts = DischargeFacts(
        plan=get_protocol(given.protocol).monitoring_plan(overrides),
        dose_started_at=_time(given.dose_started_at, "dose_started_at"),
        dose_ended_at=(
            None if given.dose_ended_at is None else _time(given.dose_ended_at, "dose_ended_at")
        ),
        now=_time(given.now, "now"),
        baseline=None if given.baseline is None else _reading(given.baseline, "baseline"),
        vitals=[_reading(r, f"vitals[{i}]") for i, r in enumerate(given.vitals)],
        moaas=[_check(c, f"moaas[{i}]") for i, c in enumerate(given.moaas)],
        cadss6=[_check(c, f"cadss6[{i}]") for i, c in enumerate(given.cadss6)],
        baseline_cadss6=given.baseline_cadss6,
        open_alert_codes=given.open_alerts,
        escort_arranged=given.escort_arranged,
        charting=None if given.charted is None else _charting(given.charted, given.score),
    )
    assessment = evaluate_discharge(facts, overrides)
    score = assessment.score
    assert score is not None
    return {
        "ready": assessment.ready,
        "score": {
            "system": score.system.value,
            "title": score.title,
            "total": score.total,
            "maximum": score.maximum,
            "pass_mark": score.pass_mark,
            "passed": score.passed,
        },
        "items": [
            {
                "item": i.item.value,
                "points": i.points,
                "found": i.description,
                "computed": i.computed,
            }
            for i in score.items
        ],
        "reasons": [
            {"criterion": c.criterion.value, "reason": c.reason, "evidence": c.evidence.label()}
            for c in assessment.criteria
            if not c.met
        ],
        "met": [c.reason for c in assessment.criteria if c.met],
        "clinically_ready_min_from_dose_start": assessment.clinically_ready_min_from_dose_start,
    }


def _time(text: str, where: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ClinicalInputError(f"{where}: expected an ISO 8601 time, got {text!r}") from None
    if value.tzinfo is None:
        raise ClinicalInputError(f"{where}: give the time with its UTC offset, got {text!r}")
    return value


def _reading(reading: Reading, where: str) -> VitalSigns:
    try:
        return VitalSigns(
            measured_at=_time(reading.measured_at, f"{where}.measured_at"),
            systolic_mmhg=reading.systolic_mmhg,
            diastolic_mmhg=reading.diastolic_mmhg,
            heart_rate_bpm=reading.heart_rate_bpm,
            spo2_percent=reading.spo2_percent,
            respiratory_rate_per_min=reading.respiratory_rate_per_min,
        )
    except ClinicalInputError as error:
        raise ClinicalInputError(f"{where}: {error}") from None


def _check(check: Check, where: str) -> ScoredCheck:
    return ScoredCheck(_time(check.measured_at, f"{where}.measured_at"), check.total)


def _charting(charted: Charted, system: ScoreSystem) -> DischargeCharting:
    points = {
        item: getattr(charted, item.value)
        for item in ScoreItem
        if hasattr(charted, item.value) and getattr(charted, item.value) is not None
    }
    outside = items_outside(SCORES[system], (item.value for item in points))
    if outside:
        raise ClinicalInputError(f"charted: {outside[0]} (give null)")
    try:
        return DischargeCharting(
            charted_at=_time(charted.charted_at, "charted.charted_at"),
            points=points,
            supplemental_oxygen=charted.supplemental_oxygen,
            oriented=charted.oriented,
            escort_present=charted.escort_present,
            driving_advice_given=charted.driving_advice_given,
        )
    except ClinicalInputError as error:
        raise ClinicalInputError(f"charted: {error}") from None
