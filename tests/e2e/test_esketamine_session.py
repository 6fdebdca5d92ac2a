"""A full esketamine (SPRAVATO) session in the browser under the REMS: certification and
enrollment on file, two devices 5 minutes apart, BP at ~40 min with an acknowledged alert,
an adverse event, at least 2 hours of observation, sign-off, and the patient monitoring form
PDF rendered to PNG and checked for its fields."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image, ImageStat
from playwright.sync_api import Browser, expect

from remission.accounts.roles import Role
from remission.rems.services import record_enrollment
from remission.scheduling.models import SessionStatus
from tests.e2e.chairside import (
    ESKETAMINE_CHECKLIST,
    acknowledge_every_alert,
    afternoon_clinic,
    answer_checklist,
    explain_missed_checks,
    first_session_booked,
    local,
    mar,
    pre_session_phq9,
    save_vitals,
    settle_and_discharge,
    sign_in,
    sign_off,
    submit,
)
from tests.world.treatment import make_eligible

PDFTOPPM = "/usr/bin/pdftoppm"
PDFTOTEXT = "/usr/bin/pdftotext"


@pytest.fixture
def world(transactional_db: Any) -> dict[str, Any]:
    world = afternoon_clinic(
        "ESK-1",
        "Robin",
        "Nasal",
        dt.date(1979, 7, 1),
        "male",
        rems_certification_number="REMS-TEST-77",
        address_line1="1 Harbor St",
        city="Portland",
    )
    members, patient = world.members, world.patient
    make_eligible(members, patient, consent_type="esketamine_treatment")
    record_enrollment(
        membership=members[Role.NURSE],
        patient=patient,
        enrolled_on=timezone.localdate() - dt.timedelta(days=3),
        rems_patient_id="PT-123",
    )
    session = first_session_booked(world, minutes_ago=150, protocol_id="esketamine-induction")
    return {"clinic": world.clinic, "members": members, "session": session}


def test_a_full_esketamine_session_and_its_rems_form(
    live_server: Any, browser: Browser, world: dict[str, Any], tmp_path: Path
) -> None:
    base, clinic, members, session = (
        live_server.url,
        world["clinic"],
        world["members"],
        world["session"],
    )
    url = f"{base}/c/alpha/sessions/{session.pk}/"
    nurse = sign_in(browser, base, members[Role.NURSE])
    nurse.goto(url)
    answer_checklist(nurse, ESKETAMINE_CHECKLIST)
    pre_session_phq9(nurse, [2, 2, 2, 1, 1, 2, 1, 1, 0], "12/27")
    save_vitals(nurse, local(clinic, 145), "126", "80", "70", check="vitals@-10")

    prescriber = sign_in(browser, base, members[Role.PRESCRIBER])
    prescriber.goto(url)
    submit(prescriber, prescriber.get_by_role("button", name="Order dose"), "/order/")
    expect(prescriber.get_by_test_id("ordered")).to_contain_text("56.0 mg")
    expect(prescriber.get_by_text("2 devices, 5 min apart")).to_be_visible()

    nurse.reload()
    submit(nurse, nurse.get_by_role("button", name="Verify dose (second person)"), "/verify/")
    mar(nurse, "device", local(clinic, 135), Lot="SPR-4410")
    expect(nurse.get_by_test_id("status")).to_have_text("Dosing")
    mar(nurse, "device", local(clinic, 130), Lot="SPR-4410")
    expect(nurse.get_by_test_id("status")).to_have_text("Observing")
    expect(nurse.get_by_test_id("total-given")).to_contain_text("56.0 mg")

    save_vitals(nurse, local(clinic, 95), "182", "104", "84", check="vitals@+40")
    expect(nurse.get_by_role("alert").filter(has_text="Alerts to acknowledge")).to_contain_text(
        "Systolic BP 182"
    )
    nurse.get_by_text("Record an adverse event").click()
    event_form = nurse.locator("section[aria-labelledby=ae-h] form")
    event_form.get_by_label("Event:", exact=True).select_option("dissociation")
    event_form.get_by_label("Grade (CTCAE):").select_option("1")
    event_form.get_by_label("Action taken:").fill("reassurance, dim lights")
    event_form.get_by_label("Outcome:").fill("resolved by 60 min")
    submit(nurse, event_form.get_by_role("button", name="Save event"), "/adverse-event/")
    acknowledge_every_alert(nurse, "BP rechecked in 10 min, prescriber informed")

    save_vitals(nurse, local(clinic, 12), "132", "82", "72")
    save_vitals(nurse, local(clinic, 2), "128", "80", "70")
    settle_and_discharge(nurse)

    explain_missed_checks(nurse, "not charted in this test")
    prescriber.reload()
    sign_off(prescriber)
    session.refresh_from_db()
    assert session.status == SessionStatus.DISCHARGED
    assert session.is_locked

    prescriber.get_by_role("link", name="REMS form").click()
    expect(prescriber.get_by_role("heading", level=1)).to_contain_text("monitoring form")
    pdf = prescriber.request.get(f"{base}/c/alpha/rems/sessions/{session.pk}/form.pdf")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf.body())
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(source), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages, "the PDF rendered to no page"
    with Image.open(pages[0]) as first:
        assert ImageStat.Stat(first.convert("L")).stddev[0] > 10, "the first page is blank"
    text = subprocess.run(
        [PDFTOTEXT, str(source), "-"], capture_output=True, check=True, text=True
    ).stdout
    squeezed = " ".join(text.split())
    for expected in (
        "Robin",
        "Nasal",
        "1979",
        "REMS-TEST-77",
        "Alpha Ketamine Clinic",
        "SPR-4410",
        "56 mg",
        "182/104",
        "126/80",
        "128/80",
    ):
        assert expected in squeezed, f"{expected!r} missing from the monitoring form"
