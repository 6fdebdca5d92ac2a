"""Unit conversions for body measurements, exact in Decimal.

1 lb = 0.45359237 kg and 1 in = 2.54 cm exactly (international yard and pound agreement,
1959) [src: NIST Handbook 44, appendix C]. Plausibility bounds for adults and adolescents
refuse typing errors (a weight of 0 or 1,000 kg) rather than clamping them.
"""

from __future__ import annotations

import enum
from decimal import Decimal

from remission.clinical.errors import ClinicalInputError

KG_PER_LB = Decimal("0.45359237")
CM_PER_IN = Decimal("2.54")

WEIGHT_KG_MIN = Decimal("20")
WEIGHT_KG_MAX = Decimal("400")
HEIGHT_CM_MIN = Decimal("100")
HEIGHT_CM_MAX = Decimal("250")


class WeightUnit(enum.StrEnum):
    KG = "kg"
    LB = "lb"


class LengthUnit(enum.StrEnum):
    CM = "cm"
    IN = "in"


def weight_to_kg(value: Decimal, unit: WeightUnit) -> Decimal:
    kg = value if unit is WeightUnit.KG else value * KG_PER_LB
    if not WEIGHT_KG_MIN <= kg <= WEIGHT_KG_MAX:
        raise ClinicalInputError(
            f"a weight of {value} {unit.value} is outside the plausible range "
            f"{WEIGHT_KG_MIN}–{WEIGHT_KG_MAX} kg"
        )
    return kg


def height_to_cm(value: Decimal, unit: LengthUnit) -> Decimal:
    cm = value if unit is LengthUnit.CM else value * CM_PER_IN
    if not HEIGHT_CM_MIN <= cm <= HEIGHT_CM_MAX:
        raise ClinicalInputError(
            f"a height of {value} {unit.value} is outside the plausible range "
            f"{HEIGHT_CM_MIN}–{HEIGHT_CM_MAX} cm"
        )
    return cm


def body_mass_index(weight_kg: Decimal, height_cm: Decimal) -> Decimal:
    """BMI in kg/m², to one decimal place."""
    if weight_kg <= 0 or height_cm <= 0:
        raise ClinicalInputError("BMI needs a positive weight and height")
    metres = height_cm / 100
    return (weight_kg / (metres * metres)).quantize(Decimal("0.1"))
