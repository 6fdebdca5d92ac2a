"""A full IV ketamine session in the browser: front desk checks the patient in, the nurse
charts, the prescriber orders and signs; a BP alert is acknowledged and an adverse event
recorded on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from remission.accounts.roles import Role
from remission.scheduling.models import SessionStatus
from tests.e2e.chairside import (
    IV_CHECKLIST,
    TODAYS_DOSE_QUESTIONS,
    acknowledge_every_alert,
    afternoon_clinic,
    explain_missed_checks,
    first_session_booked,
    local,
    mar,
    save_vitals,
    settle_and_discharge,
    sign_in,
    sign_off,
    submit,
)
from tests.world.treatment import make_eligible


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    world = afternoon_clinic("IV-1", "Casey", "Infusion", dt.date(1982, 3, 4), "female")
    make_eligible(world.members, world.patient)
    session = first_session_booked(world, minutes_ago=135)
    return {
        "clinic": world.clinic,
        "members": world.members,
        "patient": world.patient,
        "session": session,
    }


def test_a_full_iv_session_from_check_in_to_sign_off(
    live_server: Any, browser: Browser, world: dict[str, Any]
) -> None:
    base, clinic, members, session = (
        live_server.url,
        world["clinic"],
        world["members"],
        world["session"],
    )
    session_url = f"{base}/c/alpha/sessions/{session.pk}/"

    front = sign_in(browser, base, members[Role.FRONT_DESK])
    front.get_by_role("link", name="Day board", exact=True).click()
    expect(front.get_by_text("Casey Infusion")).to_be_visible()
    front.get_by_role("button", name="Check in").click()
    expect(front.get_by_text("is checked in")).to_be_visible()

    nurse = sign_in(browser, base, members[Role.NURSE])
    nurse.goto(session_url)
    expect(nurse.get_by_test_id("status")).to_have_text("Checked in")
    for item in IV_CHECKLIST:
        submit(nurse, nurse.get_by_role("button", name=f"{item}: yes"), "/checklist/")
        expect(nurse.locator("li.ok", has_text=item)).to_be_visible()
    # today's doses: lorazepam 0.5 mg this morning is a caution, not a hold; the rest no
    benzodiazepine = nurse.locator("li", has_text="Benzodiazepine taken today?")
    benzodiazepine.get_by_label("Which benzodiazepine").select_option("lorazepam")
    benzodiazepine.get_by_label("How much, mg").fill("0.5")
    submit(nurse, benzodiazepine.get_by_role("button", name="Benzodiazepine taken today? (if yes: "
           "which, and how much): yes"), "/checklist/")  # fmt: skip
    expect(nurse.get_by_text("Today's doses: Caution")).to_be_visible()
    expect(
        nurse.get_by_text("lorazepam 0.5 mg today ≈ 0.5 mg lorazepam-equivalent")
    ).to_be_visible()
    for question in TODAYS_DOSE_QUESTIONS[1:]:
        submit(nurse, nurse.get_by_role("button", name=f"{question}: no"), "/checklist/")
        expect(nurse.locator("li.ok", has_text=question)).to_be_visible()
    submit(
        nurse,
        nurse.get_by_role(
            "button", name="Pregnancy test negative (when applicable): not applicable"
        ),
        "/checklist/",
    )
    expect(nurse.locator("li.ok", has_text="Pregnancy test")).to_be_visible()

    nurse.get_by_role("link", name="PHQ-9").click()
    for item, value in enumerate([2, 2, 1, 2, 1, 1, 2, 1, 0], start=1):
        nurse.locator(f"input[name=item_{item}][value='{value}']").check()
    nurse.get_by_role("button", name="Score and save").click()
    expect(nurse.get_by_text("PHQ-9 recorded: 12/27.")).to_be_visible()
    expect(nurse.locator("li.ok", has_text="Today's pre-session scale")).to_be_visible()
    save_vitals(nurse, local(clinic, 130), "124", "78", "72", check="vitals@-10")
    expect(nurse.locator("li.ok", has_text="Pre-dose vitals within limits")).to_be_visible()

    prescriber = sign_in(browser, base, members[Role.PRESCRIBER])
    prescriber.goto(session_url)
    submit(prescriber, prescriber.get_by_role("button", name="Order dose"), "/order/")
    expect(prescriber.get_by_test_id("ordered")).to_contain_text("41.2 mg")
    expect(prescriber.get_by_text("awaiting a second person")).to_be_visible()

    nurse.reload()
    submit(nurse, nurse.get_by_role("button", name="Verify dose (second person)"), "/verify/")
    expect(nurse.get_by_text("awaiting a second person")).to_have_count(0)
    mar(nurse, "start", local(clinic, 120), Lot="KET-2201")
    expect(nurse.get_by_test_id("status")).to_have_text("Dosing")

    save_vitals(nurse, local(clinic, 90), "186", "104", "88", check="vitals@+30")
    alerts = nurse.get_by_role("alert").filter(has_text="Alerts to acknowledge")
    expect(alerts).to_contain_text("Systolic BP 186")

    nurse.get_by_text("Record an adverse event").click()
    event_form = nurse.locator("section[aria-labelledby=ae-h] form")
    event_form.get_by_label("Event:", exact=True).select_option("hypertension")
    event_form.get_by_label("Grade (CTCAE):").select_option("2")
    event_form.get_by_label("Action taken:").fill("infusion rate reduced")
    submit(nurse, event_form.get_by_role("button", name="Save event"), "/adverse-event/")
    expect(nurse.locator("section", has_text="Adverse events")).to_contain_text(
        "Hypertension Grade 2 — moderate"
    )

    mar(nurse, "rate_change", local(clinic, 89), **{"Rate (mL/h)": "4", "Reason": "BP 186/104"})
    acknowledge_every_alert(nurse, "rate reduced; BP rechecked")
    mar(nurse, "stop", local(clinic, 78))
    expect(nurse.get_by_test_id("status")).to_have_text("Observing")
    expect(nurse.get_by_test_id("total-given")).to_contain_text("39.3 mg")

    save_vitals(nurse, local(clinic, 15), "130", "80", "74")
    save_vitals(nurse, local(clinic, 2), "128", "79", "72")
    settle_and_discharge(nurse)

    explain_missed_checks(nurse, "not charted in this test")
    prescriber.reload()
    sign_off(prescriber)
    expect(prescriber.get_by_text("— locked")).to_be_visible()
    session.refresh_from_db()
    assert session.status == SessionStatus.DISCHARGED
    assert session.is_locked
    assert session.adverse_events.count() == 1
    assert session.alerts.filter(acknowledged_at__isnull=True).count() == 0
