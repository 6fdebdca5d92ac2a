"""Changing accounts: staff membership, roles, credentials and two-factor devices (all
audited; credential events to every clinic of the person)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts import grants, policy
from remission.accounts.access import require
from remission.accounts.events import account_event, clinics_of
from remission.accounts.models import Membership, RoleGrant
from remission.accounts.roles import Capability
from remission.audit.models import AuditAction
from remission.audit.services import EventSpec, append, audited_save

RECOVERY_CODE_COUNT = 8


@transaction.atomic
def change_member(
    *, membership: Membership, member: Membership, role: str, is_active: bool
) -> RoleGrant | None:
    """Change a member's role and activity.

    Nobody grants a clinical role to themselves. A prescribing or medical-director role is not
    given here but asked for: the returned pending grant waits for a medical director.
    """
    require(membership, Capability.MANAGE_USERS)
    if member.clinic_id != membership.clinic_id:
        raise ValidationError("That member belongs to another clinic.")
    problems = []
    if role != member.role:
        problems += policy.grant_problems(
            actor_id=membership.user_id, subject_id=member.user_id, role=role
        )
    if member.pk == membership.pk and (
        not is_active or Capability.MANAGE_USERS not in Membership(role=role).capabilities
    ):
        problems.append("You cannot remove your own right to manage users.")
    if problems:
        raise ValidationError(problems)
    grant = None
    if role != member.role and policy.needs_director_approval(role):
        grant = grants.request_for_member(membership=membership, member=member, role=role)
    elif role != member.role:
        member.role = role
    member.is_active = is_active
    audited_save(member, actor=membership.user, summary=f"changed membership of {member.user}")
    return grant


def credential_problems(*, membership: Membership, subject: Any) -> list[str]:
    """Why the acting member may not reset ``subject``'s password or two-factor (issue 11 §1)."""
    administered = [
        m.clinic_id
        for m in Membership.objects.filter(user=membership.user, is_active=True)
        if m.can(Capability.MANAGE_USERS)
    ]
    return policy.credential_problems(
        subject_clinics=clinics_of(subject),
        administered_clinics=administered,
        instance_admin=bool(membership.user.is_superuser),
    )


def _require_credential_authority(membership: Membership, member: Membership) -> None:
    require(membership, Capability.MANAGE_USERS)
    if member.clinic_id != membership.clinic_id:
        raise ValidationError("That member belongs to another clinic.")
    problems = credential_problems(membership=membership, subject=member.user)
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def reset_two_factor(*, membership: Membership, member: Membership) -> None:
    """Remove a member's authenticator (lost phone); they set up a new one at next sign-in."""
    _require_credential_authority(membership, member)
    TOTPDevice.objects.filter(user=member.user).delete()
    StaticDevice.objects.filter(user=member.user).delete()
    account_event(
        actor=membership.user, subject=member.user, summary=f"reset two-factor of {member.user}"
    )


@transaction.atomic
def send_password_reset(*, membership: Membership, member: Membership) -> None:
    """E-mail the member a password-reset link; their current password stops working."""
    _require_credential_authority(membership, member)
    user = member.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    base = urlsplit(settings.REMISSION_BASE_URL)
    context = {
        "email": user.email,
        "domain": base.netloc,
        "protocol": base.scheme,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
    }
    PasswordResetForm().send_mail(
        "accounts/password_reset_subject.txt",
        "accounts/password_reset_email.txt",
        context,
        None,
        user.email,
    )
    account_event(
        actor=membership.user, subject=user, summary=f"sent a password-reset link to {user}"
    )


def start_totp_setup(*, user: Any) -> TOTPDevice:
    """An unconfirmed authenticator for ``user`` (replacing any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_totp_setup(*, user: Any, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with a first code; return one-time recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("This authenticator set-up has expired; start again.")
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValidationError({"code": "That code is not right. Check the time on your phone."})
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save()
    codes = _new_recovery_codes(user)
    account_event(actor=user, subject=user, summary="set up two-factor authentication")
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    for code_value in codes:
        StaticToken.objects.create(device=static, token=code_value)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, user: Any) -> list[str]:
    """New recovery codes (shown once); the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError("Set up an authenticator app first.")
    codes = _new_recovery_codes(user)
    account_event(actor=user, subject=user, summary="made new recovery codes")
    return codes


def record_sign_in(*, user: Any, succeeded: bool, username: str = "") -> None:
    """A sign-in goes to every clinic of the user; a failed one names no user or clinic."""
    if succeeded:
        account_event(actor=user, subject=user, summary="signed in", action=AuditAction.LOGIN)
        return
    append(
        [
            EventSpec(
                action=AuditAction.LOGIN_FAILED,
                actor=None,
                clinic_id=None,
                object_type="accounts.user",
                object_id="",
                summary=f"failed sign-in as {username[:100]!r}",
            )
        ]
    )


def record_sign_out(*, user: Any) -> None:
    account_event(actor=user, subject=user, summary="signed out", action=AuditAction.LOGOUT)
