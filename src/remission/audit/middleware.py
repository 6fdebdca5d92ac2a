"""Binds the request's IP address, user agent and a request id for audit events, and collects
the request's reads so that they are written once, when the response is ready (or the view
failed): a redirect's target is a request of its own, with its own collector."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from remission.audit import context
from remission.audit.services import coalesced_reads


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
            with coalesced_reads():
                return self.get_response(request)
        finally:
            context.unbind(token)
