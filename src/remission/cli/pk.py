"""``remission pk``: simulate a regimen, a virtual population, or write the validation report.

Regimen grammar (repeatable options, times in minutes from the first dose unless suffixed):

    --iv DOSE:DURATION@START     IV infusion; DOSE 0.5mg/kg | 35mg | a rate 0.75mg/kg/h, 52.5mg/h
    --bolus DOSE@START           IV bolus
    --im DOSE@START              intramuscular injection
    --nasal 56mg@START           esketamine nasal spray, 28 mg devices 5 min apart
    --repeat N --every 3.5d      the whole regimen N times (an induction series)

DURATION and START take ``min``, ``h`` or ``d`` (``40min``, ``2h``, ``1d2h``); a bare number
is minutes. Pauses and rate changes are consecutive ``--iv`` segments.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import numpy as np

from remission.clinical.errors import ClinicalInputError
from remission.clinical.pk.builders import Covariates, PkModel
from remission.clinical.pk.models import MODELS, get_model
from remission.clinical.pk.population import distribution, simulate_population
from remission.clinical.pk.predict import DISCLAIMER, predict_regimen
from remission.clinical.pk.regimen import (
    Bolus,
    DoseBasis,
    DoseEvent,
    Infusion,
    IntramuscularInjection,
    NasalDose,
    Regimen,
    to_base_mg,
)
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.solve import FloatArray
from remission.clinical.pk.summary import summarise

HELP = "Ketamine/esketamine concentration curves, virtual populations and the validation report."

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)"
_TIME_PART = re.compile(rf"({_NUMBER})(d|h|min|m)?")
_DOSE = re.compile(rf"^({_NUMBER})mg(/kg)?(?:/(h|min))?$")
_MINUTES = {"d": 1440.0, "h": 60.0, "min": 1.0, "m": 1.0, None: 1.0}
DEFAULT_TAIL_MIN = 240.0
MAX_OUTPUT_POINTS = 200_000


def parse_minutes(text: str, what: str) -> float:
    """``90``, ``90min``, ``2h``, ``1d``, ``1d2h30min`` → minutes."""
    spec = text.strip().lower()
    pos, total = 0, 0.0
    for match in _TIME_PART.finditer(spec):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _MINUTES[match.group(2)]
        pos = match.end()
    if not spec or pos != len(spec):
        raise ClinicalInputError(f"cannot read {what} {text!r}: use e.g. 40min, 2h, 1d or 90")
    return total


class _Dose:
    def __init__(self, text: str, *, rate_allowed: bool) -> None:
        match = _DOSE.fullmatch(text.strip().lower())
        if not match:
            example = "0.5mg/kg, 35mg or 0.75mg/kg/h" if rate_allowed else "0.5mg/kg or 35mg"
            raise ClinicalInputError(f"cannot read dose {text!r}: use e.g. {example}")
        self.amount = float(match.group(1))
        self.per_kg = match.group(2) is not None
        self.per = match.group(3)
        if self.per and not rate_allowed:
            raise ClinicalInputError(f"a rate ({text}) only makes sense for --iv")
        if self.amount <= 0:
            raise ClinicalInputError(f"dose must be positive, got {text!r}")

    def mg(self, weight_kg: float | None, duration_min: float = 0.0) -> float:
        amount = self.amount
        if self.per_kg:
            if weight_kg is None:
                raise ClinicalInputError("a dose in mg/kg needs --weight-kg")
            amount *= weight_kg
        if self.per is not None:
            amount *= duration_min / (60.0 if self.per == "h" else 1.0)
        return amount


def _split(text: str, option: str) -> tuple[str, float]:
    body, sep, start = text.partition("@")
    if sep and not start:
        raise ClinicalInputError(f"{option} {text!r}: missing start time after @")
    return body, parse_minutes(start, f"{option} start") if sep else 0.0


def parse_regimen(args: argparse.Namespace) -> Regimen:
    weight = args.weight_kg
    basis = DoseBasis(args.dose_as)
    events: list[DoseEvent] = []
    for text in args.iv:
        body, start = _split(text, "--iv")
        dose_text, sep, duration_text = body.partition(":")
        if not sep or not duration_text:
            raise ClinicalInputError(
                f"--iv {text!r}: expected DOSE:DURATION@START, e.g. 35mg:40min@0"
            )
        duration = parse_minutes(duration_text, "--iv duration")
        mg = _Dose(dose_text, rate_allowed=True).mg(weight, duration)
        events.append(Infusion(start, duration, to_base_mg(mg, basis)))
    for text in args.bolus:
        body, start = _split(text, "--bolus")
        events.append(Bolus(start, to_base_mg(_Dose(body, rate_allowed=False).mg(weight), basis)))
    for text in args.im:
        body, start = _split(text, "--im")
        mg = to_base_mg(_Dose(body, rate_allowed=False).mg(weight), basis)
        events.append(IntramuscularInjection(start, mg))
    for text in args.nasal:
        body, start = _split(text, "--nasal")
        dose = _Dose(body, rate_allowed=False)
        if dose.per_kg:
            raise ClinicalInputError(
                "nasal esketamine is dosed in mg (28 mg per device), not mg/kg"
            )
        if basis is not DoseBasis.BASE:
            raise ClinicalInputError("nasal esketamine doses are written as base (28 mg devices)")
        events.append(NasalDose.of_mg(start, dose.mg(None)))
    if not events:
        raise ClinicalInputError("give at least one dose: --iv, --bolus, --im or --nasal")
    regimen = Regimen.of(events)
    if args.repeat != 1 or args.every is not None:
        if args.every is None:
            raise ClinicalInputError("--repeat needs --every (e.g. --every 3.5d)")
        regimen = regimen.repeated(args.repeat, parse_minutes(args.every, "--every"))
    return regimen


def _times(args: argparse.Namespace, regimen: Regimen) -> FloatArray:
    end = args.until_min
    if end is None:
        end = regimen.last_end_min + DEFAULT_TAIL_MIN
    step = args.step_min
    if not np.isfinite(end) or end <= 0:
        raise ClinicalInputError("--until-min must be positive")
    if not np.isfinite(step) or step <= 0:
        raise ClinicalInputError("--step-min must be positive")
    if end / step > MAX_OUTPUT_POINTS:
        raise ClinicalInputError(
            f"{end / step:.0f} output points is too many (max {MAX_OUTPUT_POINTS}); "
            "raise --step-min"
        )
    times = np.arange(0.0, end + step * 1e-9, step)
    if times[-1] < end - 1e-9:
        times = np.append(times, end)
    return times


def _covariates(args: argparse.Namespace) -> Covariates:
    return Covariates(age_years=args.age_years, asian=args.asian, japanese=args.japanese)


SIGNIFICANT_DIGITS = 9  # machine output keeps its precision; screens round for reading


def _round(values: FloatArray, digits: int = 6) -> list[float]:
    """Times: to ``digits`` decimals (a grid of whole or fractional minutes)."""
    rounded: list[float] = np.round(values, digits).tolist()
    return rounded


def _precise(value: float) -> float:
    """A concentration or summary to ``SIGNIFICANT_DIGITS`` significant digits, so late-curve
    values keep their relative precision (4.06 vs 4.064 ng/mL)."""
    return float(f"{float(value):.{SIGNIFICANT_DIGITS}g}")


def _precise_all(values: FloatArray) -> list[float]:
    return [_precise(v) for v in np.asarray(values, dtype=float).ravel()]


def _common(sub: argparse.ArgumentParser, *, step_default: float) -> None:
    sub.add_argument("--model", default="clements1981", choices=sorted(MODELS))
    sub.add_argument("--weight-kg", type=float, default=None)
    sub.add_argument("--iv", action="append", default=[], metavar="DOSE:DURATION@START")
    sub.add_argument("--bolus", action="append", default=[], metavar="DOSE@START")
    sub.add_argument("--im", action="append", default=[], metavar="DOSE@START")
    sub.add_argument("--nasal", action="append", default=[], metavar="MG@START")
    sub.add_argument("--repeat", type=int, default=1, help="give the regimen N times")
    sub.add_argument("--every", default=None, help="interval between repeats, e.g. 3.5d")
    sub.add_argument(
        "--dose-as",
        choices=[b.value for b in DoseBasis],
        default=DoseBasis.BASE.value,
        help="doses are mg of free base (default) or of the hydrochloride salt",
    )
    sub.add_argument("--until-min", type=float, default=None, help="default: 4 h after last dose")
    sub.add_argument("--step-min", type=float, default=step_default)
    sub.add_argument("--threshold-ng-ml", type=float, default=None)
    sub.add_argument("--age-years", type=float, default=None, help="perezruixo2021 only")
    sub.add_argument("--asian", action="store_true", help="perezruixo2021 covariate")
    sub.add_argument("--japanese", action="store_true", help="perezruixo2021 covariate")


def configure(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="pk_command", required=True)
    sim = commands.add_parser("simulate", help="typical-patient concentration curve")
    _common(sim, step_default=1.0)
    sim.add_argument("--svg", type=Path, default=None, help="write the chart (curve + band)")
    sim.add_argument("--band-n", type=int, default=1000, help="virtual patients for the band")
    sim.add_argument("--seed", type=int, default=0)
    pop = commands.add_parser("population", help="virtual population: bands and summaries")
    _common(pop, step_default=5.0)
    pop.add_argument("--n", type=int, default=1000)
    pop.add_argument("--seed", type=int, default=0)
    val = commands.add_parser("validate", help="validation anchors (JSON) or the report")
    val.add_argument("--write", type=Path, default=None, help="write the Markdown report here")


def run(args: argparse.Namespace) -> object:
    if args.pk_command == "validate":
        return _validate(args)
    model = get_model(args.model)
    regimen = parse_regimen(args)
    model.check_routes(regimen.routes)
    model.check_weight(args.weight_kg)
    times = _times(args, regimen)
    if args.pk_command == "simulate":
        return _simulate(args, model, regimen, times)
    return _population(args, model, regimen, times)


def _header(model: PkModel, args: argparse.Namespace) -> dict[str, Any]:
    return {"model": model.id, "analyte": model.analyte, "unit": "ng/mL"}


def _simulate(
    args: argparse.Namespace, model: PkModel, regimen: Regimen, times: FloatArray
) -> dict[str, Any]:
    sim = simulate(model, regimen, weight_kg=args.weight_kg, covariates=_covariates(args))
    end = float(times[-1])
    summary = summarise(
        sim.solution, model.analyte, end_min=end, threshold_ng_per_ml=args.threshold_ng_ml
    )
    curves = sim.solution.concentrations(times, sim.analytes)
    curve = curves[model.analyte][0]
    out = _header(model, args)
    out |= {
        "times_min": _round(times, 6),
        "concentration": _precise_all(curve),
        "cmax": _precise(summary.cmax_ng_per_ml[0]),
        "tmax_min": _precise(summary.tmax_min[0]),
        "auc_ng_h_per_ml": _precise(summary.auc_ng_h_per_ml[0]),
        "auc_window_min": [0.0, round(end, 6)],
    }
    if summary.minutes_above is not None:
        out["threshold_ng_per_ml"] = args.threshold_ng_ml
        out["minutes_above_threshold"] = _precise(summary.minutes_above[0])
    if model.metabolites:
        out["metabolites"] = {m: _precise_all(curves[m][0]) for m in model.metabolites}
    out |= {
        "drug": model.drug,
        "dose_basis": "base",
        "total_dose_mg": round(regimen.total_dose_mg, 4),
        "weight_kg": args.weight_kg,
        "warnings": list(model.warnings),
        "note": DISCLAIMER,
    }
    if args.svg is not None:
        out["svg"] = str(args.svg)
        _write_svg(args, model, regimen, times)
    return out


def _write_svg(
    args: argparse.Namespace, model: PkModel, regimen: Regimen, times: FloatArray
) -> None:
    from remission.charts.pk import concentration_svg

    curve, metabolites, band, _note, _ = predict_regimen(
        model,
        regimen,
        weight_kg=args.weight_kg,
        times_min=times,
        covariates=_covariates(args),
        band_patients=args.band_n if model.has_variability else 0,
        seed=args.seed,
    )
    svg = concentration_svg(
        times,
        curve,
        title=f"{model.id}: {model.analyte}, typical patient"
        + ("" if band is not None else " (no published variability, so no band)"),
        analyte=model.analyte,
        band_low=None if band is None else band.at(5.0),
        band_high=None if band is None else band.at(95.0),
        metabolites=metabolites,
        threshold_ng_per_ml=args.threshold_ng_ml,
    )
    args.svg.write_text(svg, encoding="utf-8")


def _population(
    args: argparse.Namespace, model: PkModel, regimen: Regimen, times: FloatArray
) -> dict[str, Any]:
    result = simulate_population(
        model,
        regimen,
        weight_kg=args.weight_kg,
        covariates=_covariates(args),
        n_patients=args.n,
        seed=args.seed,
        end_min=float(times[-1]),
        times_min=times,
        threshold_ng_per_ml=args.threshold_ng_ml,
    )
    pct = result.percentiles
    analytes = (model.analyte, *model.metabolites)
    summaries: dict[str, Any] = {}
    for a in analytes:
        s = result.summaries[a]
        entry = {
            "cmax": _rounded_dist(s.cmax_ng_per_ml, pct),
            "tmax_min": _rounded_dist(s.tmax_min, pct),
            "auc_ng_h_per_ml": _rounded_dist(s.auc_ng_h_per_ml, pct),
        }
        if s.minutes_above is not None:
            entry["minutes_above_threshold"] = _rounded_dist(s.minutes_above, pct)
        summaries[a] = entry
    out = _header(model, args)
    out |= {
        "n": result.n_patients,
        "seed": result.seed,
        "weight_kg": args.weight_kg,
        "times_min": _round(times, 6),
        "typical": _precise_all(result.typical[model.analyte]),
        "bands": {
            a: {f"p{p:g}": _precise_all(row) for p, row in zip(pct, result.bands[a], strict=True)}
            for a in analytes
        },
        "summaries": summaries,
        "threshold_ng_per_ml": args.threshold_ng_ml,
        "auc_window_min": [0.0, round(float(times[-1]), 6)],
        "variability": [
            {
                "parameter": r.parameter,
                "omega_sq": round(r.variance, 6),
                "scale": r.scale,
                "as_published": r.as_published,
            }
            for r in model.random_effects
        ],
        "warnings": list(model.warnings),
        "note": DISCLAIMER,
    }
    return out


def _rounded_dist(values: FloatArray, pct: tuple[float, ...]) -> dict[str, float]:
    return {k: _precise(v) for k, v in distribution(values, pct).items()}


def _validate(args: argparse.Namespace) -> object:
    from remission.clinical.pk.validation import render_markdown, validation_report

    report = validation_report()
    if args.write is None:
        return {
            "anchors": [
                {
                    "model": a.model_id,
                    "anchor": a.anchor,
                    "quantity": a.quantity,
                    "reference": a.reference,
                    "predicted": round(a.predicted, 3),
                    "unit": a.unit,
                    "deviation_pct": round(a.deviation_pct, 2),
                    "tolerance_pct": a.tolerance_pct,
                    "kind": a.kind,
                    "verdict": a.verdict,
                    "source": a.source.label(),
                }
                for a in report.anchors
            ],
            "note": DISCLAIMER,
        }
    from remission.charts.pk import Anchor, concentration_svg

    page: Path = args.write
    svg_dir = page.parent / page.stem
    svg_dir.mkdir(parents=True, exist_ok=True)
    for curve in report.curves:
        model = MODELS[curve.model_id]
        svg = concentration_svg(
            curve.times_min,
            curve.typical,
            title=f"{model.id}: {curve.regimen_text}",
            analyte=model.analyte,
            band_low=curve.band_low,
            band_high=curve.band_high,
            metabolites=curve.metabolites,
            anchors=[Anchor(t, c, label) for t, c, label in curve.marks],
        )
        (svg_dir / f"{model.id}.svg").write_text(svg, encoding="utf-8")
    command = f"remission pk validate --write {page.as_posix()}"
    page.write_text(render_markdown(report, svg_dir=page.stem, command=command), encoding="utf-8")
    return None
