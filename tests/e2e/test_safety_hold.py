"""The suicide-risk loop in the browser: a patient answers PHQ-9 item 9 = 2 before an IV
session; the dose is held; the prescriber records a suicide-risk screen and a disposition; the
escalation closes and the session proceeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from remission.accounts.roles import Role
from remission.safety.models import SafetyEscalation
from remission.scheduling import services as scheduling
from tests.e2e.chairside import (
    afternoon_clinic,
    answer_checklist,
    first_session_booked,
    local,
    mar,
    pre_session_phq9,
    save_vitals,
    sign_in,
    submit,
)
from tests.world.treatment import make_eligible


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    world = afternoon_clinic("SAFE-1", "Robin", "Held", dt.date(1979, 6, 1), "male")
    make_eligible(world.members, world.patient)
    session = first_session_booked(world, minutes_ago=20)
    scheduling.check_in(membership=world.members[Role.FRONT_DESK], session=session)
    return {
        "clinic": world.clinic,
        "members": world.members,
        "patient": world.patient,
        "session": session,
    }


def test_a_positive_item_9_holds_the_dose_until_a_clinician_screens_and_decides(
    live_server: Any, browser: Browser, world: dict[str, Any]
) -> None:
    base, clinic, members, session = (
        live_server.url,
        world["clinic"],
        world["members"],
        world["session"],
    )
    session_url = f"{base}/c/alpha/sessions/{session.pk}/"

    nurse = sign_in(browser, base, members[Role.NURSE])
    nurse.goto(session_url)
    answer_checklist(nurse)
    pre_session_phq9(nurse, [2, 2, 1, 2, 1, 1, 2, 1, 2], "14/27")
    hold = nurse.get_by_role("alert").filter(has_text="Safety hold")
    expect(hold).to_contain_text("item 9")
    save_vitals(nurse, local(clinic, 5), "124", "78", "72", check="vitals@-10")

    prescriber = sign_in(browser, base, members[Role.PRESCRIBER])
    prescriber.goto(session_url)
    submit(prescriber, prescriber.get_by_role("button", name="Order dose"), "/order/")
    nurse.reload()
    submit(nurse, nurse.get_by_role("button", name="Verify dose (second person)"), "/verify/")
    expect(nurse.locator("#session")).to_contain_text("Safety hold")
    expect(nurse.get_by_test_id("status")).not_to_have_text("Dosing")

    # The prescriber works the escalation: screen first, then the disposition.
    prescriber.reload()
    prescriber.get_by_role("link", name="Open the escalation").click()
    expect(prescriber.get_by_role("heading", name="Safety escalation")).to_be_visible()
    prescriber.get_by_role("link", name="Record the suicide-risk screen").click()
    for item, value in ((1, 1), (2, 0), (6, 0)):  # a wish to be dead; 3–5 not asked
        prescriber.locator(f"input[name=item_{item}][value='{value}']").check()
    prescriber.get_by_role("button", name="Score and save").click()
    expect(prescriber.get_by_text("level 1 (Low risk)")).to_be_visible()  # back on the escalation
    prescriber.get_by_label("Proceed with a safety plan").check()
    prescriber.get_by_label("Assessment and plan").fill(
        "Passive wish to be dead, no thoughts of acting; safety plan agreed; partner at home."
    )
    prescriber.get_by_role("button", name="Record and close").click()
    expect(prescriber.get_by_text("Escalation closed.")).to_be_visible()
    escalation = SafetyEscalation.objects.get(patient=world["patient"])
    assert not escalation.is_open and escalation.disposition == "proceed_with_safety_plan"

    nurse.reload()
    expect(nurse.get_by_role("alert").filter(has_text="Safety hold")).to_have_count(0)
    mar(nurse, "start", local(clinic, 1), Lot="KET-2201")
    expect(nurse.get_by_test_id("status")).to_have_text("Dosing")
