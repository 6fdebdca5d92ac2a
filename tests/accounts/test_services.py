"""Account services called directly: adding and changing staff, resetting and setting up
two-factor, recording sign-in and sign-out; refusals and the audit trail."""

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


def _add(
    admin: Membership, email: str = "new.nurse@example.org", role: str = Role.NURSE
) -> tuple[Membership, str | None]:
    return services.add_staff_member(
        membership=admin, email=email, first_name=" Nia ", last_name="Lane", role=role
    )


def _code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (RFC 6238, computed from the device's key)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def test_a_new_staff_member_gets_an_account_a_membership_and_a_one_time_password(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    member, password = _add(admin, "New.Nurse@Example.org")
    user = User.objects.get(pk=member.user_id)
    assert (user.email, user.first_name, member.role) == ("new.nurse@example.org", "Nia", "nurse")
    assert password is not None and user.check_password(password)
    assert AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(member.pk), action=AuditAction.CREATE
    ).exists()


def test_an_unknown_role_and_a_second_membership_are_refused(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    with pytest.raises(ValidationError) as unknown:
        _add(admin, role="janitor")
    assert "role" in unknown.value.message_dict
    _add(admin)
    with pytest.raises(ValidationError, match="already a member of this clinic"):
        _add(admin)


def test_only_those_who_manage_users_may_add_staff(members: dict[str, Membership]) -> None:
    with pytest.raises(PermissionDenied):
        _add(members[Role.NURSE])
    assert not User.objects.filter(email="new.nurse@example.org").exists()


def test_changing_a_members_role_is_saved_and_audited(members: dict[str, Membership]) -> None:
    admin, nurse = members[Role.CLINIC_ADMIN], members[Role.NURSE]
    services.change_member(membership=admin, member=nurse, role=Role.THERAPIST, is_active=True)
    nurse.refresh_from_db()
    assert nurse.role == Role.THERAPIST
    assert AuditEvent.objects.filter(
        object_type="accounts.membership", object_id=str(nurse.pk), action=AuditAction.UPDATE
    ).exists()


def test_an_admin_cannot_remove_their_own_right_to_manage_users(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    with pytest.raises(ValidationError, match="your own right to manage users"):
        services.change_member(membership=admin, member=admin, role=Role.NURSE, is_active=True)
    with pytest.raises(ValidationError, match="your own right to manage users"):
        services.change_member(
            membership=admin, member=admin, role=Role.CLINIC_ADMIN, is_active=False
        )


def test_a_member_of_another_clinic_cannot_be_changed_or_reset(
    members: dict[str, Membership], outsider: Membership
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    with pytest.raises(ValidationError, match="another clinic"):
        services.change_member(membership=admin, member=outsider, role=Role.NURSE, is_active=True)
    with pytest.raises(ValidationError, match="another clinic"):
        services.reset_two_factor(membership=admin, member=outsider)


def test_setting_up_an_authenticator_confirms_it_with_a_real_code_and_gives_recovery_codes(
    members: dict[str, Membership],
) -> None:
    user = members[Role.NURSE].user
    device = services.start_totp_setup(user=user)
    codes = services.confirm_totp_setup(user=user, device=device, code=_code(device))
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert TOTPDevice.objects.get(user=user).confirmed
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(codes)
    assert AuditEvent.objects.filter(
        action=AuditAction.SECURITY, object_id=str(user.pk), summary__contains="set up two-factor"
    ).exists()


def test_a_wrong_code_leaves_the_authenticator_unconfirmed(members: dict[str, Membership]) -> None:
    user = members[Role.NURSE].user
    device = services.start_totp_setup(user=user)
    wrong = "000000" if _code(device) != "000000" else "111111"
    with pytest.raises(ValidationError, match="That code is not right"):
        services.confirm_totp_setup(user=user, device=device, code=wrong)
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not StaticDevice.objects.filter(user=user).exists()


def test_a_confirmed_set_up_cannot_be_confirmed_again(members: dict[str, Membership]) -> None:
    user = members[Role.NURSE].user
    device = services.start_totp_setup(user=user)
    services.confirm_totp_setup(user=user, device=device, code=_code(device))
    with pytest.raises(ValidationError, match="expired"):
        services.confirm_totp_setup(user=user, device=device, code=_code(device))


def test_resetting_two_factor_removes_the_devices_and_is_audited(
    members: dict[str, Membership],
) -> None:
    admin, nurse = members[Role.CLINIC_ADMIN], members[Role.NURSE]
    device = services.start_totp_setup(user=nurse.user)
    services.confirm_totp_setup(user=nurse.user, device=device, code=_code(device))
    services.reset_two_factor(membership=admin, member=nurse)
    assert not TOTPDevice.objects.filter(user=nurse.user).exists()
    assert not StaticDevice.objects.filter(user=nurse.user).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.SECURITY,
        clinic_id=admin.clinic_id,
        summary__startswith="reset two-factor",
    ).exists()


def test_sign_in_failure_and_sign_out_are_recorded(members: dict[str, Membership]) -> None:
    user = members[Role.NURSE].user
    services.record_sign_in(user=user, succeeded=True)
    services.record_sign_in(user=None, succeeded=False, username="intruder")
    services.record_sign_out(user=user)
    actions = list(
        AuditEvent.objects.filter(object_type="accounts.user").values_list("action", "actor_id")
    )
    assert (AuditAction.LOGIN, user.pk) in actions
    assert (AuditAction.LOGIN_FAILED, None) in actions
    assert (AuditAction.LOGOUT, user.pk) in actions
    assert AuditEvent.objects.filter(summary="failed sign-in as 'intruder'").exists()
