"""Staff on shift: recording shifts, their effect on booking a course, and the shifts screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.models import AuditAction, AuditEvent
from remission.audit.services import audited_save
from remission.clinical.protocols import Schedule, SessionKind
from remission.clinical.protocols.staffing import SESSIONS_PER_NURSE_KEY
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import StaffShift, TreatmentSession
from remission.scheduling.selectors import calendar_week
from remission.treatment import services
from remission.treatment.models import TreatmentCourse
from tests.world import client_for
from tests.world.treatment import make_eligible, prepare_clinic, second_patient

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
T = dt.time
EIGHT, SIX_PM = T(8), T(18)


def _today(members: dict[str, Membership]) -> dt.date:
    return timezone.localdate(timezone=members[Role.NURSE].clinic.tzinfo)


def _add(
    members: dict[str, Membership],
    on: dt.date,
    starts: dt.time = EIGHT,
    ends: dt.time = SIX_PM,
    member: str = Role.NURSE,
) -> StaffShift:
    return scheduling.add_shift(
        membership=members[Role.NURSE],
        member=members[member],
        on=on,
        starts=starts,
        ends=ends,
    )


# -- services ---------------------------------------------------------------------------------


def test_a_shift_is_recorded_and_audited(members: dict[str, Membership]) -> None:
    shift = _add(members, dt.date(2026, 12, 4), T(8), T(16))
    assert (shift.clinic, shift.member) == (members[Role.NURSE].clinic, members[Role.NURSE])
    event = AuditEvent.objects.get(object_type="scheduling.staffshift", object_id=str(shift.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor_id == members[Role.NURSE].user_id  # type: ignore[attr-defined]


def test_removing_a_shift_is_audited(members: dict[str, Membership]) -> None:
    shift = _add(members, dt.date(2026, 12, 4))
    pk = str(shift.pk)
    scheduling.remove_shift(membership=members[Role.PRESCRIBER], shift=shift)
    assert not StaffShift.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(
        object_type="scheduling.staffshift", object_id=pk, action=AuditAction.DELETE
    ).exists()


@pytest.mark.parametrize("role", [Role.MEDICAL_DIRECTOR, Role.PRESCRIBER, Role.NURSE])
def test_members_who_chart_sessions_can_be_on_shift(
    members: dict[str, Membership], role: str
) -> None:
    assert _add(members, dt.date(2026, 12, 4), member=role).member == members[role]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_members_who_cannot_chart_sessions_are_refused(
    members: dict[str, Membership], role: str
) -> None:
    with pytest.raises(ValidationError, match="cannot monitor dosing sessions"):
        _add(members, dt.date(2026, 12, 4), member=role)


def test_a_member_of_another_clinic_is_refused(
    members: dict[str, Membership], outsider: Membership
) -> None:
    with pytest.raises(ValidationError, match="another clinic"):
        scheduling.add_shift(
            membership=members[Role.NURSE],
            member=outsider,
            on=dt.date(2026, 12, 4),
            starts=T(8),
            ends=T(18),
        )


@pytest.mark.parametrize(("starts", "ends"), [(T(12), T(8)), (T(9), T(9))])
def test_a_shift_must_end_after_it_starts(
    members: dict[str, Membership], starts: dt.time, ends: dt.time
) -> None:
    with pytest.raises(ValidationError, match="end after it starts"):
        _add(members, dt.date(2026, 12, 4), starts, ends)


def test_overlapping_shifts_of_one_member_are_refused(members: dict[str, Membership]) -> None:
    _add(members, dt.date(2026, 12, 4), T(8), T(12))
    with pytest.raises(ValidationError, match="already on shift on 2026-12-04 08:00–12:00"):
        _add(members, dt.date(2026, 12, 4), T(11), T(15))
    _add(members, dt.date(2026, 12, 4), T(12), T(16))  # back to back is fine


@pytest.mark.parametrize(
    "role", [r for r in Role.values if Capability.MANAGE_SCHEDULE not in capabilities_of(r)]
)
def test_roles_without_manage_schedule_cannot_add_or_remove_shifts(
    members: dict[str, Membership], role: str
) -> None:
    with pytest.raises(PermissionDenied):
        scheduling.add_shift(
            membership=members[role],
            member=members[Role.NURSE],
            on=dt.date(2026, 12, 4),
            starts=T(8),
            ends=T(18),
        )
    shift = _add(members, dt.date(2026, 12, 4))
    with pytest.raises(PermissionDenied):
        scheduling.remove_shift(membership=members[role], shift=shift)


def test_a_shift_of_another_clinic_cannot_be_removed(
    members: dict[str, Membership], outsider: Membership
) -> None:
    shift = _add(members, dt.date(2026, 12, 4))
    with pytest.raises(ValidationError, match="another clinic"):
        scheduling.remove_shift(membership=outsider, shift=shift)


# -- booking a course -------------------------------------------------------------------------


def _course(members: dict[str, Membership], patient: Patient) -> TreatmentCourse:
    make_eligible(members, patient)
    prepare_clinic(members)
    return services.start_course(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        data={"protocol_id": "iv-induction-3x-weekly", "start_date": _today(members)},
    )


def _schedule(members: dict[str, Membership], course: TreatmentCourse) -> Schedule:
    return scheduling.schedule_course(
        membership=members[Role.FRONT_DESK], course=course, preferred_time=T(9)
    )


def test_a_dose_moves_when_no_nurse_is_on_shift(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = _course(members, patient)
    today = _today(members)
    for n in range(1, 30):  # a nurse every day except today
        _add(members, today + dt.timedelta(days=n))
    result = _schedule(members, course)
    first = result.sessions[0]
    assert (first.kind, first.on, first.starts) == (
        SessionKind.DOSING,
        today + dt.timedelta(days=1),
        T(9),
    )
    assert result.moves[0].explanation.startswith(
        f"no nurse on shift for a 120-min dosing session on {today}"
    )
    booked = course.sessions.order_by("scheduled_start").first()
    assert booked is not None
    assert booked.scheduled_start == first.starts_at


def test_a_nurse_monitors_only_the_clinics_number_of_dosing_sessions_at_once(
    members: dict[str, Membership], patient: Patient, clinic_a: Clinic
) -> None:
    clinic_a.clinical_overrides = {SESSIONS_PER_NURSE_KEY: 1}
    clinic_a.save()
    today = _today(members)
    for n in range(30):
        _add(members, today + dt.timedelta(days=n))
    assert _schedule(members, _course(members, patient)).sessions[0].starts == T(9)
    result = _schedule(members, _course(members, second_patient(members)))
    # the second chair is free at 09:00, but the only nurse already watches the first patient
    assert (result.sessions[0].on, result.sessions[0].starts) == (today, T(11))
    assert result.moves[0].explanation == (
        f"no nurse free for a dosing session on {today} at 09:00 (1 on shift, 1 session each); "
        "moved to 11:00"
    )


def test_clinics_that_record_no_shifts_keep_todays_behaviour(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = _course(members, patient)
    today = _today(members)
    _add(members, today - dt.timedelta(days=3))  # a past shift: not in the scheduling window
    result = _schedule(members, course)
    assert (result.sessions[0].on, result.sessions[0].starts) == (today, T(9))
    # Across a daylight-saving change a dose may still move to keep the 48-hour interval;
    # none moves for want of staff.
    assert not any("nurse" in move.explanation for move in result.moves)
    assert not any("Staff shifts" in note for note in result.notes)


def test_sessions_after_the_last_recorded_shift_are_noted(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = _course(members, patient)
    today = _today(members)
    _add(members, today)
    result = _schedule(members, course)
    assert result.sessions[0].on == today
    assert any(note.startswith(f"Staff shifts are recorded until {today}") for note in result.notes)


# -- the calendar: bookings that outrun the staff on shift ---------------------------------------


def _book(
    members: dict[str, Membership], patient: Patient, day: dt.date, at: dt.time, kind: str
) -> TreatmentSession:
    clinic = members[Role.NURSE].clinic
    session = TreatmentSession(
        clinic=clinic,
        patient=patient,
        kind=kind,
        scheduled_start=dt.datetime.combine(day, at, tzinfo=clinic.tzinfo),
        duration_min=120,
    )
    audited_save(session, actor=members[Role.FRONT_DESK].user)
    return session


def _week(members: dict[str, Membership], day: dt.date) -> dict[dt.date, list[str]]:
    days = calendar_week(membership=members[Role.FRONT_DESK], start=day)
    return {d.day: d.conflicts for d in days}


def test_the_calendar_flags_dosing_sessions_beyond_what_the_staff_on_shift_can_monitor(
    members: dict[str, Membership], patient: Patient
) -> None:
    prepare_clinic(members)
    day = _today(members) + dt.timedelta(days=2)
    _add(members, day, T(8), T(11))
    for at in (T(9), T(9, 30), T(10)):
        _book(members, patient, day, at, SessionKind.DOSING)
    _book(members, patient, day, T(10, 30), "therapy")  # needs no one on shift
    assert _week(members, day)[day] == [
        "3 dosing sessions at 10:00, 1 on shift (monitoring 2 at most)",
        "no one on shift at 11:00 for 2 dosing sessions",
    ]
    _add(members, day, T(8), T(14), member=Role.PRESCRIBER)
    assert _week(members, day)[day] == []


def test_days_past_the_roster_and_clinics_without_shifts_are_not_checked_for_staff(
    members: dict[str, Membership], patient: Patient
) -> None:
    prepare_clinic(members)
    day = _today(members) + dt.timedelta(days=2)
    for at in (T(9), T(9, 30), T(10)):
        _book(members, patient, day, at, SessionKind.DOSING)
    assert _week(members, day)[day] == []  # no shifts recorded at all
    _add(members, day - dt.timedelta(days=1))  # the roster ends the day before
    assert _week(members, day)[day] == []


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
    today = _today(members)
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
            "on": _today(members).isoformat(),
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
            "on": _today(members).isoformat(),
            "starts": "08:00",
            "ends": "12:00",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_removing_a_shift_of_another_clinic_answers_404(
    members: dict[str, Membership], outsider: Membership, clinic_b: object
) -> None:
    shift = _add(members, _today(members))
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
