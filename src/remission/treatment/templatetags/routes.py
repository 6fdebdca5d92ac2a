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
