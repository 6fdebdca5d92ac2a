"""``remission vitals check``: one set of vital signs judged as the chair-side does, as JSON.

Before the dose (``--when pre-dose``, the default): proceed, proceed with caution or hold, with
every finding (a fall from ``--usual-bp``, the intake's BP, holds too). During the session
(``--when in-session``): the alerts the reading raises, rises and falls measured from the
pre-dose ``--baseline-*`` reading.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re

from remission.cli.clinic_settings import add_setting_option, overrides_from
from remission.clinical.errors import ClinicalInputError
from remission.clinical.monitoring import VitalSigns, evaluate_vitals, predose_check

HELP = "Judge one set of vital signs before the dose (proceed/hold) or in session (alerts)."

_BP = re.compile(r"([0-9]{2,3})/([0-9]{2,3})")
_READING_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # a reading's time does not change a rule


def _bp(text: str) -> tuple[int, int]:
    match = _BP.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected SYSTOLIC/DIASTOLIC in mmHg, got {text!r}")
    return int(match.group(1)), int(match.group(2))


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="check")
    check = sub.add_parser("check", help=HELP, description=HELP)
    check.error = parser.error  # type: ignore[method-assign]  # one line on stderr, exit 2
    check.add_argument("--when", choices=("pre-dose", "in-session"), default="pre-dose")
    check.add_argument("--bp", type=_bp, metavar="SYS/DIA")
    check.add_argument("--hr", type=_whole, metavar="BPM")
    check.add_argument("--spo2", type=_whole, metavar="PERCENT")
    check.add_argument("--rr", type=_whole, metavar="PER_MIN")
    check.add_argument("--baseline-bp", type=_bp, metavar="SYS/DIA", help="in session: pre-dose")
    check.add_argument("--baseline-hr", type=_whole, metavar="BPM")
    check.add_argument("--usual-bp", type=_bp, metavar="SYS/DIA", help="pre-dose: the intake's BP")
    add_setting_option(check, "monitoring.hypotension_systolic_below_mmhg=95")


def _reading(bp: tuple[int, int] | None, **values: int | None) -> VitalSigns:
    return VitalSigns(
        measured_at=_READING_TIME,
        systolic_mmhg=bp[0] if bp else None,
        diastolic_mmhg=bp[1] if bp else None,
        **values,
    )


def run(args: argparse.Namespace) -> dict[str, object]:
    overrides = overrides_from(args.setting)
    reading = _reading(
        args.bp, heart_rate_bpm=args.hr, spo2_percent=args.spo2, respiratory_rate_per_min=args.rr
    )
    if args.when == "pre-dose":
        if args.baseline_bp or args.baseline_hr:
            raise ClinicalInputError("--baseline-* is the pre-dose reading: use it in session")
        usual = _reading(args.usual_bp) if args.usual_bp else None
        decision = predose_check(reading, overrides, reference=usual)
        return {
            "when": "pre_dose",
            "decision": decision.status.value,
            "message": decision.message,
            "findings": [
                {
                    "code": f.code,
                    "status": f.status.value,
                    "message": f.message,
                    "setting": f.setting,
                }
                for f in decision.findings
            ],
        }
    if args.usual_bp:
        raise ClinicalInputError("--usual-bp is for the pre-dose check")
    baseline = None
    if args.baseline_bp or args.baseline_hr:
        baseline = _reading(args.baseline_bp, heart_rate_bpm=args.baseline_hr)
    alerts = evaluate_vitals(reading, baseline, overrides)
    return {
        "when": "in_session",
        "alerts": [
            {
                "code": a.code,
                "severity": a.severity.value,
                "message": a.message,
                "advice": a.advice,
                "setting": a.setting,
            }
            for a in alerts
        ],
    }
