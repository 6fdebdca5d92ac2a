"""Each role's home lists the work waiting for it, in the browser, on a tablet and a phone: the
front desk sees today's arrival and checks her in from its home; she then shows as an order to
write for the prescriber (the link opens her session) and as a chair waiting for that order for
the nurse."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.scheduling.models import TreatmentSession
from tests.e2e.chairside import World, afternoon_clinic, first_session_booked
from tests.world import PASSWORD
from tests.world.treatment import make_eligible

SIZES = {"tablet": (820, 1180), "phone": (390, 844)}


@pytest.fixture
def booked(transactional_db: Any) -> tuple[World, TreatmentSession]:
    """A patient booked for her first IV dose ten minutes ago, not yet checked in."""
    world = afternoon_clinic("HOME-1", "Dana", "Waiting", dt.date(1982, 3, 4), "female")
    make_eligible(world.members, world.patient)
    return world, first_session_booked(world, minutes_ago=10)


def _home(browser: Browser, base: str, member: Membership, size: tuple[int, int]) -> Page:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today at Alpha Ketamine Clinic")).to_be_visible()
    return page


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_each_role_home_lists_the_work_waiting_for_it(
    live_server: Any,
    browser: Browser,
    booked: tuple[World, TreatmentSession],
    size: tuple[int, int],
) -> None:
    world, session = booked
    name = world.patient.display_name

    front_desk = _home(browser, live_server.url, world.members[Role.FRONT_DESK], size)
    arrivals = front_desk.get_by_test_id("wl-arrivals")
    expect(arrivals).to_contain_text(name)
    arrivals.get_by_role("button", name="Check in").first.click()
    expect(front_desk.get_by_test_id("wl-arrivals")).not_to_contain_text(name)

    prescriber = _home(browser, live_server.url, world.members[Role.PRESCRIBER], size)
    orders = prescriber.get_by_test_id("wl-orders")
    expect(orders).to_contain_text(name)
    orders.get_by_role("link", name=name).first.click()
    expect(prescriber).to_have_url(f"{live_server.url}/c/alpha/sessions/{session.pk}/")

    nurse = _home(browser, live_server.url, world.members[Role.NURSE], size)
    queue = nurse.get_by_test_id("wl-queue")
    expect(queue).to_contain_text(name)
    expect(queue).to_contain_text("order")  # what the chair waits for, in words
    for page in (prescriber, nurse, front_desk):
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
