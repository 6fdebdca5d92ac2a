"""``{% load labels %}{{ code|human }}``: the human label of a clinical code on any screen.

The labels themselves are the clinical core's (``remission.clinical.labels``), defined beside
each code; this filter only reads them, so no template spells a code out.
"""

from __future__ import annotations

from typing import Any

from django import template

from remission.clinical import labels

register = template.Library()


@register.filter
def human(code: Any) -> str:
    """The label of ``code`` (a route, scale, check, alert, status or protocol id)."""
    return "" if code is None else labels.label(str(code))
