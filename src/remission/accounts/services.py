"""Changing accounts: staff membership, roles and two-factor devices (all audited)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts.access import require
from remission.accounts.models import Membership, User
from remission.accounts.roles import Capability, Role
from remission.audit.models import AuditAction
from remission.audit.services import EventSpec, append, audited_save

RECOVERY_CODE_COUNT = 8


def _security_event(actor: Any, summary: str, clinic_id: Any = None, subject: Any = None) -> None:
    append(
        [
            EventSpec(
                action=AuditAction.SECURITY,
                actor=actor,
                clinic_id=clinic_id,
                object_type="accounts.user",
                object_id=str(getattr(subject, "pk", "") or ""),
                summary=summary,
            )
        ]
    )


@transaction.atomic
def add_staff_member(
    *,
    membership: Membership,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
) -> tuple[Membership, str | None]:
    """Add a staff member to the acting member's clinic.

    A new account gets a random temporary password, returned once so the admin can hand it
    over (or the person uses "forgot password"). An existing account only gains the role.
    """
    require(membership, Capability.MANAGE_USERS)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    temporary_password = None
    if user is None:
        temporary_password = secrets.token_urlsafe(12)
        user = User(
            username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip()
        )
        user.set_password(temporary_password)
        audited_save(user, actor=membership.user, summary=f"created account {email}")
    if Membership.objects.filter(user=user, clinic=membership.clinic).exists():
        raise ValidationError({"email": f"{email} is already a member of this clinic."})
    member = Membership(user=user, clinic=membership.clinic, role=role)
    audited_save(
        member, actor=membership.user, summary=f"{email} joined as {member.get_role_display()}"
    )
    return member, temporary_password


@transaction.atomic
def change_member(
    *, membership: Membership, member: Membership, role: str, is_active: bool
) -> Membership:
    require(membership, Capability.MANAGE_USERS)
    if member.clinic_id != membership.clinic_id:
        raise ValidationError("That member belongs to another clinic.")
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if member.pk == membership.pk and (
        not is_active or Capability.MANAGE_USERS not in Membership(role=role).capabilities
    ):
        raise ValidationError("You cannot remove your own right to manage users.")
    member.role = role
    member.is_active = is_active
    audited_save(member, actor=membership.user, summary=f"changed membership of {member.user}")
    return member


@transaction.atomic
def reset_two_factor(*, membership: Membership, member: Membership) -> None:
    """Remove a member's authenticator (lost phone); they set up a new one at next sign-in."""
    require(membership, Capability.MANAGE_USERS)
    if member.clinic_id != membership.clinic_id:
        raise ValidationError("That member belongs to another clinic.")
    TOTPDevice.objects.filter(user=member.user).delete()
    StaticDevice.objects.filter(user=member.user).delete()
    _security_event(
        membership.user, f"reset two-factor of {member.user}", membership.clinic_id, member.user
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
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Recovery codes")
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    for code_value in codes:
        StaticToken.objects.create(device=static, token=code_value)
    _security_event(user, "set up two-factor authentication", subject=user)
    return codes


def record_sign_in(*, user: Any, succeeded: bool, username: str = "") -> None:
    append(
        [
            EventSpec(
                action=AuditAction.LOGIN if succeeded else AuditAction.LOGIN_FAILED,
                actor=user if succeeded else None,
                clinic_id=None,
                object_type="accounts.user",
                object_id=str(user.pk) if user is not None else "",
                summary="signed in" if succeeded else f"failed sign-in as {username[:100]!r}",
            )
        ]
    )


def record_sign_out(*, user: Any) -> None:
    append(
        [
            EventSpec(
                action=AuditAction.LOGOUT,
                actor=user,
                clinic_id=None,
                object_type="accounts.user",
                object_id=str(user.pk),
                summary="signed out",
            )
        ]
    )
