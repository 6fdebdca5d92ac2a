"""A route as people read it, from the value stored in a record (``clinical.routes.Route``)."""

from __future__ import annotations

from django import template

from remission.clinical.routes import Route

register = template.Library()


@register.filter
def route_label(value: str) -> str:
    try:
        return Route(value).label
    except ValueError:
        return value


@register.filter
def words(value: object) -> str:
    """A stored code as words ('twice_daily' → 'twice daily')."""
    return str(value).replace("_", " ")


@register.filter
def answered_yes(history: object) -> list[str]:
    """The yes/no history items answered yes, as words (non-boolean answers left out)."""
    if not isinstance(history, dict):
        return []
    return [words(key) for key, value in history.items() if value is True]
