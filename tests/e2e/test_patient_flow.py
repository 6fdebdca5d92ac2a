"""A nurse signs in with two-factor, registers a patient with a diagnosis and a treatment
trial, opens the chart and sees her own access listed."""

from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinics.models import Clinic
from tests.world import PASSWORD, make_member


@pytest.fixture
def prescriber_with_authenticator(transactional_db: Any) -> tuple[Membership, TOTPDevice]:
    clinic = Clinic.objects.create(
        slug="alpha", name="Alpha Ketamine Clinic", require_two_factor=True
    )
    member = make_member(clinic, Role.PRESCRIBER, "sam")
    device = TOTPDevice.objects.create(user=member.user, name="phone", confirmed=True)
    return member, device


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_sign_in_with_two_factor_register_a_patient_and_see_the_access_log(
    live_server: Any, page: Page, prescriber_with_authenticator: tuple[Membership, TOTPDevice]
) -> None:
    _, device = prescriber_with_authenticator
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Six-digit code").fill(_code(device))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Today at Alpha Ketamine Clinic")).to_be_visible()

    page.get_by_role("link", name="Register a patient").click()
    page.get_by_label("MRN").fill("E2E-001")
    page.get_by_label("Legal first name").fill("Avery")
    page.get_by_label("Legal last name").fill("Browser")
    page.get_by_label("Date of birth").fill("2030-01-01")  # in the future: refused inline
    page.get_by_label("Sex at birth").select_option("female")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The date of birth cannot be in the future.")).to_be_visible()
    expect(page.get_by_label("Legal last name")).to_have_value("Browser")
    page.get_by_label("Date of birth").fill("1984-05-17")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Avery Browser")).to_be_visible()

    page.get_by_role("link", name="Add diagnosis").click()
    page.get_by_label("ICD-10-CM code").fill("F33.2")
    page.get_by_label("Primary diagnosis").check()
    page.get_by_label("Treatment resistant").check()
    page.get_by_role("button", name="Save").click()
    diagnoses = page.locator("#diagnoses")
    expect(diagnoses).to_contain_text(
        "Major depressive disorder, recurrent, severe without psychotic features"
    )
    expect(diagnoses).to_contain_text("treatment-resistant")

    page.get_by_role("link", name="Add antidepressant trial").click()
    page.get_by_label("Drug").fill("Escitalopram")
    page.get_by_label("Dose (mg/day)").fill("20")
    page.get_by_label("Duration (weeks)").fill("8")
    page.get_by_label("Adherence").select_option("good")
    page.get_by_label("Outcome").select_option("no_response")
    page.get_by_label("Adequate trial").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#trials")).to_contain_text("Escitalopram")

    page.reload()
    access_log = page.locator("#access-log")
    expect(access_log).to_contain_text("Prescriber Alpha (sam)")
    expect(access_log).to_contain_text("chart: demographics")
    expect(access_log.get_by_text("Viewed").first).to_be_visible()
    expect(access_log).to_contain_text("added antidepressant trial Escitalopram")


def test_patient_search_updates_results_as_you_type(
    live_server: Any, page: Page, prescriber_with_authenticator: tuple[Membership, TOTPDevice]
) -> None:
    import datetime as dt

    from remission.patients.models import Patient

    member, device = prescriber_with_authenticator
    for i, name in enumerate(("Quill", "Quimby", "Rook")):
        Patient.objects.create(
            clinic=member.clinic,
            mrn=f"S-{i}",
            legal_first_name="Pat",
            legal_last_name=name,
            date_of_birth=dt.date(1990, 1, 1),
            sex_at_birth="male",
        )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Six-digit code").fill(_code(device))
    page.get_by_role("button", name="Verify").click()
    page.goto(f"{live_server.url}/c/alpha/patients/")
    page.get_by_label("Search by name, MRN or date of birth").fill("Qui")
    results = page.locator("#results")
    expect(results).to_contain_text("Quimby")
    expect(results).not_to_contain_text("Rook")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
