"""The esketamine screens: the course form shows the label's doses for the patient and the
review inline (what was typed is kept); the course page shows the indication, the label rule
and the induction flag; the prescriber's course list filters inductions past week 4."""

from __future__ import annotations

import datetime as dt

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.patients.models import Patient
from remission.treatment.models import TreatmentCourse
from tests.treatment.test_esketamine import TODAY, dosed, on_an_antidepressant, start
from tests.world import client_for

# Fixed dates on the pinned default clock (Wednesday 2 December 2026): not a calendar test.
pytestmark = pytest.mark.django_db


def test_the_course_form_shows_the_label_and_keeps_what_was_typed_under_review(
    members: dict[str, Membership], eligible: Patient
) -> None:
    prescriber = client_for(members[Role.PRESCRIBER])
    url = f"/c/alpha/treatment/patients/{eligible.pk}/courses/new/"
    page = prescriber.get(url)
    assert b"Esketamine label for this patient" in page.content
    assert b"US prescribing information (FDA)" in page.content
    assert b"Day 1: 84 mg; then 56 or 84 mg" in page.content  # the MDSI row

    form = {
        "protocol_id": "esketamine-induction",
        "indication": "mdsi",
        "start_date": TODAY.isoformat(),
        "weight_basis": "actual",
    }
    page = prescriber.post(url, form)
    assert page.status_code == 200
    assert (
        b"together with an oral antidepressant, and the medication list holds none" in page.content
    )
    assert b'value="mdsi" selected' in page.content
    assert not TreatmentCourse.objects.filter(patient=eligible).exists()

    page = prescriber.post(url, {**form, "acknowledge_label": "on"})
    assert page.status_code == 302
    assert TreatmentCourse.objects.get(patient=eligible).indication == "mdsi"


def test_the_course_page_shows_the_indication_the_label_rule_and_the_induction_flag(
    members: dict[str, Membership], eligible: Patient
) -> None:
    on_an_antidepressant(members, eligible)
    course = start(members, eligible, indication="mdsi", start_date=dt.date(2026, 11, 16))
    dosed(course, dt.date(2026, 11, 16), dt.date(2026, 11, 19))
    page = client_for(members[Role.PRESCRIBER]).get(f"/c/alpha/treatment/courses/{course.pk}/")
    text = page.content.decode()
    assert "Depressive symptoms in MDD with acute suicidal ideation or behaviour" in text
    assert "Day 1: 84 mg; then 56 or 84 mg" in text
    assert 'id="induction-flag"' in text
    assert "Induction cannot finish by week 4: 2 of 8 doses so far" in text


def test_the_course_list_filters_inductions_past_week_4(
    members: dict[str, Membership], eligible: Patient
) -> None:
    course = start(members, eligible, start_date=dt.date(2026, 11, 16))
    prescriber = client_for(members[Role.PRESCRIBER])
    everything = prescriber.get("/c/alpha/treatment/courses/")
    assert b"Robin Example" in everything.content
    assert b"0 of 8 by 2026-12-13" in everything.content  # no dose yet: week 1 from the start
    dosed(course, *(dt.date(2026, 11, d) for d in (16, 19, 23, 26, 30)))
    flagged = prescriber.get("/c/alpha/treatment/courses/?induction=late")
    assert b"No course matches." in flagged.content
    course.sessions.filter(checked_in_at__date__gte=dt.date(2026, 11, 23)).delete()
    flagged = prescriber.get("/c/alpha/treatment/courses/?induction=late")
    assert b"Robin Example" in flagged.content and b"past week 4" in flagged.content
