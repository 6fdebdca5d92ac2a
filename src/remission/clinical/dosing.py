"""Dose arithmetic for racemic ketamine (IV infusion, IM injection) and esketamine nasal spray.

Everything is ``Decimal``; nothing is clamped. Input that cannot be a real patient or product
(weight ≤ 0 kg, concentration ≤ 0 mg/mL, infusion minutes ≤ 0, ...) raises
``ClinicalInputError``. A dose beyond a per-protocol **hard** limit raises ``HardLimitExceeded``.
A dose outside a **soft** range is calculated, and the result carries a ``DoseWarning`` (code,
message, ``Evidence``) that a person must acknowledge before it is given.

Weight basis (a per-protocol setting; trials dose on actual weight):

* ``actual``   – the weight as measured;
* ``ideal``    – Devine ideal body weight: male 50 kg, female 45.5 kg, plus 2.3 kg for every inch
  of height over 60 in (152.4 cm). Devine is defined from 60 in upward; for a shorter patient
  this module **refuses** to compute ideal or adjusted weight (``ClinicalInputError``) rather
  than extrapolate below the formula's range — the prescriber chooses actual weight instead;
* ``adjusted`` – IBW + 0.4 × (actual − IBW).

When ideal or adjusted weight lies above the actual weight (an underweight patient), the dose
is still calculated on the chosen basis, with the warning ``dosing_weight_above_actual``.

Rounding (``decimal.ROUND_HALF_UP`` throughout). Each quantity is rounded once, and the next
quantity is calculated from the rounded value a person reads, so every figure can be re-checked
by hand from the figures shown (``dose = weight × mg/kg``; ``volume = dose ÷ concentration``;
``rate = volume × 60 ÷ minutes``):

=========================  ========  ===============================================
quantity                   step      calculated from
=========================  ========  ===============================================
ideal_body_weight_kg       0.1 kg    height (cm → in ÷ 2.54) and sex
dosing_weight_kg           0.1 kg    actual, ideal or adjusted weight (from rounded IBW)
dose_mg                    0.1 mg    dosing_weight_kg × mg_per_kg
volume_ml                  0.01 mL   dose_mg ÷ concentration_mg_per_ml
rate_ml_per_h              0.01 mL/h volume_ml × 60 ÷ infusion_minutes
=========================  ========  ===============================================

A volume or rate that rounds to 0 is refused rather than shown as 0. The same table is
returned with every result (``ROUNDING_RULES``). The BMI shown with a
result (for the BMI prompt) is ``remission.clinical.units.body_mass_index``, to 0.1.
Esketamine doses are whole devices of 28 mg and are never rounded: a dose that is not a
multiple of 28 mg is refused.

Limits come from ``remission.clinical.dose_limits`` (registry keys ``dosing.*``, with their
sources) and are passed around as ``DoseLimits``; a clinic may override them. Decision support
only: a prescriber signs off every dose.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from remission.clinical import registry
from remission.clinical.dose_limits import (
    ADJUSTED_WEIGHT_FORMULA,
    BMI_PROMPT,
    CLINIC_IV_RANGE,
    DEVINE_FORMULA,
    ESKETAMINE_MG_PER_DEVICE,
    ESKETAMINE_MINUTES_BETWEEN_DEVICES,
    HEIGHT_FOR_BMI,
    IM_DOSE,
    IM_VOLUME,
    INFUSION_DURATION,
    MAXIMUM_INFUSION_MINUTES,
    PLAUSIBLE_HEIGHT_CM,
    PLAUSIBLE_WEIGHT_KG,
    STANDARD_IV_DOSE,
    DoseLimits,
    esketamine_dose_mg_hard_max,
)
from remission.clinical.errors import ClinicalInputError, HardLimitExceeded
from remission.clinical.esketamine import EsketaminePatient, clinic_label, dose_notices
from remission.clinical.evidence import Evidence
from remission.clinical.routes import Route
from remission.clinical.units import CM_PER_IN, body_mass_index


class Sex(enum.StrEnum):
    """Sex as used by body-weight formulas (Devine) and the intake."""

    FEMALE = "female"
    MALE = "male"


class WeightBasis(enum.StrEnum):
    ACTUAL = "actual"
    IDEAL = "ideal"
    ADJUSTED = "adjusted"


_DEVINE_BASE_HEIGHT_IN = Decimal("60")
_DEVINE_BASE_KG = {Sex.MALE: Decimal("50"), Sex.FEMALE: Decimal("45.5")}
_DEVINE_KG_PER_INCH = Decimal("2.3")
_ADJUSTED_WEIGHT_FACTOR = Decimal("0.4")


# --- Rounding --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundingRule:
    quantity: str
    step: Decimal
    mode: str = ROUND_HALF_UP

    def apply(self, value: Decimal) -> Decimal:
        return value.quantize(self.step, rounding=self.mode)


ROUND_WEIGHT_KG = RoundingRule("weight_kg (ideal, dosing)", Decimal("0.1"))
ROUND_DOSE_MG = RoundingRule("dose_mg", Decimal("0.1"))
ROUND_VOLUME_ML = RoundingRule("volume_ml", Decimal("0.01"))
ROUND_RATE_ML_PER_H = RoundingRule("rate_ml_per_h", Decimal("0.01"))

ROUNDING_RULES: tuple[RoundingRule, ...] = (
    ROUND_WEIGHT_KG,
    ROUND_DOSE_MG,
    ROUND_VOLUME_ML,
    ROUND_RATE_ML_PER_H,
)


# --- Results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DoseWarning:
    """A soft limit crossed: the dose is calculated, and a person must acknowledge this."""

    code: str
    message: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class DosingWeight:
    dosing_weight_kg: Decimal
    basis: WeightBasis
    actual_weight_kg: Decimal
    ideal_body_weight_kg: Decimal | None
    warnings: tuple[DoseWarning, ...]


@dataclass(frozen=True, slots=True)
class WeightBasedDose:
    """A racemic ketamine dose (IV infusion or IM injection), every figure rounded as documented.

    The first six fields are the ``remission dose`` output, in that order.
    """

    dose_mg: Decimal
    volume_ml: Decimal
    rate_ml_per_h: Decimal | None  # None for an IM injection
    dosing_weight_kg: Decimal
    basis: WeightBasis
    warnings: tuple[DoseWarning, ...]
    route: Route
    mg_per_kg: Decimal
    actual_weight_kg: Decimal
    ideal_body_weight_kg: Decimal | None
    bmi_kg_per_m2: Decimal | None
    concentration_mg_per_ml: Decimal
    infusion_minutes: Decimal | None
    rounding: tuple[RoundingRule, ...]


@dataclass(frozen=True, slots=True)
class EsketamineDevicePlan:
    """Esketamine nasal spray: how many 28 mg devices, and when each starts (minutes)."""

    dose_mg: int
    device_count: int
    device_offsets_minutes: tuple[int, ...]
    warnings: tuple[DoseWarning, ...]
    mg_per_device: int = ESKETAMINE_MG_PER_DEVICE
    minutes_between_devices: int = ESKETAMINE_MINUTES_BETWEEN_DEVICES


# --- Body weight -----------------------------------------------------------------------------


def _require_in_range(name: str, value: Decimal, low: Decimal, high: Decimal) -> None:
    if not value.is_finite():
        raise ClinicalInputError(f"{name} must be a finite number, got {value}")
    if value <= 0:
        raise ClinicalInputError(f"{name} must be positive, got {value}")
    if not low <= value <= high:
        raise ClinicalInputError(f"{name} {value} is outside the plausible range {low}–{high}")


def _require_positive(name: str, value: Decimal) -> None:
    if not value.is_finite() or value <= 0:
        raise ClinicalInputError(f"{name} must be a positive number, got {value}")


def devine_ideal_body_weight_kg(*, height_cm: Decimal, sex: Sex) -> Decimal:
    """Devine ideal body weight, rounded to 0.1 kg. Source: ``DEVINE_FORMULA`` [mem].

    Devine is defined from 60 in (152.4 cm) upward; below that this refuses
    (``ClinicalInputError``) instead of extrapolating a formula outside its range.
    """
    _require_in_range("height_cm", height_cm, *PLAUSIBLE_HEIGHT_CM)
    height_in = height_cm / CM_PER_IN
    if height_in < _DEVINE_BASE_HEIGHT_IN:
        raise ClinicalInputError(
            f"ideal body weight (Devine) is defined for heights from 152.4 cm (60 in); "
            f"height {height_cm} cm is below that: dose on actual weight"
        )
    ideal = _DEVINE_BASE_KG[sex] + _DEVINE_KG_PER_INCH * (height_in - _DEVINE_BASE_HEIGHT_IN)
    return ROUND_WEIGHT_KG.apply(ideal)


def adjusted_body_weight_kg(*, actual_weight_kg: Decimal, ideal_body_weight_kg: Decimal) -> Decimal:
    """IBW + 0.4 × (actual − IBW), rounded to 0.1 kg. Source: ``ADJUSTED_WEIGHT_FORMULA`` [mem]."""
    adjusted = ideal_body_weight_kg + _ADJUSTED_WEIGHT_FACTOR * (
        actual_weight_kg - ideal_body_weight_kg
    )
    return ROUND_WEIGHT_KG.apply(adjusted)


def dosing_weight(
    *,
    actual_weight_kg: Decimal,
    basis: WeightBasis = WeightBasis.ACTUAL,
    height_cm: Decimal | None = None,
    sex: Sex | None = None,
) -> DosingWeight:
    """The weight to dose on, for the protocol's basis. Source: ``dose_limits.WEIGHT_BASIS`` [src].

    Ideal and adjusted weight need ``height_cm`` and ``sex``; without them this raises
    ``ClinicalInputError`` rather than fall back to actual weight.
    """
    _require_in_range("weight_kg", actual_weight_kg, *PLAUSIBLE_WEIGHT_KG)
    if basis is WeightBasis.ACTUAL:
        return DosingWeight(
            dosing_weight_kg=ROUND_WEIGHT_KG.apply(actual_weight_kg),
            basis=basis,
            actual_weight_kg=actual_weight_kg,
            ideal_body_weight_kg=None,
            warnings=(),
        )
    missing = [name for name, v in (("height_cm", height_cm), ("sex", sex)) if v is None]
    if missing or height_cm is None or sex is None:
        raise ClinicalInputError(f"{basis.value} body weight needs {' and '.join(missing)}")
    ideal = devine_ideal_body_weight_kg(height_cm=height_cm, sex=sex)
    if basis is WeightBasis.IDEAL:
        chosen = ideal
        evidence = DEVINE_FORMULA
    else:
        chosen = adjusted_body_weight_kg(
            actual_weight_kg=actual_weight_kg, ideal_body_weight_kg=ideal
        )
        evidence = ADJUSTED_WEIGHT_FORMULA
    warnings: tuple[DoseWarning, ...] = ()
    if chosen > actual_weight_kg:
        warnings = (
            DoseWarning(
                code="dosing_weight_above_actual",
                message=(
                    f"{basis.value} weight {chosen} kg is above the actual weight "
                    f"{actual_weight_kg} kg: this basis gives a larger dose than actual weight"
                ),
                evidence=evidence,
            ),
        )
    return DosingWeight(
        dosing_weight_kg=chosen,
        basis=basis,
        actual_weight_kg=actual_weight_kg,
        ideal_body_weight_kg=ideal,
        warnings=warnings,
    )


# --- Weight-based doses ----------------------------------------------------------------------


def calculate_iv_infusion(
    *,
    actual_weight_kg: Decimal,
    mg_per_kg: Decimal,
    infusion_minutes: Decimal,
    concentration_mg_per_ml: Decimal,
    basis: WeightBasis = WeightBasis.ACTUAL,
    height_cm: Decimal | None = None,
    sex: Sex | None = None,
    limits: DoseLimits | None = None,
    overrides: registry.Overrides | None = None,
) -> WeightBasedDose:
    """Racemic ketamine IV infusion: dose, volume and pump rate over ``infusion_minutes``.

    Standard: 0.5 mg/kg over 40 min (``STANDARD_IV_DOSE`` [src]); clinic range 0.5–1.0 mg/kg
    (``CLINIC_IV_RANGE`` [src]); the hard maximum is a configurable convention [?].
    """
    limits = limits or DoseLimits.for_route(Route.IV_RACEMIC, overrides)
    _require_route(limits, Route.IV_RACEMIC)
    _require_positive("infusion_minutes", infusion_minutes)
    if infusion_minutes > MAXIMUM_INFUSION_MINUTES:
        raise ClinicalInputError(
            f"infusion_minutes {infusion_minutes} is longer than a day ({MAXIMUM_INFUSION_MINUTES})"
        )
    _refuse_short_infusion(mg_per_kg, infusion_minutes, limits)
    dose = _weight_based_dose(
        route=Route.IV_RACEMIC,
        actual_weight_kg=actual_weight_kg,
        mg_per_kg=mg_per_kg,
        concentration_mg_per_ml=concentration_mg_per_ml,
        basis=basis,
        height_cm=height_cm,
        sex=sex,
        limits=limits,
    )
    rate = ROUND_RATE_ML_PER_H.apply(dose.volume_ml * Decimal(60) / infusion_minutes)
    if rate <= 0:
        raise ClinicalInputError(
            f"{dose.volume_ml} mL over {infusion_minutes} min rounds to a rate of 0 mL/h: "
            "use a weaker concentration or a shorter infusion"
        )
    warnings = list(dose.warnings)
    shortest, longest = limits.infusion_minutes_soft_min, limits.infusion_minutes_soft_max
    if shortest is not None and infusion_minutes < shortest:
        warnings.append(
            DoseWarning(
                code="infusion_shorter_than_protocol",
                message=(
                    f"infusion over {infusion_minutes} min is shorter than {shortest} min "
                    "(standard 40 min)"
                ),
                evidence=INFUSION_DURATION,
            )
        )
    if longest is not None and infusion_minutes > longest:
        warnings.append(
            DoseWarning(
                code="infusion_longer_than_protocol",
                message=f"infusion over {infusion_minutes} min is longer than {longest} min",
                evidence=INFUSION_DURATION,
            )
        )
    return _replace_dose(
        dose, rate_ml_per_h=rate, infusion_minutes=infusion_minutes, warnings=tuple(warnings)
    )


def calculate_im_injection(
    *,
    actual_weight_kg: Decimal,
    mg_per_kg: Decimal,
    concentration_mg_per_ml: Decimal,
    basis: WeightBasis = WeightBasis.ACTUAL,
    height_cm: Decimal | None = None,
    sex: Sex | None = None,
    limits: DoseLimits | None = None,
    overrides: registry.Overrides | None = None,
) -> WeightBasedDose:
    """Racemic ketamine IM injection: dose and volume (no rate). Source: ``IM_DOSE`` [src]."""
    limits = limits or DoseLimits.for_route(Route.IM_RACEMIC, overrides)
    _require_route(limits, Route.IM_RACEMIC)
    dose = _weight_based_dose(
        route=Route.IM_RACEMIC,
        actual_weight_kg=actual_weight_kg,
        mg_per_kg=mg_per_kg,
        concentration_mg_per_ml=concentration_mg_per_ml,
        basis=basis,
        height_cm=height_cm,
        sex=sex,
        limits=limits,
    )
    warnings = list(dose.warnings)
    if limits.volume_ml_soft_max is not None and dose.volume_ml > limits.volume_ml_soft_max:
        warnings.append(
            DoseWarning(
                code="im_volume_above_site_maximum",
                message=(
                    f"IM volume {dose.volume_ml} mL is above {limits.volume_ml_soft_max} mL: "
                    "use a stronger concentration or split between sites"
                ),
                evidence=IM_VOLUME,
            )
        )
    return _replace_dose(dose, rate_ml_per_h=None, infusion_minutes=None, warnings=tuple(warnings))


def _refuse_short_infusion(
    mg_per_kg: Decimal, infusion_minutes: Decimal, limits: DoseLimits
) -> None:
    """An infusion too fast for its dose (``FAST_INFUSION`` [?]): shorter than the absolute
    minimum at any dose, or than the hard minimum from the higher doses up."""
    floor = limits.infusion_minutes_absolute_min
    if floor is not None and infusion_minutes < floor:
        raise HardLimitExceeded(
            f"an infusion over {infusion_minutes} min is shorter than the minimum {floor} min "
            "at any dose"
        )
    shortest, from_mg_per_kg = (
        limits.infusion_minutes_hard_min,
        limits.short_infusion_from_mg_per_kg,
    )
    if (
        shortest is not None
        and from_mg_per_kg is not None
        and mg_per_kg >= from_mg_per_kg
        and infusion_minutes < shortest
    ):
        raise HardLimitExceeded(
            f"{mg_per_kg} mg/kg over {infusion_minutes} min is too fast: from {from_mg_per_kg} "
            f"mg/kg an infusion must run at least {shortest} min"
        )


def _require_route(limits: DoseLimits, route: Route) -> None:
    if limits.route is not route:
        raise ClinicalInputError(f"limits for {limits.route.value} cannot dose {route.value}")


def _weight_based_dose(
    *,
    route: Route,
    actual_weight_kg: Decimal,
    mg_per_kg: Decimal,
    concentration_mg_per_ml: Decimal,
    basis: WeightBasis,
    height_cm: Decimal | None,
    sex: Sex | None,
    limits: DoseLimits,
) -> WeightBasedDose:
    _refuse_outside_limits(route, mg_per_kg, concentration_mg_per_ml, limits)
    weight = dosing_weight(
        actual_weight_kg=actual_weight_kg, basis=basis, height_cm=height_cm, sex=sex
    )
    dose_mg = ROUND_DOSE_MG.apply(weight.dosing_weight_kg * mg_per_kg)
    if limits.dose_mg_hard_max is not None and dose_mg > limits.dose_mg_hard_max:
        raise HardLimitExceeded(
            f"dose {dose_mg} mg is above the clinic cap {limits.dose_mg_hard_max} mg "
            f"for {route.value}"
        )
    volume_ml = ROUND_VOLUME_ML.apply(dose_mg / concentration_mg_per_ml)
    if volume_ml <= 0:
        raise ClinicalInputError(
            f"dose {dose_mg} mg at {concentration_mg_per_ml} mg/mL rounds to 0 mL"
        )
    bmi: Decimal | None = None
    if height_cm is not None:
        _require_in_range("height_cm", height_cm, *PLAUSIBLE_HEIGHT_CM)
        bmi = body_mass_index(actual_weight_kg, height_cm)
    warnings = [
        *weight.warnings,
        *_mg_per_kg_warnings(mg_per_kg, limits),
        *_body_size_warnings(actual_weight_kg, height_cm, bmi, basis, limits),
    ]
    return WeightBasedDose(
        dose_mg=dose_mg,
        volume_ml=volume_ml,
        rate_ml_per_h=None,
        dosing_weight_kg=weight.dosing_weight_kg,
        basis=basis,
        warnings=tuple(warnings),
        route=route,
        mg_per_kg=mg_per_kg,
        actual_weight_kg=actual_weight_kg,
        ideal_body_weight_kg=weight.ideal_body_weight_kg,
        bmi_kg_per_m2=bmi,
        concentration_mg_per_ml=concentration_mg_per_ml,
        infusion_minutes=None,
        rounding=ROUNDING_RULES,
    )


def _refuse_outside_limits(
    route: Route, mg_per_kg: Decimal, concentration_mg_per_ml: Decimal, limits: DoseLimits
) -> None:
    """Hard limits on what was ordered, before any arithmetic."""
    _require_positive("mg_per_kg", mg_per_kg)
    _require_positive("concentration_mg_per_ml", concentration_mg_per_ml)
    if not (
        limits.concentration_mg_per_ml_min
        <= concentration_mg_per_ml
        <= limits.concentration_mg_per_ml_max
    ):
        raise HardLimitExceeded(
            f"concentration {concentration_mg_per_ml} mg/mL is outside the plausible range "
            f"{limits.concentration_mg_per_ml_min}–{limits.concentration_mg_per_ml_max} mg/mL"
        )
    if mg_per_kg < limits.mg_per_kg_hard_min:
        raise HardLimitExceeded(
            f"{mg_per_kg} mg/kg is below the hard minimum {limits.mg_per_kg_hard_min} mg/kg "
            f"for {route.value}"
        )
    if mg_per_kg > limits.mg_per_kg_hard_max:
        raise HardLimitExceeded(
            f"{mg_per_kg} mg/kg is above the hard maximum {limits.mg_per_kg_hard_max} mg/kg "
            f"for {route.value}"
        )


def _body_size_warnings(
    actual_weight_kg: Decimal,
    height_cm: Decimal | None,
    bmi: Decimal | None,
    basis: WeightBasis,
    limits: DoseLimits,
) -> list[DoseWarning]:
    """A heavy patient with no height, or a BMI at which the weight basis wants confirming."""
    warnings: list[DoseWarning] = []
    heavy = limits.height_needed_above_kg
    if height_cm is None and heavy is not None and actual_weight_kg > heavy:
        warnings.append(
            DoseWarning(
                code="height_missing_at_high_weight",
                message=(
                    f"{actual_weight_kg} kg with no height charted: chart a height so the BMI "
                    "and the weight basis can be checked"
                ),
                evidence=HEIGHT_FOR_BMI,
            )
        )
    if bmi is not None and bmi >= limits.bmi_prompt_kg_per_m2:
        warnings.append(
            DoseWarning(
                code="bmi_confirm_weight_basis",
                message=(
                    f"BMI {bmi} is at or above {limits.bmi_prompt_kg_per_m2}: confirm the weight "
                    f"basis ({basis.value}; trials dosed on actual weight)"
                ),
                evidence=BMI_PROMPT,
            )
        )
    return warnings


def _mg_per_kg_warnings(mg_per_kg: Decimal, limits: DoseLimits) -> list[DoseWarning]:
    evidence = STANDARD_IV_DOSE if limits.route is Route.IV_RACEMIC else IM_DOSE
    if mg_per_kg < limits.mg_per_kg_soft_min:
        return [
            DoseWarning(
                code="mg_per_kg_below_protocol_range",
                message=(
                    f"{mg_per_kg} mg/kg is below the protocol range "
                    f"{limits.mg_per_kg_soft_min}–{limits.mg_per_kg_soft_max} mg/kg"
                ),
                evidence=evidence,
            )
        ]
    if mg_per_kg > limits.mg_per_kg_soft_max:
        return [
            DoseWarning(
                code="mg_per_kg_above_protocol_range",
                message=(
                    f"{mg_per_kg} mg/kg is above the protocol range "
                    f"{limits.mg_per_kg_soft_min}–{limits.mg_per_kg_soft_max} mg/kg "
                    f"(hard maximum {limits.mg_per_kg_hard_max} mg/kg)"
                ),
                evidence=CLINIC_IV_RANGE if limits.route is Route.IV_RACEMIC else IM_DOSE,
            )
        ]
    return []


def _replace_dose(
    dose: WeightBasedDose,
    *,
    rate_ml_per_h: Decimal | None,
    infusion_minutes: Decimal | None,
    warnings: tuple[DoseWarning, ...],
) -> WeightBasedDose:
    return replace(
        dose, rate_ml_per_h=rate_ml_per_h, infusion_minutes=infusion_minutes, warnings=warnings
    )


# --- Esketamine ------------------------------------------------------------------------------


def plan_esketamine_devices(
    *,
    dose_mg: Decimal | int,
    first_induction_dose: bool = False,
    patient: EsketaminePatient | None = None,
    overrides: registry.Overrides | None = None,
) -> EsketamineDevicePlan:
    """Devices for an esketamine dose: 28 mg each, the next one 5 min after the previous one.

    Source: ``ESKETAMINE_LABEL_DOSING`` [src]. The dose must be a whole multiple of 28 mg
    (``ClinicalInputError`` otherwise); above ``dosing.esketamine.dose_mg_hard_max`` (label
    maximum 84 mg) it is refused (``HardLimitExceeded``). A dose the clinic's label
    (``esketamine.label``) does not give ``patient`` — its indication, age and ancestry — or a
    first induction dose other than the label's day-1 dose is planned with a warning
    (``remission.clinical.esketamine.dose_notices``). ``patient`` ``None``: a TRD patient
    whose age and ancestry are not recorded.
    """
    dose = Decimal(dose_mg)
    _require_positive("dose_mg", dose)
    if dose % ESKETAMINE_MG_PER_DEVICE != 0:
        raise ClinicalInputError(
            f"esketamine dose {dose} mg is not a whole number of "
            f"{ESKETAMINE_MG_PER_DEVICE} mg devices"
        )
    hard_max = esketamine_dose_mg_hard_max(overrides)
    if dose > hard_max:
        raise HardLimitExceeded(f"esketamine dose {dose} mg is above the maximum {hard_max} mg")
    whole_dose = int(dose)
    device_count = whole_dose // ESKETAMINE_MG_PER_DEVICE
    offsets = tuple(i * ESKETAMINE_MINUTES_BETWEEN_DEVICES for i in range(device_count))
    notices = dose_notices(
        whole_dose,
        first_dose=first_induction_dose,
        patient=patient or EsketaminePatient(),
        label=clinic_label(overrides),
    )
    warnings = [DoseWarning(n.code, n.message, n.evidence) for n in notices]
    return EsketamineDevicePlan(
        dose_mg=whole_dose,
        device_count=device_count,
        device_offsets_minutes=offsets,
        warnings=tuple(warnings),
    )


# --- A course's dose settings, when the course is planned --------------------------------------


def course_plan_problems(
    route: Route,
    *,
    mg_per_kg: Decimal | None = None,
    concentration_mg_per_ml: Decimal | None = None,
    infusion_minutes: Decimal | None = None,
    fixed_dose_mg: Decimal | int | None = None,
    overrides: registry.Overrides | None = None,
) -> dict[str, str]:
    """The settings of a planned course that the chair-side calculator would refuse, by the
    course field they are in: the same hard limits, checked before any session is booked."""
    problems: dict[str, str] = {}
    if route is Route.ESKETAMINE_NASAL:
        if fixed_dose_mg is not None:
            try:
                plan_esketamine_devices(dose_mg=fixed_dose_mg, overrides=overrides)
            except ClinicalInputError as exc:
                problems["fixed_dose_mg"] = str(exc)
        return problems
    limits = DoseLimits.for_route(route, overrides)
    if mg_per_kg is not None and not (
        limits.mg_per_kg_hard_min <= mg_per_kg <= limits.mg_per_kg_hard_max
    ):
        problems["mg_per_kg"] = (
            f"{mg_per_kg} mg/kg is outside the hard limits {limits.mg_per_kg_hard_min}–"
            f"{limits.mg_per_kg_hard_max} mg/kg for {route.label}"
        )
    if concentration_mg_per_ml is not None and not (
        limits.concentration_mg_per_ml_min
        <= concentration_mg_per_ml
        <= limits.concentration_mg_per_ml_max
    ):
        problems["concentration_mg_per_ml"] = (
            f"{concentration_mg_per_ml} mg/mL is outside the plausible range "
            f"{limits.concentration_mg_per_ml_min}–{limits.concentration_mg_per_ml_max} mg/mL"
        )
    if route is Route.IV_RACEMIC and infusion_minutes is not None:
        try:
            _require_positive("infusion_minutes", infusion_minutes)
            _refuse_short_infusion(mg_per_kg or limits.mg_per_kg_soft_min, infusion_minutes, limits)
        except ClinicalInputError as exc:
            problems["infusion_minutes"] = str(exc)
    return problems
