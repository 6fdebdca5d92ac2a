"""A medical director approves or declines a pending role grant (issue 11 §2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts import invitations, policy
from remission.accounts.access import require
from remission.accounts.events import account_event
from remission.accounts.models import GrantStatus, Membership, RoleGrant
from remission.accounts.roles import Capability, Role
from remission.audit.services import audited_save


@transaction.atomic
def decide_grant(*, membership: Membership, grant: RoleGrant, approve: bool) -> RoleGrant:
    """Approve (the role takes effect, or the invitation is sent) or decline the grant."""
    require(membership, Capability.APPROVE_CLINICAL_ROLES)
    grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
    problems = []
    if grant.clinic_id != membership.clinic_id or grant.status != GrantStatus.PENDING:
        problems.append("This request has already been decided.")
    subject = grant.member.user_id if grant.member else None
    if grant.invitation is not None and grant.invitation.email == membership.user.email.lower():
        subject = membership.user_id
    problems += policy.approval_problems(
        approver_id=membership.user_id, requester_id=grant.requested_by_id, subject_id=subject
    )
    if problems:
        raise ValidationError(problems)
    grant.status = GrantStatus.APPROVED if approve else GrantStatus.DECLINED
    grant.decided_by = membership.user
    grant.decided_at = timezone.now()
    label = Role(grant.role).label
    verb = "approved" if approve else "declined"
    audited_save(grant, actor=membership.user, summary=f"{verb} {label} for {grant}")
    if approve and grant.member is not None:
        member = grant.member
        member.role = grant.role
        audited_save(member, actor=membership.user, summary=f"{member.user} is now {label}")
        account_event(actor=membership.user, subject=member.user, summary=f"role {label} approved")
    elif approve and grant.invitation is not None:
        invitations.send_approved(grant.invitation, actor=membership.user)
    elif grant.invitation is not None:
        grant.invitation.revoked_at = timezone.now()
        audited_save(grant.invitation, actor=membership.user, summary="invitation withdrawn")
    return grant
