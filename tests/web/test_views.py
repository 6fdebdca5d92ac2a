"""Each role's home page lists its own worklists, each item a link to where the work is done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import services as chairside
from remission.scheduling import services as scheduling
from remission.scheduling.models import TreatmentSession
from tests.world import client_for

pytestmark = pytest.mark.django_db

LISTS: dict[str, set[str]] = {
    Role.MEDICAL_DIRECTOR: {  # every right, so the clinic's administration too
        "admin-card",
        "wl-intakes",
        "wl-orders",
        "wl-verify",
        "wl-sign",
        "wl-esc",
        "wl-reeval",
        "wl-calls",
    },
    Role.PRESCRIBER: {
        "wl-intakes",
        "wl-orders",
        "wl-verify",
        "wl-sign",
        "wl-esc",
        "wl-reeval",
        "wl-calls",
    },
    Role.NURSE: {"wl-queue", "wl-verify", "wl-calls"},
    Role.FRONT_DESK: {"wl-arrivals"},
    Role.THERAPIST: {"wl-queue", "wl-reeval"},
    Role.CLINIC_ADMIN: {"admin-card"},
}
EVERY = set().union(*LISTS.values())


@pytest.mark.parametrize("role", list(Role))
def test_each_role_home_shows_its_lists_and_no_others(
    members: dict[str, Membership], session: TreatmentSession, role: str
) -> None:
    response = client_for(members[role]).get(reverse("web:dashboard", args=["alpha"]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {testid for testid in EVERY if f'data-testid="{testid}"' in html}
    assert shown == LISTS[role]


def test_the_front_desk_checks_an_arrival_in_from_its_home(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    client = client_for(members[Role.FRONT_DESK])
    home = reverse("web:dashboard", args=["alpha"])
    assert session.patient.display_name in client.get(home).content.decode()
    check_in = reverse("scheduling:check_in", args=["alpha", session.pk])
    response = client.post(check_in, {"next": "web:dashboard"})
    assert response.status_code == 302 and response["Location"] == home
    session.refresh_from_db()
    assert session.status == "checked_in"


def test_the_prescribers_order_to_write_links_to_the_session(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    scheduling.check_in(membership=members[Role.FRONT_DESK], session=session)
    html = client_for(members[Role.PRESCRIBER]).get(reverse("web:dashboard", args=["alpha"]))
    link = reverse("chairside:session", args=["alpha", session.pk])
    section = html.content.decode().split('data-testid="wl-orders"')[1].split("</section>")[0]
    assert link in section


def test_the_nurse_sees_the_chair_waiting_for_the_second_check(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    scheduling.check_in(membership=members[Role.FRONT_DESK], session=session)
    chairside.order_dose(membership=members[Role.PRESCRIBER], session=session)
    html = client_for(members[Role.NURSE]).get(reverse("web:dashboard", args=["alpha"]))
    section = html.content.decode().split('data-testid="wl-queue"')[1].split("</section>")[0]
    assert "Waiting for: the second check of the order" in section
