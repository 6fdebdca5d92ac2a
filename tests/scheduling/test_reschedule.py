"""Moving one booked session by hand: the calendar's rules hold, a refusal says why and
changes nothing, and a move to a taken chair takes a free one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.audit.services import audited_save
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import ClinicCalendarSettings, TreatmentSession
from tests.world import client_for
from tests.world.treatment import make_eligible, second_patient, start_course

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _last_dose(members: dict[str, Membership], patient: Patient) -> TreatmentSession:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    return sessions[-1]  # nothing booked after it: only its previous dose bounds a move


def _move(
    members: dict[str, Membership], session: TreatmentSession, to: dt.datetime, reason: str = "x"
) -> TreatmentSession:
    session.refresh_from_db()
    return scheduling.reschedule(
        membership=members[Role.FRONT_DESK],
        session=session,
        new_start=to,
        reason=reason,
        expected_version=session.version,
    )


def _local(session: TreatmentSession, days: int, hour: int) -> dt.datetime:
    tz = session.clinic.tzinfo
    day = session.scheduled_start.astimezone(tz).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz)


def test_a_move_outside_opening_hours_is_refused_and_changes_nothing(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    before = (session.scheduled_start, session.version)
    with pytest.raises(ValidationError) as refused:
        _move(members, session, _local(session, 1, 17))
    assert refused.value.messages == [
        f"Cannot move it there: a 120-min session at 17:00 on {_local(session, 1, 17).date()} "
        "is outside the opening hours (08:00–18:00)."
    ]
    session.refresh_from_db()
    assert (session.scheduled_start, session.version) == before


def test_a_move_into_a_closed_day_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    settings = ClinicCalendarSettings.objects.get(clinic=session.clinic)
    day = _local(session, 2, 10).date()
    settings.holidays = [day.isoformat()]
    settings.save()
    with pytest.raises(ValidationError, match=f"{day} is a clinic holiday"):
        _move(members, session, _local(session, 2, 10))


def test_a_move_that_breaks_the_minimum_interval_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    previous, last = sessions[-2], sessions[-1]
    # A day after the previous dose, whatever weekday the course began on.
    with pytest.raises(ValidationError, match="within the 48-hour minimum interval"):
        _move(members, last, previous.scheduled_start + dt.timedelta(days=1))


def test_a_move_onto_a_taken_chair_takes_a_free_one_and_says_so(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    to = _local(session, 1, 13)
    other = TreatmentSession(
        clinic=session.clinic,
        patient=second_patient(members),
        kind=session.kind,
        scheduled_start=to,
        duration_min=120,
        chair=session.chair,
    )
    audited_save(other, actor=members[Role.FRONT_DESK].user)
    moved = _move(members, session, to, reason="patient asked")
    assert moved.chair is not None and moved.chair != session.chair
    assert moved.status_reason.endswith(f"to {moved.chair.name}: patient asked")
    both = TreatmentSession.objects.filter(scheduled_start=to).values_list("chair", flat=True)
    assert len(set(both)) == 2


def test_a_reason_too_long_for_the_record_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    with pytest.raises(ValidationError, match="Keep the reason within 171 characters"):
        _move(members, session, _local(session, 0, 13), reason="r" * 190)


def test_the_screen_shows_a_refusal_inline_and_keeps_what_was_typed(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    page = client_for(members[Role.FRONT_DESK]).post(
        f"/c/alpha/sessions/{session.pk}/reschedule/",
        {
            "new_start": _local(session, 1, 17).strftime("%Y-%m-%dT%H:%M"),
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
    session = _last_dose(members, patient)
    url = f"/c/alpha/sessions/{session.pk}/reschedule/"
    page = client_for(members[Role.FRONT_DESK]).post(url, {"cancel-reason": ""})
    assert page.status_code == 200
    assert page.content.decode().count("This field is required") == 1
    done = client_for(members[Role.FRONT_DESK]).post(url, {"cancel-reason": "flu"})
    assert done.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "flu")


def test_the_move_is_recorded_in_the_clinics_time(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = _last_dose(members, patient)
    booked = session.scheduled_start.astimezone(session.clinic.tzinfo)
    moved = _move(members, session, _local(session, 0, 13), reason="dentist")
    assert moved.status_reason == f"moved from {booked:%Y-%m-%d %H:%M}: dentist"
