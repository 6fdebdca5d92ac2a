"""After the save that raises an urgent alert, the alert is in view where the nurse is looking
(the pinned chair-side bar), on a tablet and on a phone: one alert for the reading, listing its
reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from remission.accounts.roles import Role
from remission.chairside import services
from tests.e2e.chairside import afternoon_clinic, first_session_booked, local, save_vitals
from tests.world import PASSWORD
from tests.world.chairside import ready_for_dose
from tests.world.treatment import make_eligible

MINUTES = dt.timedelta(minutes=1)


@pytest.fixture
def dosing(transactional_db: Any) -> dict[str, Any]:
    """An IV dose started 16 minutes ago, charted through the services."""
    world = afternoon_clinic("IV-7", "Avery", "Pinned", dt.date(1979, 5, 6), "male")
    make_eligible(world.members, world.patient)
    session = first_session_booked(world, minutes_ago=60)
    t0 = timezone.now() - 16 * MINUTES
    ready_for_dose(world.members, session, t0)
    order = services.order_dose(membership=world.members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=world.members[Role.NURSE], order=order)
    services.record_administration(
        membership=world.members[Role.NURSE], session=session, action="start", at=t0
    )
    return {"world": world, "session": session}


@pytest.mark.parametrize("size", [(820, 1180), (390, 844)], ids=["tablet", "phone"])
def test_the_urgent_alert_is_in_the_viewport_right_after_the_save(
    live_server: Any, browser: Browser, dosing: dict[str, Any], size: tuple[int, int]
) -> None:
    world, session = dosing["world"], dosing["session"]
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(world.members[Role.NURSE].user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/c/alpha/sessions/{session.pk}/")
    form = page.locator("form.vitals-form")
    form.scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 300  # the form is well below the page's top

    save_vitals(page, local(world.clinic, 0), "185", "112", "80", check="vitals@+15")

    alerts = page.get_by_test_id("alert")
    expect(alerts).to_have_count(1)
    expect(alerts).to_contain_text("Systolic blood pressure high")
    expect(alerts).to_contain_text("Diastolic blood pressure high")
    box = alerts.bounding_box()
    assert box is not None
    viewport = page.viewport_size
    assert viewport is not None
    assert box["y"] >= 0 and box["y"] < viewport["height"], box
    assert box["y"] + 40 <= viewport["height"], box  # its heading and first reason show
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.close()
