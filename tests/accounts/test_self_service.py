"""Every signed-in person's own account: details, password, recovery codes; and an admin's
credential actions on a colleague, each written to every clinic of that person."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts import services
from remission.accounts.models import Membership, User
from remission.accounts.roles import Role
from remission.audit.models import AuditEvent
from remission.clinics.models import Clinic
from tests.world import PASSWORD, client_for, make_member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and private passphrase 42"


def _events(user: User, words: str) -> set[object]:
    return set(
        AuditEvent.objects.filter(object_id=str(user.pk), summary__contains=words).values_list(
            "clinic_id", flat=True
        )
    )


def test_the_user_menu_links_the_account_pages(members: dict[str, Membership]) -> None:
    page = client_for(members[Role.NURSE]).get("/c/alpha/").content.decode()
    for path in ("/accounts/profile/", "/accounts/password/", "/accounts/two-factor/setup/"):
        assert f'href="{path}"' in page


def test_a_person_changes_their_name_and_email_and_each_clinic_hears_of_it(
    members: dict[str, Membership], clinic_b: Clinic, clinic_a: Clinic
) -> None:
    nurse = members[Role.NURSE]
    Membership.objects.create(user=nurse.user, clinic=clinic_b, role=Role.NURSE)
    client = client_for(nurse)
    taken = client.post(
        "/accounts/profile/",
        {"first_name": "Nia", "last_name": "Lee", "email": members[Role.PRESCRIBER].user.email},
    )
    assert taken.status_code == 200 and b"cannot be used" in taken.content
    assert b'value="Nia"' in taken.content  # what was typed is kept
    done = client.post(
        "/accounts/profile/", {"first_name": "Nia", "last_name": "Lee", "email": "Nia@Example.org"}
    )
    assert done.status_code == 302
    user = User.objects.get(pk=nurse.user_id)
    assert (user.first_name, user.email) == ("Nia", "nia@example.org")
    assert _events(user, "changed own name and e-mail") == {clinic_a.pk, clinic_b.pk}


def test_a_password_change_needs_the_current_one_and_the_common_policy(
    members: dict[str, Membership],
) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "nurse-alpha", "password": PASSWORD})
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert b"current password is not right" in wrong.content
    weak = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert b"too common" in weak.content
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200  # still signed in
    assert User.objects.get(pk=members[Role.NURSE].user_id).check_password(NEW_PASSWORD)
    assert _events(members[Role.NURSE].user, "changed own password")


def test_new_recovery_codes_replace_the_old_ones(members: dict[str, Membership]) -> None:
    user = members[Role.NURSE].user
    client = client_for(members[Role.NURSE])
    refused = client.post("/accounts/two-factor/recovery-codes/")
    assert b"Set up an authenticator" in refused.content
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    first = services.regenerate_recovery_codes(user=user)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    client.post("/accounts/two-factor/", {"code": f"{code:06d}"})
    page = client.post("/accounts/two-factor/recovery-codes/")
    second = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert not set(first) & set(second)
    assert all(code.encode() in page.content for code in second)
    assert _events(user, "made new recovery codes")


def test_an_admin_of_every_clinic_or_an_instance_admin_may_reset_credentials(
    members: dict[str, Membership], clinic_b: Clinic, clinic_a: Clinic
) -> None:
    nurse = members[Role.NURSE]
    Membership.objects.create(user=nurse.user, clinic=clinic_b, role=Role.NURSE)
    admin = members[Role.CLINIC_ADMIN]
    assert services.credential_problems(membership=admin, subject=nurse.user)
    make_member(clinic_b, Role.CLINIC_ADMIN, "admin-beta")
    Membership.objects.create(user=admin.user, clinic=clinic_b, role=Role.CLINIC_ADMIN)
    assert not services.credential_problems(membership=admin, subject=nurse.user)
    Membership.objects.filter(user=admin.user, clinic=clinic_b).delete()
    User.objects.filter(pk=admin.user_id).update(is_superuser=True)
    admin.user.refresh_from_db()
    services.send_password_reset(membership=admin, member=nurse)
    assert mail.outbox[-1].to == [nurse.user.email]
    assert "/accounts/password-reset/" in mail.outbox[-1].body
    assert not User.objects.get(pk=nurse.user_id).has_usable_password()
    assert _events(nurse.user, "password-reset link") == {clinic_a.pk, clinic_b.pk}


def test_sign_in_is_written_to_every_clinic_of_the_person(
    members: dict[str, Membership], clinic_b: Clinic, clinic_a: Clinic
) -> None:
    nurse = members[Role.NURSE]
    Membership.objects.create(user=nurse.user, clinic=clinic_b, role=Role.NURSE)
    Client().post("/accounts/login/", {"username": "nurse-alpha", "password": PASSWORD})
    assert _events(nurse.user, "signed in") == {clinic_a.pk, clinic_b.pk}
