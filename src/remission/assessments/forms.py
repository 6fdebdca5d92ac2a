"""A form for any rating scale, built from its definition in the clinical core."""

from __future__ import annotations

from typing import Any

from django import forms

from remission.clinical.instruments import Instrument

MISSING = ""


def scale_form_class(instrument: Instrument) -> type[forms.Form]:
    """One required-or-blank radio group per item, labelled with the item's text or label."""
    fields: dict[str, forms.Field] = {}
    for item in instrument.items:
        choices = [(str(o.value), f"{o.value} — {o.label}") for o in item.options]
        label = f"{item.number}. {item.text or item.label}"
        fields[f"item_{item.number}"] = forms.TypedChoiceField(
            label=label,
            choices=[(MISSING, "Not answered"), *choices],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
        )

    def answers(self: forms.Form) -> list[int | None]:
        return [self.cleaned_data.get(f"item_{item.number}") for item in instrument.items]

    attrs: dict[str, Any] = {**fields, "answers": answers, "instrument": instrument}
    return type(f"{instrument.id.replace('-', '_').title()}Form", (forms.Form,), attrs)
