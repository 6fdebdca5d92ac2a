"""The account services, called directly: staff membership and roles, two-factor devices and
the sign-in trail. Each change is audited with its actor; a wrong clinic or role is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts import services
from remission.accounts.models import Membership, User
from remission.accounts.roles import Role
from remission.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _security_events(subject: User) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.SECURITY, object_type="accounts.user", object_id=str(subject.pk)
        ).order_by("id")
    )


# --- change_member -------------------------------------------------------------------------


def test_change_member_sets_role_and_activity_and_audits_the_change(
    members: dict[str, Membership],
) -> None:
    admin, nurse = members[Role.CLINIC_ADMIN], members[Role.NURSE]
    services.change_member(membership=admin, member=nurse, role=Role.THERAPIST, is_active=False)
    stored = Membership.objects.get(pk=nurse.pk)
    assert (stored.role, stored.is_active) == (Role.THERAPIST, False)
    event = AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(nurse.pk), action=AuditAction.UPDATE
    ).get()
    assert (event.actor_id, event.clinic_id) == (admin.user_id, admin.clinic_id)
    assert event.changes["role"] == [Role.NURSE, Role.THERAPIST]


def test_change_member_refuses_a_member_of_another_clinic(
    members: dict[str, Membership], outsider: Membership
) -> None:
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.change_member(
            membership=members[Role.CLINIC_ADMIN],
            member=outsider,
            role=Role.FRONT_DESK,
            is_active=True,
        )
    assert Membership.objects.get(pk=outsider.pk).role == Role.MEDICAL_DIRECTOR


def test_change_member_refuses_to_remove_the_actors_own_right_to_manage_users(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    for role, active in ((Role.NURSE, True), (Role.CLINIC_ADMIN, False)):
        with pytest.raises(ValidationError, match="your own right to manage users"):
            services.change_member(membership=admin, member=admin, role=role, is_active=active)
    stored = Membership.objects.get(pk=admin.pk)
    assert (stored.role, stored.is_active) == (Role.CLINIC_ADMIN, True)


def test_change_member_refuses_a_member_who_cannot_manage_users(
    members: dict[str, Membership],
) -> None:
    with pytest.raises(PermissionDenied):
        services.change_member(
            membership=members[Role.PRESCRIBER],
            member=members[Role.NURSE],
            role=Role.MEDICAL_DIRECTOR,
            is_active=True,
        )
    assert Membership.objects.get(pk=members[Role.NURSE].pk).role == Role.NURSE


# --- two-factor ----------------------------------------------------------------------------


def test_start_totp_setup_replaces_an_earlier_unconfirmed_device_only(
    members: dict[str, Membership],
) -> None:
    user = members[Role.NURSE].user
    confirmed = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    first = services.start_totp_setup(user=user)
    second = services.start_totp_setup(user=user)
    assert set(TOTPDevice.objects.filter(user=user)) == {confirmed, second}
    assert not second.confirmed
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()


def test_confirm_totp_setup_confirms_the_device_issues_recovery_codes_and_audits_it(
    members: dict[str, Membership],
) -> None:
    user = members[Role.NURSE].user
    device = services.start_totp_setup(user=user)
    codes = services.confirm_totp_setup(user=user, device=device, code=_code(device))
    assert len(codes) == services.RECOVERY_CODE_COUNT == len(set(codes))
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    static = StaticDevice.objects.get(user=user)
    assert set(StaticToken.objects.filter(device=static).values_list("token", flat=True)) == set(
        codes
    )
    (event,) = _security_events(user)
    assert (event.actor_id, event.summary) == (user.pk, "set up two-factor authentication")


def test_confirm_totp_setup_refuses_a_wrong_code_and_anothers_device(
    members: dict[str, Membership],
) -> None:
    user, other = members[Role.NURSE].user, members[Role.PRESCRIBER].user
    device = services.start_totp_setup(user=user)
    with pytest.raises(ValidationError, match="That code is not right"):
        services.confirm_totp_setup(user=user, device=device, code="000000")
    with pytest.raises(ValidationError, match="has expired"):
        services.confirm_totp_setup(user=other, device=device, code=_code(device))
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not StaticDevice.objects.filter(user__in=[user, other]).exists()
    assert _security_events(user) == []


def test_reset_two_factor_removes_the_members_devices_and_audits_it(
    members: dict[str, Membership],
) -> None:
    admin, nurse = members[Role.CLINIC_ADMIN], members[Role.NURSE]
    device = services.start_totp_setup(user=nurse.user)
    services.confirm_totp_setup(user=nurse.user, device=device, code=_code(device))
    services.reset_two_factor(membership=admin, member=nurse)
    assert not TOTPDevice.objects.filter(user=nurse.user).exists()
    assert not StaticDevice.objects.filter(user=nurse.user).exists()
    event = _security_events(nurse.user)[-1]
    assert (event.actor_id, event.clinic_id, event.summary) == (
        admin.user_id,
        admin.clinic_id,
        f"reset two-factor of {nurse.user}",
    )


def test_reset_two_factor_refuses_another_clinic_and_a_member_who_cannot_manage_users(
    members: dict[str, Membership], outsider: Membership
) -> None:
    TOTPDevice.objects.create(user=outsider.user, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=members[Role.NURSE].user, name="phone", confirmed=True)
    with pytest.raises(ValidationError, match="belongs to another clinic"):
        services.reset_two_factor(membership=members[Role.CLINIC_ADMIN], member=outsider)
    with pytest.raises(PermissionDenied):
        services.reset_two_factor(membership=members[Role.PRESCRIBER], member=members[Role.NURSE])
    assert TOTPDevice.objects.filter(user=outsider.user).exists()
    assert TOTPDevice.objects.filter(user=members[Role.NURSE].user).exists()


# --- the sign-in trail ---------------------------------------------------------------------


def test_record_sign_in_audits_a_success_with_its_user_and_a_failure_without_one(
    members: dict[str, Membership],
) -> None:
    user = members[Role.NURSE].user
    services.record_sign_in(user=user, succeeded=True)
    services.record_sign_in(user=None, succeeded=False, username="nobody-" + "x" * 200)
    success, failure = AuditEvent.objects.filter(
        action__in=[AuditAction.LOGIN, AuditAction.LOGIN_FAILED]
    ).order_by("id")
    assert (success.action, success.actor_id, success.object_id, success.summary) == (
        AuditAction.LOGIN,
        user.pk,
        str(user.pk),
        "signed in",
    )
    assert (failure.action, failure.actor_id, failure.object_id) == (
        AuditAction.LOGIN_FAILED,
        None,
        "",
    )
    assert failure.summary == f"failed sign-in as {('nobody-' + 'x' * 93)!r}"


def test_record_sign_out_audits_the_user(members: dict[str, Membership]) -> None:
    user = members[Role.NURSE].user
    services.record_sign_out(user=user)
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert (event.actor_id, event.object_id, event.summary) == (user.pk, str(user.pk), "signed out")
