"""The staff screens: a prescribing role asked for on the member page waits on the staff page
for a medical director; invitations are sent again or withdrawn from the list."""

from __future__ import annotations

import pytest
from django.core import mail

from remission.accounts.models import GrantStatus, Invitation, Membership, RoleGrant
from remission.accounts.roles import Role
from tests.world import client_for

pytestmark = pytest.mark.django_db


def test_a_prescriber_role_asked_for_by_the_admin_takes_effect_when_the_director_approves(
    members: dict[str, Membership],
) -> None:
    nurse = members[Role.NURSE]
    admin = client_for(members[Role.CLINIC_ADMIN])
    reply = admin.post(
        f"/c/alpha/admin/staff/{nurse.pk}/",
        {"role": Role.PRESCRIBER, "is_active": "on"},
        follow=True,
    )
    assert b"waits for a medical director" in reply.content
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE
    grant = RoleGrant.objects.get(member=nurse)
    assert b'value="approve"' not in reply.content  # the admin sees the request, cannot decide it
    director = client_for(members[Role.MEDICAL_DIRECTOR])
    assert b'value="approve"' in director.get("/c/alpha/admin/staff/").content
    director.post(f"/c/alpha/admin/role-requests/{grant.pk}/", {"decision": "approve"})
    nurse.refresh_from_db()
    grant.refresh_from_db()
    assert (nurse.role, grant.status, grant.decided_by_id) == (
        Role.PRESCRIBER,
        GrantStatus.APPROVED,
        members[Role.MEDICAL_DIRECTOR].user_id,
    )


def test_the_admin_cannot_decide_a_request_even_by_posting(
    members: dict[str, Membership],
) -> None:
    nurse = members[Role.NURSE]
    admin = client_for(members[Role.CLINIC_ADMIN])
    admin.post(f"/c/alpha/admin/staff/{nurse.pk}/", {"role": Role.PRESCRIBER, "is_active": "on"})
    grant = RoleGrant.objects.get(member=nurse)
    response = admin.post(f"/c/alpha/admin/role-requests/{grant.pk}/", {"decision": "approve"})
    assert response.status_code == 403
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE


def test_an_invitation_is_sent_again_and_withdrawn_from_the_staff_page(
    members: dict[str, Membership],
) -> None:
    admin = client_for(members[Role.CLINIC_ADMIN])
    admin.post(
        "/c/alpha/admin/staff/",
        {"first_name": "Nia", "last_name": "Lee", "email": "nia@example.org", "role": "nurse"},
    )
    invitation = Invitation.objects.get(email="nia@example.org")
    page = admin.get("/c/alpha/admin/staff/").content.decode()
    assert "Withdraw the invitation to nia@example.org" in page and "Send again" in page
    admin.post(f"/c/alpha/admin/invitations/{invitation.pk}/resend/")
    assert len(mail.outbox) == 2
    admin.post(f"/c/alpha/admin/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert (
        "Withdraw the invitation to nia" not in admin.get("/c/alpha/admin/staff/").content.decode()
    )
    assert admin.post(f"/c/alpha/admin/invitations/{invitation.pk}/resend/").status_code == 404
    assert admin.post(f"/c/alpha/admin/invitations/{invitation.pk}/delete/").status_code == 404
