"""``remission score``: score a rating scale, optionally against a baseline, as JSON."""

from __future__ import annotations

import argparse
import re

from remission.cli.clinic_settings import add_setting_option, overrides_from
from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError
from remission.clinical.instruments import ChangeResult, ScoreResult

HELP = "Score a rating scale (PHQ-9, QIDS-SR16, MADRS, ...) and compare it with a baseline."

_MISSING_FIELDS = {"", "-"}
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instrument", choices=instruments.ids(), help="scale id")
    parser.add_argument(
        "--answers",
        required=True,
        metavar="A,B,...",
        help="answers in item order, comma-separated; an empty field or - is a missing answer "
        "(write --answers=-,... when the first one is missing)",
    )
    parser.add_argument(
        "--baseline-answers",
        metavar="A,B,...",
        help="baseline answers in the same form; adds change, response and remission",
    )
    add_setting_option(parser, "instruments.madrs.remission_max_total=12")


def run(args: argparse.Namespace) -> dict[str, object]:
    overrides = overrides_from(args.setting)
    followup = instruments.score(
        args.instrument, parse_answers(args.instrument, args.answers), overrides=overrides
    )
    output = score_json(followup)
    if args.baseline_answers is not None:
        baseline = instruments.score(
            args.instrument,
            parse_answers(args.instrument, args.baseline_answers),
            overrides=overrides,
        )
        output.update(
            change_json(instruments.compare_scores(baseline, followup, overrides=overrides))
        )
    return output


def parse_answers(instrument_id: str, text: str) -> list[int | None]:
    """``"2,,1,-"`` -> ``[2, None, 1, None]``; anything else but whole numbers is refused."""
    answers: list[int | None] = []
    for number, raw in enumerate(text.split(","), start=1):
        field = raw.strip()
        if field in _MISSING_FIELDS:
            answers.append(None)
        elif _WHOLE_NUMBER.fullmatch(field):
            answers.append(int(field))
        else:
            raise ClinicalInputError(
                f"{instrument_id}: item {number} answer {field!r} is not a whole number"
            )
    return answers


def score_json(result: ScoreResult) -> dict[str, object]:
    output: dict[str, object] = {
        "instrument": result.instrument_id,
        "total": result.total,
        "max": result.maximum,
        "severity": None if result.severity is None else result.severity.id,
        "valid": result.valid,
        "missing": result.missing,
        "flags": [{"id": flag.id, "message": flag.message} for flag in result.flags],
    }
    if result.reason:
        output["reason"] = result.reason
    if result.subscores:
        output["subscores"] = {subscore.id: subscore.value for subscore in result.subscores}
    if result.classifications:
        output["classifications"] = {c.id: c.met for c in result.classifications}
    return output


def change_json(change: ChangeResult) -> dict[str, object]:
    output: dict[str, object] = {
        "baseline_total": change.baseline.total,
        "change": change.change,
        "percent_change": change.percent_change,
        "response": change.response,
        "remission": change.remission,
        "meets_mcid": change.meets_mcid,
    }
    if change.reason:
        output["change_reason"] = change.reason
    return output
