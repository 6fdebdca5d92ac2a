"""The one test world, built through the app's services wherever a service exists.

``tests.world`` holds staff and clients; ``tests.world.patients`` the patient with a chart;
``tests.world.treatment`` eligibility, courses and booked sessions; ``tests.world.chairside`` a
session under way; ``tests.world.scheduling`` shifts and moves; ``tests.world.controlled`` stock
and dispensing; ``tests.world.rems`` an esketamine session charted to the minute. The fixtures
of ``tests/conftest.py`` call these; no module here holds tests."""

from __future__ import annotations

from django.test import Client

from remission.accounts.models import Membership, User
from remission.clinics.models import Clinic

PASSWORD = "correct horse battery staple"


def make_member(clinic: Clinic, role: str, username: str | None = None) -> Membership:
    """A member with a known password and username.

    Written directly, not through ``accounts.invitations``: an invitation lets the person
    choose their password by e-mailed link and names the account by its e-mail address, and
    the tests sign in as a known user with ``PASSWORD``. It also writes no audit events, so the trail the
    tests read starts with what they do."""
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
