"""How the controlled-substance screens write a quantity and a product's strength.

A quantity is written with the decimals it has and no more ("37 devices", "12.5 mL",
"0.25 mL"), the unit pluralised where English does ("1 device", "2 devices"; mL never). A
product's strength is the label's wording, with the mg per stock unit added only when the
label does not already say it ("500 mg/10 mL · 50 mg/mL", but "28 mg/device" once).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# units written the same in the singular and the plural (symbols)
_SYMBOLS = frozenset({"mL", "mg"})


def plain_number(value: Any) -> str:
    """``Decimal('37.000')`` -> '37', ``12.50`` -> '12.5', never an exponent."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):f}".replace("-0", "0")
    return f"{number.normalize():f}"


def unit_for(value: Any, unit: str) -> str:
    """The unit as it reads after ``value``: 'device' for 1, 'devices' otherwise."""
    if unit in _SYMBOLS or Decimal(str(value)).copy_abs() == 1:
        return unit
    return f"{unit}s"


def quantity_text(value: Any, unit: str) -> str:
    """'37 devices', '12.5 mL', '1 device'; '' for no value."""
    if value is None or value == "":
        return ""
    return f"{plain_number(value)} {unit_for(value, unit)}"


def signed_text(value: Any) -> str:
    """A change with its sign and only the decimals it has ('+2.5', '-1', '0')."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    text = plain_number(number.copy_abs())
    if number == 0:
        return text
    return f"+{text}" if number > 0 else f"-{text}"


def strength_text(strength: str, mg_per_unit: Any, unit: str) -> str:
    """The label's strength, then the mg per unit when the label does not already say it."""
    per_unit = f"{plain_number(mg_per_unit)} mg/{unit}"
    if _squashed(strength) == _squashed(per_unit):
        return strength
    return f"{strength} · {per_unit}" if strength.strip() else per_unit


def _squashed(text: str) -> str:
    return "".join(text.split()).lower()


def signed_quantity_text(value: Any, unit: str) -> str:
    """'-2 devices', '+12.5 mL'; '' for no value."""
    if value is None or value == "":
        return ""
    return f"{signed_text(value)} {unit_for(value, unit)}"
