"""``{% load labels %}{{ code|human }}``: the human label of a stored code on any screen.

Clinical codes (routes, scales, planned checks, alert codes, check states, eligibility
statuses, protocol ids) are labelled by the clinical core beside their definitions
(``remission.clinical.labels``); the few app codes a screen shows bare (a session's status)
by their Django choices. This filter only reads them, so no template spells a code out.
"""

from __future__ import annotations

from typing import Any

from django import template

from remission.clinical import labels
from remission.scheduling.models import SessionKind, SessionStatus

register = template.Library()

# App codes that are choices of a model field: their label is the choice's.
_CHOICES: dict[str, str] = {**dict(SessionStatus.choices), **dict(SessionKind.choices)}


@register.filter
def human(code: Any) -> str:
    """The label of ``code`` (unknown codes come back as they are)."""
    if code is None:
        return ""
    text = str(code)
    found = labels.label(text)
    return _CHOICES.get(text, found) if found == text else found
