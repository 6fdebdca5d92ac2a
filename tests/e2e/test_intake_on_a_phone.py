"""A nurse fills the clinical intake on a phone-width screen: the medication list (a row added
without JavaScript's help, a bad row corrected inline), alcohol, the pre-sedation assessment;
the eligibility record lists the reasons the core found."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from remission.accounts.roles import Role
from remission.treatment.forms import HISTORY_LABELS, STOP_BANG_LABELS
from remission.treatment.models import Intake
from tests.e2e.chairside import afternoon_clinic, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(transactional_db: Any) -> Any:
    return afternoon_clinic("INT-1", "Morgan", "Intake", dt.date(1972, 3, 9), "female")


def _row(page: Page, n: int, drug: str, dose: str, frequency: str, last: str) -> None:
    row = page.locator("fieldset.medication-row").nth(n)
    row.get_by_label("Medicine").select_option(drug)
    row.get_by_label("Dose").fill(dose)
    row.get_by_label("How often").select_option(frequency)
    row.get_by_label("Last taken").select_option(last)


def test_an_intake_with_a_medication_list_on_a_phone(
    live_server: Any, browser: Browser, world: Any
) -> None:
    nurse = sign_in(browser, live_server.url, world.members[Role.NURSE])
    nurse.set_viewport_size({"width": 390, "height": 844})
    nurse.goto(f"{live_server.url}/c/alpha/treatment/patients/{world.patient.pk}/intake/new/")
    expect(nurse.get_by_role("heading", name="Clinical intake")).to_be_visible()
    wide = nurse.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the intake scrolls sideways at 390 px ({wide} px)"

    nurse.get_by_label("Pregnancy").select_option("not_pregnant")
    for label in (*HISTORY_LABELS.values(), *STOP_BANG_LABELS.values(), "Breastfeeding",
                  "ECT in the current episode"):  # fmt: skip
        nurse.get_by_role("group", name=label).get_by_label("No").check()
    nurse.get_by_label("Substance use disorder").select_option("none")
    for investigation in ("12-lead ECG", "Liver function tests", "Urine drug screen"):
        nurse.get_by_label(investigation).select_option("not_done")  # never preselected
    nurse.get_by_label("Duration of the current episode (months)").fill("14")
    nurse.get_by_label("Baseline severity (Maudsley categories)").select_option("moderate")
    nurse.get_by_label("Regular (weekly or more, within low-risk limits)").check()
    nurse.get_by_label("ASA II: a patient with mild systemic disease", exact=False).check()

    _row(nurse, 0, "sertraline", "150", "once_daily", "today")
    _row(nurse, 1, "other", "50", "once_daily", "today")  # no name yet: refused inline
    nurse.get_by_role("button", name="Add a row").click()
    expect(nurse.locator("fieldset.medication-row")).to_have_count(3)
    expect(nurse.locator("fieldset.medication-row").nth(0).get_by_label("Dose")).to_have_value(
        "150"
    )
    _row(nurse, 2, "clonazepam", "1", "twice_daily", "today")
    nurse.get_by_role("button", name="Record intake and assess eligibility").click()
    expect(nurse.get_by_text("Name the medicine.")).to_be_visible()
    expect(nurse.locator("fieldset.medication-row").nth(2).get_by_label("Dose")).to_have_value("1")

    nurse.locator("fieldset.medication-row").nth(1).get_by_label("Name (if other)").fill(
        "levothyroxine"
    )
    nurse.get_by_role("button", name="Record intake and assess eligibility").click()
    expect(nurse.get_by_text("Intake recorded")).to_be_visible()
    expect(
        nurse.get_by_text("lorazepam-equivalent (approximate, Ashton table)").first
    ).to_be_visible()

    intake = Intake.objects.get(patient=world.patient)
    assert [m["drug"] for m in intake.answers["medications"]] == [
        "sertraline",
        "other",
        "clonazepam",
    ]
    assert intake.answers["alcohol"] == "regular"
