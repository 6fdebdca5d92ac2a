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
