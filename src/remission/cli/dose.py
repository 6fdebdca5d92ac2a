"""``remission dose``: a ketamine dose, volume and pump rate (or esketamine devices) as JSON.

The default route is an IV infusion of racemic ketamine; its output has exactly the keys
``dose_mg, volume_ml, rate_ml_per_h, dosing_weight_kg, basis, warnings`` in that order. IM
injections use the same keys (``rate_ml_per_h`` is ``null``). ``--route esketamine`` plans
28 mg devices instead. ``--details`` appends the rest of the calculation (ideal weight, BMI,
rounding rules). ``--setting KEY=VALUE`` applies a clinic's override of a ``dosing.*`` default.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation
from typing import Any

from remission.cli.clinic_settings import add_setting_option, overrides_from
from remission.clinical import dosing, esketamine
from remission.clinical.errors import ClinicalInputError
from remission.clinical.routes import Route

HELP = "Calculate a ketamine dose, volume and infusion rate, or esketamine devices."

ROUTE_CHOICES = {
    "iv": Route.IV_RACEMIC,
    "im": Route.IM_RACEMIC,
    "esketamine": Route.ESKETAMINE_NASAL,
}
WEIGHT_BASED_OUTPUT = ("dose_mg", "volume_ml", "rate_ml_per_h", "dosing_weight_kg", "basis")


def decimal_argument(text: str) -> Decimal:
    """An argparse type: a finite decimal number (argparse reports anything else in one line)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not number.is_finite():
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    return number


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--route",
        choices=sorted(ROUTE_CHOICES),
        default="iv",
        help="iv (racemic infusion, default), im (racemic injection) or esketamine (nasal spray)",
    )
    parser.add_argument("--weight-kg", type=decimal_argument, help="actual body weight in kg")
    parser.add_argument("--mg-per-kg", type=decimal_argument, help="prescribed dose in mg/kg")
    parser.add_argument(
        "--minutes", type=decimal_argument, help="infusion duration in minutes (IV only)"
    )
    parser.add_argument(
        "--concentration-mg-per-ml",
        type=decimal_argument,
        help="concentration of the prepared solution in mg/mL",
    )
    parser.add_argument(
        "--basis",
        choices=[b.value for b in dosing.WeightBasis],
        default=dosing.WeightBasis.ACTUAL.value,
        help="weight to dose on (ideal and adjusted need --height-cm and --sex)",
    )
    parser.add_argument("--height-cm", type=decimal_argument, help="height in cm")
    parser.add_argument("--sex", choices=[s.value for s in dosing.Sex], help="female or male")
    parser.add_argument(
        "--esketamine-mg", type=decimal_argument, help="esketamine dose in mg (multiple of 28)"
    )
    parser.add_argument(
        "--first-induction-dose",
        action="store_true",
        help="esketamine: this is the first induction dose (day 1), judged against the label's "
        "day-1 dose for the indication, age and ancestry",
    )
    parser.add_argument(
        "--indication",
        choices=[i.value for i in esketamine.Indication],
        default=esketamine.Indication.TRD.value,
        help="esketamine: trd (default) or mdsi (acute suicidal ideation or behaviour)",
    )
    parser.add_argument(
        "--age-years",
        type=int,
        help="esketamine: the patient's age (the SmPC starts at 28 mg at 65 or over)",
    )
    parser.add_argument(
        "--japanese-ancestry",
        choices=("yes", "no"),
        help="esketamine: Japanese ancestry as the patient reports it (SmPC start-dose rule)",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="also print ideal weight, BMI, mg/kg, concentration and rounding rules",
    )
    add_setting_option(parser, "dosing.iv.mg_per_kg_hard_max=1.2")


def run(args: argparse.Namespace) -> object:
    route = ROUTE_CHOICES[args.route]
    overrides = overrides_from(args.setting)
    if route is Route.ESKETAMINE_NASAL:
        return _esketamine(args, overrides)
    _refuse_options(
        args,
        {
            "esketamine_mg": "--esketamine-mg",
            "first_induction_dose": "--first-induction-dose",
            "age_years": "--age-years",
            "japanese_ancestry": "--japanese-ancestry",
        },
        route,
    )
    weight_kg = _required(args.weight_kg, "--weight-kg", route)
    mg_per_kg = _required(args.mg_per_kg, "--mg-per-kg", route)
    concentration = _required(args.concentration_mg_per_ml, "--concentration-mg-per-ml", route)
    common: dict[str, Any] = {
        "actual_weight_kg": weight_kg,
        "mg_per_kg": mg_per_kg,
        "concentration_mg_per_ml": concentration,
        "basis": dosing.WeightBasis(args.basis),
        "height_cm": args.height_cm,
        "sex": None if args.sex is None else dosing.Sex(args.sex),
        "overrides": overrides,
    }
    if route is Route.IV_RACEMIC:
        minutes = _required(args.minutes, "--minutes", route)
        result = dosing.calculate_iv_infusion(infusion_minutes=minutes, **common)
    else:
        _refuse_options(args, {"minutes": "--minutes"}, route)
        result = dosing.calculate_im_injection(**common)
    output: dict[str, object] = {name: getattr(result, name) for name in WEIGHT_BASED_OUTPUT}
    output["warnings"] = result.warnings
    if args.details:
        output.update(
            route=result.route,
            mg_per_kg=result.mg_per_kg,
            actual_weight_kg=result.actual_weight_kg,
            ideal_body_weight_kg=result.ideal_body_weight_kg,
            bmi_kg_per_m2=result.bmi_kg_per_m2,
            concentration_mg_per_ml=result.concentration_mg_per_ml,
            infusion_minutes=result.infusion_minutes,
            rounding=result.rounding,
        )
    return output


def _esketamine(args: argparse.Namespace, overrides: dict[str, Any]) -> object:
    route = Route.ESKETAMINE_NASAL
    _refuse_options(
        args,
        {
            "weight_kg": "--weight-kg",
            "mg_per_kg": "--mg-per-kg",
            "minutes": "--minutes",
            "concentration_mg_per_ml": "--concentration-mg-per-ml",
            "height_cm": "--height-cm",
            "sex": "--sex",
        },
        route,
    )
    if args.basis != dosing.WeightBasis.ACTUAL.value:
        raise ClinicalInputError("--basis does not apply to esketamine (fixed doses)")
    dose_mg = _required(args.esketamine_mg, "--esketamine-mg", route)
    if args.age_years is not None and not 0 <= args.age_years <= 120:
        raise ClinicalInputError(f"--age-years must be between 0 and 120, got {args.age_years}")
    patient = esketamine.EsketaminePatient(
        indication=esketamine.Indication(args.indication),
        age_years=args.age_years,
        japanese_ancestry=None
        if args.japanese_ancestry is None
        else args.japanese_ancestry == "yes",
    )
    plan = dosing.plan_esketamine_devices(
        dose_mg=dose_mg,
        first_induction_dose=args.first_induction_dose,
        patient=patient,
        overrides=overrides,
    )
    output: dict[str, object] = {
        "dose_mg": plan.dose_mg,
        "device_count": plan.device_count,
        "device_offsets_minutes": plan.device_offsets_minutes,
        "warnings": plan.warnings,
    }
    if args.details:
        output.update(
            mg_per_device=plan.mg_per_device, minutes_between_devices=plan.minutes_between_devices
        )
    return output


def _required(value: Decimal | None, option: str, route: Route) -> Decimal:
    if value is None:
        raise ClinicalInputError(f"{option} is required for route {route.value}")
    return value


def _refuse_options(args: argparse.Namespace, options: dict[str, str], route: Route) -> None:
    """Refuse options that do not apply to ``route`` instead of ignoring them silently."""
    for attribute, option in options.items():
        if getattr(args, attribute) not in (None, False):
            raise ClinicalInputError(f"{option} does not apply to route {route.value}")
