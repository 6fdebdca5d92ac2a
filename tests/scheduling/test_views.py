"""The scheduling screens: shifts, the calendar, and the move and cancel screen of a session."""

from __future__ import annotations

import datetime as dt

import pytest

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.patients.models import Patient
from remission.scheduling.models import StaffShift
from tests.world import client_for
from tests.world.scheduling import clinic_day, clinic_time, last_dose, on_shift
from tests.world.treatment import prepare_clinic

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


T = dt.time


# -- the screen -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_the_shifts_screen_follows_the_rights_table(
    members: dict[str, Membership], role: str
) -> None:
    response = client_for(members[role]).get("/c/alpha/treatment/shifts/")
    expected = 200 if Capability.MANAGE_SCHEDULE in capabilities_of(role) else 403
    assert response.status_code == expected


def test_a_member_of_another_clinic_gets_404(outsider: Membership) -> None:
    assert client_for(outsider).get("/c/alpha/treatment/shifts/").status_code == 404


def test_shifts_are_added_listed_and_removed_on_the_screen(
    members: dict[str, Membership],
) -> None:
    prepare_clinic(members)  # a stored calendar (a fresh one holds its default times as text)
    client = client_for(members[Role.NURSE])
    today = clinic_day(members)
    nurse = members[Role.NURSE]
    response = client.post(
        "/c/alpha/treatment/shifts/",
        {"member": nurse.pk, "on": today.isoformat(), "starts": "08:00", "ends": "14:00"},
    )
    assert response.status_code == 302
    shift = StaffShift.objects.get(member=nurse)
    page = client.get("/c/alpha/treatment/shifts/").content.decode()
    assert str(nurse.user) in page
    assert "14:00" in page
    calendar = client.get("/c/alpha/treatment/calendar/").content.decode()
    assert "On shift (1)" in calendar
    response = client.post("/c/alpha/treatment/shifts/", {"remove": shift.pk})
    assert response.status_code == 302
    assert not StaffShift.objects.exists()


def test_the_form_shows_refusals_inline(members: dict[str, Membership]) -> None:
    client = client_for(members[Role.NURSE])
    response = client.post(
        "/c/alpha/treatment/shifts/",
        {
            "member": members[Role.NURSE].pk,
            "on": clinic_day(members).isoformat(),
            "starts": "14:00",
            "ends": "08:00",
        },
    )
    assert response.status_code == 200
    assert "A shift must end after it starts." in response.content.decode()
    assert not StaffShift.objects.exists()
    # a therapist is not offered, and a forged choice is refused by the form
    response = client.post(
        "/c/alpha/treatment/shifts/",
        {
            "member": members[Role.THERAPIST].pk,
            "on": clinic_day(members).isoformat(),
            "starts": "08:00",
            "ends": "12:00",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_removing_a_shift_of_another_clinic_answers_404(
    members: dict[str, Membership], outsider: Membership, clinic_b: object
) -> None:
    shift = on_shift(members, clinic_day(members))
    response = client_for(outsider).post("/c/beta/treatment/shifts/", {"remove": shift.pk})
    assert response.status_code == 404
    assert StaffShift.objects.filter(pk=shift.pk).exists()


def test_a_new_clinic_calendar_works_before_it_is_ever_saved(
    members: dict[str, Membership],
) -> None:
    """The default opening hours are times, not text, from the first request on."""
    from remission.scheduling.selectors import clinic_calendar

    calendar = clinic_calendar(members[Role.MEDICAL_DIRECTOR])
    assert calendar.hours.opens.hour == 8
    response = client_for(members[Role.NURSE]).get("/c/alpha/treatment/calendar/")
    assert response.status_code == 200


def test_the_screen_shows_a_refusal_inline_and_keeps_what_was_typed(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = last_dose(members, patient)
    page = client_for(members[Role.FRONT_DESK]).post(
        f"/c/alpha/sessions/{session.pk}/reschedule/",
        {
            "new_start": clinic_time(session, 1, 17).strftime("%Y-%m-%dT%H:%M"),
            "reason": "school run",
            "version": session.version,
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "is outside the opening hours (08:00–18:00)" in text
    assert 'value="school run"' in text
    assert "This field is required" not in text  # the cancel form was not sent
    booked = session.scheduled_start.astimezone(session.clinic.tzinfo)
    assert f"Dosing session {booked:%Y-%m-%d %H:%M}" in text  # the clinic's wall clock


def test_cancelling_on_the_screen_checks_only_the_cancel_form(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = last_dose(members, patient)
    url = f"/c/alpha/sessions/{session.pk}/reschedule/"
    page = client_for(members[Role.FRONT_DESK]).post(url, {"cancel-reason": ""})
    assert page.status_code == 200
    assert page.content.decode().count("This field is required") == 1
    done = client_for(members[Role.FRONT_DESK]).post(url, {"cancel-reason": "flu"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "flu")
