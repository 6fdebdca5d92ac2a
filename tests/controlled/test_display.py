"""How the controlled-substance screens write quantities and strengths (``controlled.display``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.controlled import display


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("37.000"), "device", "37 devices"),
        (Decimal("1.000"), "device", "1 device"),
        (Decimal("0.000"), "device", "0 devices"),
        (Decimal("12.500"), "mL", "12.5 mL"),
        (Decimal("0.250"), "mL", "0.25 mL"),
        (Decimal("100"), "mL", "100 mL"),
        (None, "mL", ""),
    ],
)
def test_a_quantity_has_only_its_decimals_and_a_plural_unit(
    value: Decimal | None, unit: str, text: str
) -> None:
    assert display.quantity_text(value, unit) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("-2.500"), "-2.5"), (Decimal("3.000"), "+3"), (Decimal("0.000"), "0"),
     (Decimal("-0.824"), "-0.824"), (Decimal("-0.000"), "0")],
)  # fmt: skip
def test_a_change_keeps_its_sign(value: Decimal, text: str) -> None:
    assert display.signed_text(value) == text


def test_a_strength_is_not_repeated_when_the_label_already_says_it() -> None:
    assert display.strength_text("28 mg/device", Decimal("28.000"), "device") == "28 mg/device"
    assert display.strength_text("50 mg/mL", Decimal("50.000"), "mL") == "50 mg/mL"
    assert (
        display.strength_text("500 mg/10 mL", Decimal("50.000"), "mL") == "500 mg/10 mL · 50 mg/mL"
    )
