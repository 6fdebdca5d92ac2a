"""What every screen's forms share: the date and time widgets, and a service's refusal laid
onto the form that was sent (inline, keeping what was typed).

Dates and times are entered as they are shown everywhere else in Remission (tables, the audit
log, the REMS form): ISO ``YYYY-MM-DD`` and a 24-hour ``HH:MM``. The browser's own date and time
pickers are not used: Chromium draws them in the browser's locale (``mm/dd/yyyy``, ``02:30 PM``
on a US machine), so a page would show one date two ways, and 03/04 reads as 4 March to half the
staff. The fields are text boxes with the format as a placeholder and a numeric keyboard on a
tablet; only the ISO forms parse (``config/formats/en/formats.py``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def _iso_attrs(placeholder: str, pattern: str, attrs: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "placeholder": placeholder,
        "pattern": pattern,
        "inputmode": "numeric",
        "autocomplete": "off",
        "class": "iso-date",
        **(attrs or {}),
    }


class DateInput(forms.DateInput):
    """A date as ``YYYY-MM-DD``."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = _iso_attrs("YYYY-MM-DD", r"\d{4}-\d{2}-\d{2}", attrs)
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A date and 24-hour time as ``YYYY-MM-DD HH:MM``."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = _iso_attrs("YYYY-MM-DD HH:MM", r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", attrs)
        super().__init__(attrs=attrs, format="%Y-%m-%d %H:%M")


class TimeInput(forms.TimeInput):
    """A 24-hour time as ``HH:MM``."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = _iso_attrs("HH:MM", r"\d{2}:\d{2}", attrs)
        super().__init__(attrs=attrs, format="%H:%M")


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: per field where it names one the form has,
    else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
