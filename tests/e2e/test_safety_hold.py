"""The suicide-risk loop in the browser: a patient answers PHQ-9 item 9 = 2 before an IV
session; the dose is held; the prescriber records a suicide-risk screen and a disposition; the
escalation closes and the session proceeds."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from remission.accounts.roles import Role
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.safety.models import SafetyEscalation
from remission.scheduling import services as scheduling
from remission.scheduling.models import TreatmentSession
from tests.e2e.chairside import afternoon_time_zone, local, mar, save_vitals, sign_in, submit
from tests.world import make_member
from tests.world.treatment import make_eligible, start_course


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    clinic = Clinic.objects.create(
        slug="alpha",
        name="Alpha Ketamine Clinic",
        require_two_factor=False,
        time_zone=afternoon_time_zone(),
    )
    members = {role: make_member(clinic, role) for role in Role.values}
    patient = Patient.objects.create(
        clinic=clinic,
        mrn="SAFE-1",
        legal_first_name="Robin",
        legal_last_name="Held",
        date_of_birth=dt.date(1979, 6, 1),
        sex_at_birth="male",
    )
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    session = sessions[0]
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_start=timezone.now() - dt.timedelta(minutes=20)
    )
    session.refresh_from_db()
    scheduling.check_in(membership=members[Role.FRONT_DESK], session=session)
    return {"clinic": clinic, "members": members, "patient": patient, "session": session}


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
    for item in (
        "Identity confirmed with two identifiers",
        "Fasting as instructed (no food for 2 h before the dose)",
        "Escort and transport home confirmed; no driving until tomorrow",
    ):
        submit(nurse, nurse.get_by_role("button", name=f"{item}: yes"), "/checklist/")
    submit(
        nurse,
        nurse.get_by_role(
            "button", name="Pregnancy test negative (when applicable): not applicable"
        ),
        "/checklist/",
    )
    nurse.get_by_role("link", name="phq9").click()
    for item, value in enumerate([2, 2, 1, 2, 1, 1, 2, 1, 2], start=1):
        nurse.locator(f"input[name=item_{item}][value='{value}']").check()
    nurse.get_by_role("button", name="Score and save").click()
    expect(nurse.get_by_text("PHQ-9 recorded: 14/27.")).to_be_visible()
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
