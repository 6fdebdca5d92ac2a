"""Template filters of the controlled-substance log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def signed(value: Any) -> str:
    """A quantity with its sign and every decimal it has (``+2.500``, ``-0.824``, ``0.000``)."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == 0:
        return str(abs(number))
    return f"{number:+}"
