"""Template context shared by every page: the member's clinics and the current one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from remission.accounts.access import active_memberships
from remission.accounts.roles import Capability
from remission.accounts.selectors import idle_timeout_minutes


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    # the idle-timeout middleware has already looked it up for this request
    idle_minutes = getattr(request, "idle_timeout_minutes", None)
    return {
        "idle_minutes": idle_timeout_minutes(user) if idle_minutes is None else idle_minutes,
        "memberships": active_memberships(user),
        "membership": membership,
        "current_clinic": membership.clinic if membership else None,
        "Capability": Capability,
        "caps": {c.value for c in membership.capabilities} if membership else set(),
    }
