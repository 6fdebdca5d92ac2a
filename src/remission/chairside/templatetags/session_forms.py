"""The one shape of a chair-side form: it posts one charting action and, with HTMX, swaps in
the re-rendered session; without JavaScript it posts plainly and the page reloads."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def session_post(context: template.Context, url_name: str, *extra: Any) -> SafeString:
    """``method``, ``action`` and the HTMX attributes for ``url_name`` of the session in view
    (``extra`` are the address's arguments after the session, e.g. an alert's id)."""
    url = reverse(url_name, args=[context["current_clinic"].slug, context["session"].pk, *extra])
    return format_html(
        'method="post" action="{0}" hx-post="{0}" hx-target="#session" hx-swap="outerHTML"', url
    )
