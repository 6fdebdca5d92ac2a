"""Building blocks of the test world (importable as ``tests.world``)."""

from __future__ import annotations

from django.test import Client

from remission.accounts.models import Membership, User
from remission.clinics.models import Clinic

PASSWORD = "correct horse battery staple"


def make_member(clinic: Clinic, role: str, username: str | None = None) -> Membership:
    username = username or f"{role}-{clinic.slug}"
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        first_name=role.title(),
        last_name=clinic.slug.title(),
    )
    return Membership.objects.create(user=user, clinic=clinic, role=role)


def client_for(membership: Membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client
