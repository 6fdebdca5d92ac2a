"""Asking for a prescribing or medical-director role: a pending grant that a medical director,
who is not the person asking, approves or declines (issue 11 §2)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from remission.accounts.access import require
from remission.accounts.models import GrantStatus, Invitation, Membership, RoleGrant
from remission.accounts.roles import Capability, Role
from remission.audit.services import audited_save


def waiting(invitation: Invitation) -> bool:
    return RoleGrant.objects.filter(invitation=invitation, status=GrantStatus.PENDING).exists()


def request_for_invitation(*, membership: Membership, invitation: Invitation) -> RoleGrant:
    grant = RoleGrant(
        clinic_id=invitation.clinic_id,
        role=invitation.role,
        invitation=invitation,
        requested_by=membership.user,
    )
    audited_save(
        grant,
        actor=membership.user,
        summary=f"asked a medical director to approve {Role(grant.role).label} "
        f"for {invitation.email}",
    )
    return grant


def request_for_member(*, membership: Membership, member: Membership, role: str) -> RoleGrant:
    RoleGrant.objects.filter(member=member, status=GrantStatus.PENDING).update(
        status=GrantStatus.DECLINED
    )
    grant = RoleGrant(
        clinic_id=member.clinic_id, role=role, member=member, requested_by=membership.user
    )
    audited_save(
        grant,
        actor=membership.user,
        summary=f"asked a medical director to approve {Role(role).label} for {member.user}",
    )
    return grant


def pending_grants(*, membership: Membership) -> QuerySet[RoleGrant]:
    require(membership, Capability.MANAGE_USERS)
    return RoleGrant.objects.filter(
        clinic_id=membership.clinic_id, status=GrantStatus.PENDING
    ).select_related("member__user", "invitation", "requested_by")


def pending_grant(*, membership: Membership, grant_id: Any) -> RoleGrant:
    try:
        found = pending_grants(membership=membership).filter(pk=int(grant_id)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404("No such request.")
    return found
