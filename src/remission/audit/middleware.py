"""Binds the request's IP address, user agent and a request id for audit events."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from remission.audit import context


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.bind(
            context.RequestContext(
                ip_address=request.META.get("REMOTE_ADDR") or None,
                user_agent=request.headers.get("user-agent", "")[:300],
                request_id=uuid.uuid4().hex,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.unbind(token)
