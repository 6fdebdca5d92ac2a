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
    """The label of ``code``; a code with no label reads as its words ('twice_daily' →
    'twice daily')."""
    if code is None:
        return ""
    text = str(code)
    found = labels.label(text)
    if found != text:
        return found
    return _CHOICES.get(text, text.replace("_", " "))


@register.filter
def answered_yes(history: object) -> list[str]:
    """The yes/no history items answered yes, as words (non-boolean answers left out)."""
    if not isinstance(history, dict):
        return []
    return [human(key) for key, value in history.items() if value is True]
