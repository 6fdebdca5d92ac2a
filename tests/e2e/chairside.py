"""Steps shared by the chair-side browser tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.scheduling.models import TreatmentSession
from tests.world import PASSWORD, make_member
from tests.world.treatment import start_course


def afternoon_time_zone(hour: int = 14) -> str:
    """A fixed-offset zone in which it is now about `hour` o'clock.

    The sessions in these tests started two hours ago and must fall on the clinic's today, so
    the clinic lives where it is afternoon whenever the suite runs (``Etc/GMT-2`` is UTC+2).
    """
    offset = hour - dt.datetime.now(dt.UTC).hour
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


@dataclass
class World:
    """A clinic where it is afternoon, its staff of every role, and one eligible patient."""

    clinic: Clinic
    members: dict[str, Membership]
    patient: Patient


def afternoon_clinic(
    mrn: str, first: str, last: str, born: dt.date, sex: str, **clinic_fields: Any
) -> World:
    clinic = Clinic.objects.create(
        slug="alpha",
        name="Alpha Ketamine Clinic",
        require_two_factor=False,
        time_zone=afternoon_time_zone(),
        **clinic_fields,
    )
    members = {role: make_member(clinic, role) for role in Role.values}
    patient = Patient.objects.create(
        clinic=clinic,
        mrn=mrn,
        legal_first_name=first,
        legal_last_name=last,
        date_of_birth=born,
        sex_at_birth=sex,
    )
    return World(clinic, members, patient)


def first_session_booked(
    world: World, minutes_ago: int, protocol_id: str = "iv-induction-3x-weekly"
) -> TreatmentSession:
    """The first session of a new course, booked to start ``minutes_ago`` (an unaudited
    update: the session must be under way now, whatever the calendar)."""
    _, sessions = start_course(world.members, world.patient, protocol_id=protocol_id)
    session = sessions[0]
    TreatmentSession.objects.filter(pk=session.pk).update(
        scheduled_start=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    session.refresh_from_db()
    return session


def sign_in(browser: Browser, base: str, member: Membership) -> Page:
    page = browser.new_page(viewport={"width": 1180, "height": 820})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(member.user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today at Alpha Ketamine Clinic")).to_be_visible()
    return page


# One moment per clinic (a test's), taken at its first charted time: the gaps between entries
# then stay whole minutes even when a minute turns over while the browser works.
_ANCHORS: dict[object, dt.datetime] = {}


def local(clinic: Clinic, minutes_ago: int) -> str:
    anchor = _ANCHORS.setdefault(clinic.pk, timezone.now().replace(second=0, microsecond=0))
    moment = anchor.astimezone(clinic.tzinfo) - dt.timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M")


IV_CHECKLIST = (
    "Identity confirmed with two identifiers",
    "Fasting as instructed (no food for 2 h before the dose)",
    "Escort and transport home confirmed; no driving until tomorrow",
    "Resuscitation equipment checked: airway kit, suction, oxygen, defibrillator/AED, "
    "emergency drugs",
)
TODAYS_DOSE_QUESTIONS = (
    "Benzodiazepine taken today? (if yes: which, and how much)",
    "Psychostimulant taken this morning?",
    "Opioid taken today?",
    "Alcohol in the last 24 hours?",
)
ESKETAMINE_CHECKLIST = (
    *IV_CHECKLIST,
    "No liquids for 30 min; nasal corticosteroid or decongestant at least 1 h before",
)


def answer_checklist(page: Page, items: tuple[str, ...] = IV_CHECKLIST) -> None:
    """Every pre-dose checklist item yes, the pregnancy test not applicable, and no to each
    of today's-dose questions."""
    for item in items:
        submit(page, page.get_by_role("button", name=f"{item}: yes"), "/checklist/")
    for question in TODAYS_DOSE_QUESTIONS:
        submit(page, page.get_by_role("button", name=f"{question}: no"), "/checklist/")
    submit(
        page,
        page.get_by_role(
            "button", name="Pregnancy test negative (when applicable): not applicable"
        ),
        "/checklist/",
    )


def pre_session_phq9(page: Page, answers: list[int], shown: str) -> None:
    """The pre-session PHQ-9 from the session page; ``shown`` is the total it reports."""
    page.get_by_role("link", name="PHQ-9").click()
    for item, value in enumerate(answers, start=1):
        page.locator(f"input[name=item_{item}][value='{value}']").check()
    page.get_by_role("button", name="Score and save").click()
    expect(page.get_by_text(f"PHQ-9 recorded: {shown}.")).to_be_visible()


def save_vitals(
    page: Page, when: str, sbp: str, dbp: str, hr: str, check: str | None = None
) -> None:
    form = page.locator("form.vitals-form")
    form.get_by_label("Systolic").fill(sbp)
    form.get_by_label("Diastolic").fill(dbp)
    form.get_by_label("Heart rate").fill(hr)
    form.get_by_label("SpO₂ %").fill("98")
    form.get_by_label("Resp. rate").fill("14")
    form.get_by_label("Measured at").fill(when)
    form.get_by_label("For check").select_option(check or "")
    submit(page, form.get_by_role("button", name="Save vitals"), "/vitals/")


def mar(page: Page, action: str, when: str, **fields: str) -> None:
    form = page.locator("form.mar-form")
    form.get_by_label("Action").select_option(action)
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    form.get_by_label("At (blank: now)").fill(when)
    submit(page, form.get_by_role("button", name="Record now"), "/administer/")


def submit(page: Page, button: Locator, url_part: str) -> None:
    """Click, wait for that HTMX request and its swap; fail with the screen's error text."""
    with page.expect_response(lambda r: url_part in r.url and r.request.method == "POST") as answer:
        button.click()
    assert answer.value.status == 200
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    errors = page.locator("#session .form-errors")
    assert errors.count() == 0, errors.first.inner_text()


def acknowledge_every_alert(page: Page, action_taken: str) -> None:
    while page.locator(".alert-row input[name=action_taken]").count():
        field = page.locator(".alert-row input[name=action_taken]").first
        field.fill(action_taken)
        submit(page, field.locator("xpath=..").get_by_role("button", name="Acknowledge"), "/ack/")
    expect(page.get_by_text("Alerts to acknowledge")).to_have_count(0)


def explain_missed_checks(page: Page, reason: str) -> None:
    """Record a reason for every planned check the test left uncharted (sign-off waits for
    each to be charted or explained)."""
    while page.get_by_test_id("missed-check").count():
        box = page.get_by_test_id("missed-check")
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        box.get_by_label("Why it was not charted").fill(reason)
        submit(page, box.get_by_role("button", name="Save the reason"), "/missed-check/")


def sign_off(page: Page) -> None:
    """The prescriber reads what is attested and signs."""
    expect(page.get_by_test_id("sign-off")).to_contain_text("By signing you attest")
    submit(page, page.get_by_role("button", name="I attest: sign off and lock"), "/sign/")


def settle_and_discharge(page: Page) -> None:
    """MOAA/S 5 and CADSS-6 all 0, the nurse's discharge assessment (every PADSS item at 2,
    oriented, escort present, driving advice given), then the discharge it now allows."""
    page.get_by_text("Record MOAA/S").click()
    page.locator("input[name='moaas-item_1'][value='5']").check()
    submit(page, page.get_by_role("button", name="Save MOAA/S"), "/scale/moaas/")
    page.get_by_text("Record CADSS-6").click()
    for item in range(1, 7):
        page.locator(f"input[name='cadss6-item_{item}'][value='0']").check()
    submit(page, page.get_by_role("button", name="Save CADSS-6"), "/scale/cadss6/")
    expect(page.get_by_text("Not ready yet.")).to_be_visible()  # the assessment is not charted
    panel = page.get_by_test_id("discharge")
    for item in ("ambulation", "nausea_vomiting", "pain", "bleeding"):
        panel.locator(f"input[name='dis-{item}'][value='2']").check()
    for check in ("oriented", "escort_present", "driving_advice_given"):
        panel.locator(f"input[name='dis-{check}']").check()
    submit(
        page,
        panel.get_by_role("button", name="Save discharge assessment"),
        "/discharge/assessment/",
    )
    expect(page.get_by_test_id("discharge-score")).to_contain_text("modified PADSS: 10 of 10")
    expect(page.get_by_text("Ready for discharge.")).to_be_visible()
    submit(page, page.get_by_role("button", name="Discharge", exact=True), "/discharge/")
    expect(page.get_by_test_id("status")).to_have_text("Discharged")
