"""Template filters of the controlled-substance log (the wording is ``controlled.display``)."""

from __future__ import annotations

from typing import Any

from django import template

from remission.controlled import display

register = template.Library()


@register.filter
def signed(value: Any) -> str:
    """A change with its sign and only the decimals it has (``+2.5``, ``-1``, ``0``)."""
    return display.signed_text(value)


@register.filter
def quantity(value: Any, unit: str) -> str:
    """``{{ s.on_hand|quantity:lot.product.unit }}`` -> '37 devices', '12.5 mL'."""
    return display.quantity_text(value, unit)


@register.filter
def strength(product: Any) -> str:
    """A product's strength without repeating it: '28 mg/device', '500 mg/10 mL · 50 mg/mL'."""
    return display.strength_text(product.strength, product.mg_per_unit, product.unit)


@register.filter
def signed_quantity(value: Any, unit: str) -> str:
    """``{{ e.quantity|signed_quantity:unit }}`` -> '-2 devices', '+12.5 mL'."""
    return display.signed_quantity_text(value, unit)


@register.filter
def plain(value: Any) -> str:
    """A quantity's number with only the decimals it has: '37', '12.5'."""
    return "" if value is None or value == "" else display.plain_number(value)


@register.filter
def units(unit: str) -> str:
    """A unit as a column of quantities is in: 'devices', 'mL'."""
    return display.unit_for(2, unit)
