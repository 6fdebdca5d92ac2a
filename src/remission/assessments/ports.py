"""Where the apps above assessments hear of a scored scale without assessments importing them.

The safety escalation (``remission.safety``) registers a hook in its ``AppConfig.ready()``;
``services.record_scale`` runs every hook in the same transaction as the scale it saved, so a
positive suicide item is never saved without its escalation.
"""

from __future__ import annotations

from collections.abc import Callable

from remission.accounts.models import Membership
from remission.assessments.models import ScaleAdministration

# (the member who recorded it, the scale just saved) -> None
ScoredHook = Callable[[Membership, ScaleAdministration], None]

_hooks: list[ScoredHook] = []


def register_scored_hook(hook: ScoredHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def scored(membership: Membership, administration: ScaleAdministration) -> None:
    for hook in _hooks:
        hook(membership, administration)
