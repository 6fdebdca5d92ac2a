"""``remission eligibility``: screen an intake file, route by route, as JSON.

Reads ``--intake FILE`` (JSON, validated by ``Intake.from_mapping``) and prints the
decision-support notice, each route's status with every reason, and the treatment-resistance
count with its Maudsley staging. ``--setting KEY=VALUE`` applies a clinic's override of an
``eligibility.*`` default.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from remission.cli.clinic_settings import add_setting_option, overrides_from
from remission.cli.input import read_json_file
from remission.clinical.eligibility import Intake, assess_eligibility

HELP = "Screen an intake for IV, IM and esketamine eligibility, with reasons and TRD staging."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--intake",
        required=True,
        type=Path,
        metavar="FILE",
        help="intake JSON file (see docs/examples/intake-eligible.json)",
    )
    add_setting_option(parser, "eligibility.trd_minimum_failed_trials=3")


def run(args: argparse.Namespace) -> object:
    overrides = overrides_from(args.setting)
    intake = Intake.from_mapping(read_json_file(args.intake))
    assessment = assess_eligibility(intake, overrides=overrides)
    return {
        "decision_support_notice": assessment.decision_support_notice,
        "routes": {
            decision.route.value: {"status": decision.status, "reasons": decision.reasons}
            for decision in assessment.routes
        },
        "treatment_resistance": assessment.treatment_resistance,
        "settings_used": assessment.settings_used,
    }
