"""The chair-side page as the nurse reads it: the bar with patient, allergies, weight, order and
the next check; the alert and its reasons; what the dose waits for; the planned check due now
chosen for the next reading; the sign-off's attestation; no internal code on screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.chairside import services
from remission.scheduling.models import TreatmentSession
from tests.world import client_for
from tests.world.chairside import chart_recovered, observed_after_dose, ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

MINUTES = dt.timedelta(minutes=1)
CODES = re.compile(r">[^<]*(vitals@|moaas@|cadss6@|BP_SYSTOLIC|iv_racemic|needs_review)[^<]*<")


def _page(member: Membership, session: TreatmentSession) -> str:
    response = client_for(member).get(f"/c/alpha/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_before_the_order_the_nurse_is_told_what_the_dose_waits_for(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    html = _page(members[Role.NURSE], session)
    assert 'data-testid="waiting"' in html
    assert "waiting for the prescriber&#x27;s order" in html
    assert "Identity confirmed" in html  # an open checklist item, from the same core list
    assert 'data-testid="mar-waiting"' in html
    assert 'data-testid="session-bar"' in html and "no order yet" in html


def test_after_a_high_reading_the_bar_holds_one_alert_with_its_reasons(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    t0 = timezone.now() - 16 * MINUTES
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=prescriber, session=session)
    services.verify_dose(membership=nurse, order=order)
    services.record_administration(membership=nurse, session=session, action="start", at=t0)
    html = _page(nurse, session)
    # the check due now (15 min) is the default of the vitals picker, with its time and state
    picked = re.search(r'<option value="vitals@\+15" selected>([^<]*)</option>', html)
    assert picked is not None and "15 min after the start" in picked.group(1)
    assert "due now" in picked.group(1)
    assert "unscheduled" not in html
    assert f"{order.rate_ml_per_h}" in html and 'name="rate_ml_per_h"' in html  # prefilled

    services.record_vitals(
        membership=nurse,
        session=session,
        check_id="vitals@+15",
        systolic_mmhg=185,
        diastolic_mmhg=112,
        heart_rate_bpm=80,
        spo2_percent=97,
        respiratory_rate_per_min=14,
    )
    html = _page(nurse, session)
    bar = html[html.index('data-testid="session-bar"') : html.index('class="session-grid"')]
    assert bar.count('data-testid="alert"') == 1
    assert "Alerts to acknowledge (1)" in bar
    for label in ("Systolic blood pressure high", "Diastolic blood pressure high"):
        assert label in bar
    assert "BP 185/112" in bar
    assert "min</strong> ago" in bar  # elapsed since the dose started
    assert CODES.search(html) is None, CODES.search(html)


def test_sign_off_states_the_attestation_and_lists_what_stops_it(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse = observed_after_dose(members, session)
    chart_recovered(nurse, session)
    services.discharge(membership=nurse, session=session)
    html = _page(members[Role.PRESCRIBER], session)
    assert "By signing you attest" in html
    assert 'data-testid="sign-off-blocked"' in html
    assert "I attest: sign off and lock" not in html
    nurse_html = _page(nurse, session)
    assert "Record why a check was missed" in nurse_html

    client = client_for(nurse)
    response = client.post(
        f"/c/alpha/sessions/{session.pk}/missed-check/",
        {"check_id": "vitals@+15", "missed-reason": "patient asleep"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "missed: patient asleep" in response.content.decode()


def test_the_bar_tells_no_known_allergies_from_none_recorded(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, patient = members[Role.NURSE], session.patient
    assert "Penicillin" in _bar_allergies(_page(nurse, session))
    patient.allergies.all().delete()  # test setup: the chart's allergy list emptied
    assert _bar_allergies(_page(nurse, session)) == "none recorded"
    patient.no_known_allergies = True
    patient.save()
    assert _bar_allergies(_page(nurse, session)) == "no known allergies"


def _bar_allergies(html: str) -> str:
    found = re.search(r'data-testid="allergies">(.*?)</dd>', html, re.S)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()
