"""Who may do what, where: every selector and service starts here.

A user sees a clinic only through an active membership. A clinic the user does not belong to
answers 404, exactly like one that does not exist, so its existence is not disclosed. Inside a
clinic, a capability the role lacks answers 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from remission.accounts.models import Membership
from remission.accounts.roles import Capability


def membership_for(user: Any, clinic_slug: str) -> Membership:
    if user is None or not user.is_authenticated:
        raise Http404("No such clinic.")
    membership = (
        Membership.objects.select_related("clinic", "user")
        .filter(user=user, clinic__slug=clinic_slug, is_active=True)
        .first()
    )
    if membership is None:
        raise Http404("No such clinic.")
    return membership


def require(membership: Membership, capability: Capability) -> None:
    if not membership.can(capability):
        raise PermissionDenied(
            f"Your role ({membership.get_role_display()}) cannot {capability.description.lower()}."
        )


def active_memberships(user: Any) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return list(Membership.objects.select_related("clinic").filter(user=user, is_active=True))
