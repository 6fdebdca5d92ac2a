"""Each role's home: the worklists waiting for it, gathered from the apps' selectors.

Which lists a role's home shows is decided here, by role; whether a member may read a list is
decided by the selector it comes from (each authorises by capability, scopes to the clinic and
records its list read). A role's home runs a bounded number of queries: one or two per list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import follow_up_selectors
from remission.chairside.follow_up_selectors import CallRow
from remission.chairside.worklists import (
    SessionList,
    chair_queue,
    doses_to_verify,
    orders_to_write,
    sessions_to_sign_off,
)
from remission.safety.models import SafetyEscalation
from remission.safety.selectors import open_escalations
from remission.scheduling.models import TreatmentSession
from remission.scheduling.selectors import arrivals
from remission.treatment.models import TreatmentCourse
from remission.treatment.selectors import IntakesToSign, intakes_to_sign, reevaluations_due

_PRESCRIBING = {Role.PRESCRIBER, Role.MEDICAL_DIRECTOR}


@dataclass(frozen=True, slots=True)
class RoleHome:
    """The lists one member's home shows (``None``: not on this role's home)."""

    intakes_to_sign: IntakesToSign | None = None
    orders_to_write: SessionList | None = None
    doses_to_verify: SessionList | None = None
    sessions_to_sign_off: SessionList | None = None
    chair_queue: SessionList | None = None
    arrivals: list[TreatmentSession] | None = None
    reevaluations: list[TreatmentCourse] | None = None
    escalations: list[SafetyEscalation] | None = None
    calls: list[CallRow] | None = None  # follow-up calls: overdue (prescriber) or due (nurse)
    calls_overdue_only: bool = False


def role_home(*, membership: Membership, now: dt.datetime) -> RoleHome:
    today = now.astimezone(membership.clinic.tzinfo).date()
    role = membership.role
    if role in _PRESCRIBING:
        calls = follow_up_selectors.worklist(membership=membership, now=now)
        return RoleHome(
            intakes_to_sign=intakes_to_sign(membership=membership),
            orders_to_write=orders_to_write(membership=membership, day=today),
            doses_to_verify=doses_to_verify(membership=membership, day=today),
            sessions_to_sign_off=sessions_to_sign_off(membership=membership),
            reevaluations=reevaluations_due(membership=membership, today=today),
            escalations=open_escalations(membership=membership),
            calls=calls.overdue,
            calls_overdue_only=True,
        )
    if role == Role.NURSE:
        calls = follow_up_selectors.worklist(membership=membership, now=now)
        return RoleHome(
            chair_queue=chair_queue(membership=membership, day=today),
            doses_to_verify=doses_to_verify(membership=membership, day=today),
            calls=calls.overdue + calls.due,
        )
    if role == Role.FRONT_DESK:
        return RoleHome(arrivals=arrivals(membership=membership, day=today))
    if role == Role.THERAPIST:
        return RoleHome(
            chair_queue=chair_queue(membership=membership, day=today),
            reevaluations=reevaluations_due(membership=membership, today=today),
        )
    return RoleHome()
