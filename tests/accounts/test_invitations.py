"""Staff → Add sends a single-use, expiring invitation; nobody is given a password; a
prescribing role waits for a medical director who is not the person asking."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from remission.accounts import decisions, grants, invitations
from remission.accounts.models import GrantStatus, Invitation, Membership, User
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.clinics.models import Clinic
from tests.world import PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and private passphrase 42"


def _invite(
    admin: Membership, email: str = "new.nurse@example.org", role: str = Role.NURSE
) -> Invitation:
    return invitations.invite_staff_member(
        membership=admin, email=email, first_name=" Nia ", last_name="Lee", role=role
    )


def _link() -> str:
    match = re.search(r"https?://[^/]+(/accounts/invitation/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invitation_is_mailed_with_a_link_and_only_its_hash_is_stored(
    members: dict[str, Membership],
) -> None:
    invitation = _invite(members[Role.CLINIC_ADMIN], " New.Nurse@Example.org ")
    assert invitation.email == "new.nurse@example.org"
    assert mail.outbox[-1].to == ["new.nurse@example.org"]
    token = _link().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash
    assert not User.objects.filter(email="new.nurse@example.org").exists()
    assert AuditEvent.objects.filter(summary="invited new.nurse@example.org as Nurse").exists()


def test_a_new_person_chooses_their_own_password_once_and_joins(
    members: dict[str, Membership], clinic_a: Clinic
) -> None:
    _invite(members[Role.CLINIC_ADMIN])
    link = _link()
    client = Client()
    weak = client.post(link, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 200 and b"too common" in weak.content
    done = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user = User.objects.get(email="new.nurse@example.org")
    assert user.check_password(NEW_PASSWORD) and user.first_name == "Nia"
    assert Membership.objects.get(user=user).role == Role.NURSE
    assert Client().get(link).status_code == 404  # single use


def test_a_person_with_an_account_accepts_signed_in_as_themselves(
    members: dict[str, Membership], outsider: Membership
) -> None:
    _invite(members[Role.CLINIC_ADMIN], outsider.user.email.upper())
    link = _link()
    anonymous = Client().get(link)
    assert b"Sign in to accept" in anonymous.content and b"new-password" not in anonymous.content
    someone_else = client_for(members[Role.NURSE]).post(link)
    assert b"another e-mail address" in someone_else.content
    assert client_for(outsider).post(link).status_code == 302
    assert Membership.objects.filter(user=outsider.user).count() == 2
    assert User.objects.get(pk=outsider.user_id).check_password(PASSWORD)


def test_an_invitation_expires_and_a_resent_one_replaces_the_old_link(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    invitation = _invite(admin)
    first = _link()
    invitations.resend_invitation(membership=admin, invitation=invitation)
    second = _link()
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    with time_machine.travel(dt.timedelta(days=8)):
        assert Client().get(second).status_code == 404


def test_a_revoked_invitation_cannot_be_used_or_resent(members: dict[str, Membership]) -> None:
    admin = members[Role.CLINIC_ADMIN]
    invitation = _invite(admin)
    link = _link()
    invitations.revoke_invitation(membership=admin, invitation=invitation)
    assert Client().get(link).status_code == 404
    with pytest.raises(ValidationError, match="closed"):
        invitations.resend_invitation(membership=admin, invitation=invitation)


def test_invitations_are_refused_for_a_member_a_duplicate_and_without_the_right(
    members: dict[str, Membership],
) -> None:
    admin = members[Role.CLINIC_ADMIN]
    with pytest.raises(ValidationError, match="already a member"):
        _invite(admin, members[Role.NURSE].user.email)
    _invite(admin)
    with pytest.raises(ValidationError, match="open invitation"):
        _invite(admin)
    with pytest.raises(ValidationError, match="Unknown role"):
        _invite(admin, "x@example.org", "janitor")
    with pytest.raises(PermissionDenied):
        _invite(members[Role.NURSE], "y@example.org")


def test_a_prescriber_invitation_waits_for_a_second_persons_approval(
    members: dict[str, Membership], clinic_a: Clinic
) -> None:
    director = members[Role.MEDICAL_DIRECTOR]
    invitation = _invite(director, "dr.new@example.org", Role.PRESCRIBER)
    assert invitation.sent_at is None and not mail.outbox
    (grant,) = grants.pending_grants(membership=director)
    with pytest.raises(ValidationError, match="cannot also approve"):
        decisions.decide_grant(membership=director, grant=grant, approve=True)
    with pytest.raises(PermissionDenied):
        decisions.decide_grant(membership=members[Role.CLINIC_ADMIN], grant=grant, approve=True)
    second = make_member(clinic_a, Role.MEDICAL_DIRECTOR, "director-two")
    decisions.decide_grant(membership=second, grant=grant, approve=True)
    assert mail.outbox[-1].to == ["dr.new@example.org"]
    assert Client().get(_link()).status_code == 200


def test_a_declined_invitation_is_withdrawn(
    members: dict[str, Membership],
) -> None:
    invitation = _invite(members[Role.CLINIC_ADMIN], "dr.new@example.org", Role.MEDICAL_DIRECTOR)
    (grant,) = grants.pending_grants(membership=members[Role.CLINIC_ADMIN])
    decisions.decide_grant(membership=members[Role.MEDICAL_DIRECTOR], grant=grant, approve=False)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and not mail.outbox
    grant.refresh_from_db()
    assert grant.status == GrantStatus.DECLINED
