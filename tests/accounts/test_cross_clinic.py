"""Issue 11 §1 and §2, written as the attacks that worked: a clinic-B admin adding a clinic-A
nurse through Staff → Add, resetting her two-factor, learning from the reply whether an e-mail
has an account, and a clinic admin making themselves medical director."""

from __future__ import annotations

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.clinics.models import Clinic
from tests.world import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_b(clinic_b: Clinic) -> Membership:
    return make_member(clinic_b, Role.CLINIC_ADMIN, "admin-beta")


def _add(admin: Membership, email: str, role: str = Role.NURSE) -> str:
    response = client_for(admin).post(
        f"/c/{admin.clinic.slug}/admin/staff/",
        {"first_name": "Nia", "last_name": "Lee", "email": email, "role": role},
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index('<div class="messages"') : text.index("</div>", text.index("messages"))]


def test_adding_another_clinics_nurse_gives_no_membership_until_she_accepts(
    members: dict[str, Membership], admin_b: Membership
) -> None:
    nurse = members[Role.NURSE]
    _add(admin_b, nurse.user.email)
    assert not Membership.objects.filter(user=nurse.user, clinic=admin_b.clinic).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [nurse.user.email]


def test_the_add_reply_is_the_same_whether_or_not_the_email_has_an_account(
    members: dict[str, Membership], admin_b: Membership
) -> None:
    known = _add(admin_b, members[Role.NURSE].user.email)
    unknown = _add(admin_b, "nobody-yet@example.org")
    assert known.replace(members[Role.NURSE].user.email, "E") == unknown.replace(
        "nobody-yet@example.org", "E"
    )
    assert "invitation" in unknown


def test_no_password_is_ever_shown_to_the_admin(members: dict[str, Membership]) -> None:
    reply = _add(members[Role.CLINIC_ADMIN], "new.nurse@example.org")
    assert "Temporary password" not in reply


def test_clinic_b_cannot_reset_the_two_factor_of_a_nurse_who_also_works_at_clinic_a(
    members: dict[str, Membership], admin_b: Membership
) -> None:
    nurse = members[Role.NURSE]
    TOTPDevice.objects.create(user=nurse.user, name="phone", confirmed=True)
    # Suppose she did accept a B membership: B still may not touch her A credentials.
    in_b = Membership.objects.create(user=nurse.user, clinic=admin_b.clinic, role=Role.NURSE)
    response = client_for(admin_b).post(
        f"/c/beta/admin/staff/{in_b.pk}/reset-two-factor/", follow=True
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=nurse.user, confirmed=True).exists()
    assert "every clinic" in response.content.decode()


def test_a_two_factor_reset_is_written_to_every_clinic_of_the_user(
    members: dict[str, Membership], admin_b: Membership, clinic_a: Clinic
) -> None:
    nurse = members[Role.NURSE]
    TOTPDevice.objects.create(user=nurse.user, name="phone", confirmed=True)
    in_b = Membership.objects.create(user=nurse.user, clinic=admin_b.clinic, role=Role.NURSE)
    # An admin of both clinics may reset it; both clinics' logs say so.
    Membership.objects.create(user=admin_b.user, clinic=clinic_a, role=Role.CLINIC_ADMIN)
    client_for(admin_b).post(f"/c/beta/admin/staff/{in_b.pk}/reset-two-factor/")
    assert not TOTPDevice.objects.filter(user=nurse.user).exists()
    clinics = set(
        AuditEvent.objects.filter(
            object_id=str(nurse.user.pk), summary__contains="two-factor"
        ).values_list("clinic_id", flat=True)
    )
    assert clinics == {clinic_a.pk, admin_b.clinic_id}


def test_a_clinic_admin_cannot_make_themselves_medical_director(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    client_for(admin).post(
        f"/c/alpha/admin/staff/{admin.pk}/",
        {"role": Role.MEDICAL_DIRECTOR, "is_active": "on"},
    )
    admin.refresh_from_db()
    assert admin.role == Role.CLINIC_ADMIN
