"""Signing in and out, two-factor, idle sessions, password reset and the clinic switcher."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from remission.accounts.middleware import IDLE_SESSION_KEY
from remission.accounts.models import Membership
from remission.audit.models import AuditAction, AuditEvent
from remission.clinics.models import Clinic
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_sign_in_reaches_the_clinic_and_is_audited(members: dict[str, Membership]) -> None:
    client = Client()
    response = _sign_in(client, "nurse-alpha")
    assert response.status_code == 302
    assert client.get("/").url == "/c/alpha/"
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=members["nurse"].user).exists()


def test_a_wrong_password_is_refused_and_audited(members: dict[str, Membership]) -> None:
    response = _sign_in(Client(), "nurse-alpha", "wrong password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_five_failures_lock_the_account_even_with_the_right_password(
    members: dict[str, Membership],
) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "nurse-alpha", "wrong password")
    response = _sign_in(client, "nurse-alpha")
    assert response.status_code == 429
    assert b"temporarily locked" in response.content


def test_staff_of_a_clinic_requiring_two_factor_must_set_it_up(
    clinic_a: Clinic, members: dict[str, Membership]
) -> None:
    clinic_a.require_two_factor = True
    clinic_a.save()
    client = Client()
    _sign_in(client, "prescriber-alpha")
    response = client.get("/c/alpha/patients/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/setup/"
    setup = client.get("/accounts/two-factor/setup/")
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=members["prescriber"].user, confirmed=False)
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert b"not right" in wrong.content
    confirmed = client.post("/accounts/two-factor/setup/", {"code": _code(device)})
    assert confirmed.status_code == 200
    assert b"recovery codes" in confirmed.content
    assert client.get("/c/alpha/patients/").status_code == 200


def test_a_user_with_an_authenticator_must_enter_a_code_after_the_password(
    members: dict[str, Membership],
) -> None:
    user = members["nurse"].user
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, "nurse-alpha")
    blocked = client.get("/c/alpha/patients/")
    assert blocked.status_code == 302
    assert blocked.url.startswith("/accounts/two-factor/")
    api_blocked = client.get("/api/v1/clinics/alpha/patients")
    assert api_blocked.status_code == 401
    assert client.post("/accounts/two-factor/", {"code": "123456"}).status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # wrong codes are throttled
    device.throttle_reset()
    verified = client.post("/accounts/two-factor/", {"code": _code(device)})
    assert verified.status_code == 302
    assert client.get("/c/alpha/patients/").status_code == 200


def test_an_idle_session_is_signed_out(members: dict[str, Membership]) -> None:
    client = Client()
    _sign_in(client, "therapist-alpha")
    assert client.get("/c/alpha/").status_code == 200
    session = client.session
    session[IDLE_SESSION_KEY] = time.time() - (settings.REMISSION_IDLE_TIMEOUT_MINUTES * 60 + 1)
    session.save()
    response = client.get("/c/alpha/patients/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/c/alpha/").status_code == 302


def test_a_clinic_can_shorten_the_idle_timeout(
    clinic_a: Clinic, members: dict[str, Membership]
) -> None:
    clinic_a.idle_timeout_minutes = 5
    clinic_a.save()
    client = Client()
    _sign_in(client, "therapist-alpha")
    session = client.session
    session[IDLE_SESSION_KEY] = time.time() - 6 * 60
    session.save()
    assert client.get("/c/alpha/").status_code == 302


def test_password_reset_sends_a_single_use_link(members: dict[str, Membership]) -> None:
    client = Client()
    response = client.post("/accounts/password-reset/", {"email": "nurse-alpha@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a much longer passphrase 42",
            "new_password2": "a much longer passphrase 42",
        },
    )
    assert done.status_code == 302
    assert _sign_in(Client(), "nurse-alpha", "a much longer passphrase 42").status_code == 302


def test_a_user_without_a_clinic_sees_a_welcome_page(db: Any) -> None:
    from remission.accounts.models import User

    User.objects.create_user(username="loner", email="l@example.org", password=PASSWORD)
    client = Client()
    _sign_in(client, "loner")
    response = client.get("/")
    assert response.status_code == 200
    assert b"not a member of any clinic" in response.content


def test_clinic_switcher_lists_every_clinic_of_the_member(
    members: dict[str, Membership], clinic_b: Clinic
) -> None:
    from remission.accounts.roles import Role

    Membership.objects.create(
        user=members["prescriber"].user, clinic=clinic_b, role=Role.PRESCRIBER
    )
    client = Client()
    _sign_in(client, "prescriber-alpha")
    response = client.get("/")
    assert response.url == "/clinics/"
    page = client.get("/clinics/")
    assert b"Alpha Ketamine Clinic" in page.content and b"Beta Clinic" in page.content
