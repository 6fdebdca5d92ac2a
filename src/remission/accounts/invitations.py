"""Inviting staff by a single-use, expiring link (issue 12 item 9, issue 11 §1).

Nobody sees another person's password: a new person sets their own through the link, and a
person who already has an account accepts the invitation while signed in as themselves. The
reply to the admin is the same whether or not the e-mail has an account.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from remission.accounts import grants, policy
from remission.accounts.access import require
from remission.accounts.events import account_event
from remission.accounts.models import Invitation, Membership, User
from remission.accounts.roles import Capability, Role
from remission.audit.services import audited_save

INVITATION_VALID_FOR = dt.timedelta(days=7)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _digest(token)
    invitation.expires_at = timezone.now() + INVITATION_VALID_FOR
    return token


def _send(invitation: Invitation, token: str) -> None:
    link = settings.REMISSION_BASE_URL.rstrip("/") + reverse(
        "accounts:invitation", kwargs={"token": token}
    )
    context = {"invitation": invitation, "link": link, "valid_days": INVITATION_VALID_FOR.days}
    send_mail(
        f"Invitation to join {invitation.clinic.name} on Remission",
        render_to_string("accounts/invitation_email.txt", context),
        None,
        [invitation.email],
    )
    invitation.sent_at = timezone.now()


@transaction.atomic
def invite_staff_member(
    *, membership: Membership, email: str, first_name: str, last_name: str, role: str
) -> Invitation:
    """Invite ``email`` to the acting member's clinic as ``role``.

    Sent at once, unless the role needs a medical director's approval: then it waits for it.
    Whether an account exists is never part of the answer.
    """
    require(membership, Capability.MANAGE_USERS)
    email = email.strip().lower()
    problems = policy.grant_problems(
        actor_id=membership.user.email.lower(), subject_id=email, role=role
    )
    if Membership.objects.filter(user__email__iexact=email, clinic=membership.clinic).exists():
        problems.append(f"{email} is already a member of this clinic.")
    if open_invitations(membership.clinic_id).filter(email=email).exists():
        problems.append(f"{email} already has an open invitation; re-send it from the list.")
    if problems:
        raise ValidationError({"email": problems})
    invitation = Invitation(
        clinic=membership.clinic,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        invited_by=membership.user,
    )
    token = _new_token(invitation)
    waits = policy.needs_director_approval(role)
    if not waits:
        _send(invitation, token)
    audited_save(
        invitation, actor=membership.user, summary=f"invited {email} as {Role(role).label}"
    )
    if waits:
        grants.request_for_invitation(membership=membership, invitation=invitation)
    return invitation


def open_invitations(clinic_id: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        clinic_id=clinic_id, accepted_at__isnull=True, revoked_at__isnull=True
    )


def clinic_invitation(*, membership: Membership, invitation_id: Any) -> Invitation:
    require(membership, Capability.MANAGE_USERS)
    try:
        found = open_invitations(membership.clinic_id).filter(pk=invitation_id).first()
    except (ValueError, ValidationError):
        found = None
    if found is None:
        raise Http404("No such invitation.")
    return found


@transaction.atomic
def resend_invitation(*, membership: Membership, invitation: Invitation) -> None:
    """A fresh link (the old one stops working) and a fresh expiry."""
    require(membership, Capability.MANAGE_USERS)
    if invitation.clinic_id != membership.clinic_id or invitation.is_closed:
        raise ValidationError("This invitation is closed.")
    if grants.waiting(invitation):
        raise ValidationError("This invitation waits for a medical director's approval.")
    token = _new_token(invitation)
    _send(invitation, token)
    audited_save(
        invitation, actor=membership.user, summary=f"re-sent invitation to {invitation.email}"
    )


@transaction.atomic
def revoke_invitation(*, membership: Membership, invitation: Invitation) -> None:
    require(membership, Capability.MANAGE_USERS)
    if invitation.clinic_id != membership.clinic_id or invitation.is_closed:
        raise ValidationError("This invitation is closed.")
    invitation.revoked_at = timezone.now()
    audited_save(
        invitation, actor=membership.user, summary=f"revoked invitation to {invitation.email}"
    )


def send_approved(invitation: Invitation, *, actor: Any) -> None:
    """Called when the medical director approves the invitation's role."""
    token = _new_token(invitation)
    _send(invitation, token)
    audited_save(invitation, actor=actor, summary=f"sent approved invitation to {invitation.email}")


def invitation_for_token(token: str) -> Invitation | None:
    """The open, unexpired invitation the link names, else None (one answer for every
    reason, so a link discloses nothing)."""
    found = (
        Invitation.objects.select_related("clinic")
        .filter(token_hash=_digest(token), accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if found is None or found.expires_at <= timezone.now() or grants.waiting(found):
        return None
    return found


def existing_account(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accept_as_new_person(*, invitation: Invitation, password: str) -> User:
    """Create the account with the password the invited person chose, and the membership."""
    if existing_account(invitation) is not None:
        raise ValidationError("Sign in to accept this invitation.")
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    user.set_password(password)
    audited_save(user, actor=user, summary=f"created account {user.email} from an invitation")
    _join(invitation, user)
    return user


@transaction.atomic
def accept_as_signed_in(*, invitation: Invitation, user: Any) -> Membership:
    if user.email.lower() != invitation.email:
        raise ValidationError(
            "This invitation is for another e-mail address; sign out and sign in as its owner."
        )
    return _join(invitation, user)


def _join(invitation: Invitation, user: Any) -> Membership:
    if Membership.objects.filter(user=user, clinic_id=invitation.clinic_id).exists():
        raise ValidationError("You are already a member of this clinic.")
    member = Membership(user=user, clinic=invitation.clinic, role=invitation.role)
    audited_save(
        member,
        actor=user,
        summary=f"{user.email} accepted the invitation as {member.get_role_display()}",
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    audited_save(invitation, actor=user, summary=f"invitation to {invitation.email} accepted")
    account_event(
        actor=user, subject=user, summary=f"joined {invitation.clinic.name} by invitation"
    )
    return member
