"""Every staff page, as a person would look at it, at a desktop, a tablet and a phone width:
no sideways scroll, no console error, no serious or critical axe-core violation.

The pages are the role × URL matrix's (every patient-data screen, on the same world: a signed
intake, a course with sessions, an order, an open alert, a safety escalation); each is opened
by a role that may see it. Downloads (CSV, SVG, files) and the JSON API are not pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext

from remission.accounts.models import Membership
from remission.accounts.roles import Role, capabilities_of
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from tests.accounts.test_role_url_matrix import Address, addresses
from tests.world import client_for, make_member
from tests.world.patients import chart_patient
from tests.world.treatment import treatment_world

VIEWPORTS = {"desktop": (1366, 900), "tablet": (820, 1180), "phone": (390, 844)}
# Who opens a page: the first of these roles that may.
ROLES = (Role.MEDICAL_DIRECTOR, Role.CLINIC_ADMIN, Role.NURSE, Role.FRONT_DESK)
NOT_PAGES = (".csv", ".svg", "/file/")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SERIOUS = {"serious", "critical"}
# HTMX fragments of a page, not pages
FRAGMENTS = {"chairside:checks"}
# The innermost elements that reach past the right edge, to say what pushes the page.
WIDEST = """() => {
  const edge = document.documentElement.clientWidth;
  const out = [...document.querySelectorAll('body *')].filter(
    e => e.getBoundingClientRect().right > edge + 1 &&
         ![...e.children].some(c => c.getBoundingClientRect().right > edge + 1));
  return out.slice(0, 4).map(e => e.tagName.toLowerCase() +
    (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') +
    ' in ' + (e.closest('[class]:not(' + e.tagName + ')')?.className || '')).join('; ');
}"""


@pytest.fixture
def staff_world(
    transactional_db: Any, settings: Any, tmp_path: Any
) -> tuple[dict[str, Membership], Patient]:
    settings.MEDIA_ROOT = tmp_path
    clinic = Clinic.objects.create(
        slug="alpha", name="Alpha Ketamine Clinic", require_two_factor=False
    )
    members = {role: make_member(clinic, role) for role in Role.values}
    patient = chart_patient(members[Role.MEDICAL_DIRECTOR])
    treatment_world(members, patient)
    return members, patient


def _pages(patient: Patient) -> list[Address]:
    return [
        a
        for a in addresses(patient)
        if a.method == "GET"
        and a.ok_status == 200
        and not a.name.startswith("api:")
        and a.name not in FRAGMENTS
        and not any(marker in a.path for marker in NOT_PAGES)
    ]


def _opener(address: Address, members: dict[str, Membership]) -> Membership:
    return next(members[r] for r in ROLES if address.capability in capabilities_of(r))


def _signed_in(
    browser: Browser, base: str, member: Membership, width: int, height: int
) -> BrowserContext:
    context = browser.new_context(viewport={"width": width, "height": height})
    session = client_for(member).cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    return context


def _problems(context: BrowserContext, url: str) -> Iterator[str]:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    if response is None or response.status != 200:
        yield f"status {response.status if response else 'none'}"
    for error in errors:
        yield f"console: {error}"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 1:
        yield f"scrolls sideways by {overflow} px: {page.evaluate(WIDEST)}"
    for violation in Axe().run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = ", ".join(str(n["target"]) for n in violation["nodes"][:3])
            yield f"axe {violation['id']} ({violation['impact']}): {targets}"
    page.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_staff_page_reads_at_every_width(
    viewport: str,
    live_server: Any,
    browser: Browser,
    staff_world: tuple[dict[str, Membership], Patient],
) -> None:
    members, patient = staff_world
    width, height = VIEWPORTS[viewport]
    contexts: dict[str, BrowserContext] = {}
    found = []
    visits = [(a.name, a.path, _opener(a, members)) for a in _pages(patient)]
    # every role's own home page and account pages, and the sign-in page before any of them
    for member in members.values():
        visits += [
            ("web:dashboard", f"/c/{patient.clinic.slug}/", member),
            ("accounts:two_factor_setup", "/accounts/two-factor/setup/", member),
            ("accounts:profile", "/accounts/profile/", member),
            ("accounts:password_change", "/accounts/password/", member),
            ("accounts:recovery_codes", "/accounts/two-factor/recovery-codes/", member),
        ]
    anonymous = browser.new_context(viewport={"width": width, "height": height})
    for path in ("/accounts/login/", "/accounts/password-reset/"):
        found += [f"{path} (signed out): {p}" for p in _problems(anonymous, live_server.url + path)]
    for name, path, member in visits:
        if member.role not in contexts:
            contexts[member.role] = _signed_in(browser, live_server.url, member, width, height)
        for problem in _problems(contexts[member.role], f"{live_server.url}{path}"):
            found.append(f"{name} ({member.role}): {problem}")
    assert not found, "\n".join(found)
