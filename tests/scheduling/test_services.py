"""The scheduling services: staff shifts, booking a course around the staff on shift, moving
and cancelling a session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Capability, Role, capabilities_of
from remission.audit.models import AuditAction, AuditEvent
from remission.audit.services import audited_save
from remission.chairside import services
from remission.clinical.protocols import Schedule, SessionKind
from remission.clinical.protocols.staffing import SESSIONS_PER_NURSE_KEY
from remission.clinics.models import Clinic
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import (
    ClinicCalendarSettings,
    SessionStatus,
    StaffShift,
    TreatmentSession,
)
from remission.treatment import services as treatment
from remission.treatment.models import TreatmentCourse
from tests.world.chairside import check_in_at, ready_for_dose
from tests.world.patients import second_patient
from tests.world.scheduling import clinic_day, clinic_time, last_dose, on_shift
from tests.world.treatment import make_eligible, prepare_clinic, start_course

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


MINUTES = dt.timedelta(minutes=1)


def test_a_stale_reschedule_is_refused_not_lost(
    members: dict[str, Membership], patient: Patient
) -> None:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    target = sessions[-1]  # the last dose: two hours later keeps every interval
    version = target.version
    front = members[Role.FRONT_DESK]
    later = target.scheduled_start + dt.timedelta(hours=2)
    scheduling.reschedule(
        membership=front,
        session=target,
        new_start=later,
        reason="patient asked",
        expected_version=version,
    )
    with pytest.raises(scheduling.ConflictError):
        scheduling.reschedule(
            membership=members[Role.NURSE],
            session=target,
            new_start=later + dt.timedelta(hours=1),
            reason="other request",
            expected_version=version,
        )
    target.refresh_from_db()
    assert target.scheduled_start == later


def test_only_a_booked_session_is_a_no_show_and_a_started_dose_is_never_cancelled(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    front, nurse = members[Role.FRONT_DESK], members[Role.NURSE]
    t0 = timezone.now() - 120 * MINUTES
    check_in_at(members, session, t0 - 30 * MINUTES)
    with pytest.raises(ValidationError, match="no-show"):
        scheduling.cancel(membership=front, session=session, reason="left", no_show=True)
    with pytest.raises(ValidationError, match="Give a reason"):
        scheduling.cancel(membership=front, session=session, reason=" ")
    with pytest.raises(ValidationError, match="within 200 characters"):
        scheduling.cancel(membership=front, session=session, reason="x" * 201)

    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=nurse, order=order)
    services.record_administration(membership=nurse, session=session, action="start", at=t0)
    with pytest.raises(ValidationError):
        scheduling.cancel(membership=front, session=session, reason="left")
    with pytest.raises(ValidationError, match="has not started"):
        services.stand_down(membership=nurse, session=session, reason="left")
    session.refresh_from_db()
    assert session.status == SessionStatus.DOSING


T = dt.time


# -- services ---------------------------------------------------------------------------------


def test_a_shift_is_recorded_and_audited(members: dict[str, Membership]) -> None:
    shift = on_shift(members, dt.date(2026, 12, 4), T(8), T(16))
    assert (shift.clinic, shift.member) == (members[Role.NURSE].clinic, members[Role.NURSE])
    event = AuditEvent.objects.get(object_type="scheduling.staffshift", object_id=str(shift.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor_id == members[Role.NURSE].user_id  # type: ignore[attr-defined]


def test_removing_a_shift_is_audited(members: dict[str, Membership]) -> None:
    shift = on_shift(members, dt.date(2026, 12, 4))
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
    assert on_shift(members, dt.date(2026, 12, 4), member=role).member == members[role]


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN])
def test_members_who_cannot_chart_sessions_are_refused(
    members: dict[str, Membership], role: str
) -> None:
    with pytest.raises(ValidationError, match="cannot monitor dosing sessions"):
        on_shift(members, dt.date(2026, 12, 4), member=role)


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
        on_shift(members, dt.date(2026, 12, 4), starts, ends)


def test_overlapping_shifts_of_one_member_are_refused(members: dict[str, Membership]) -> None:
    on_shift(members, dt.date(2026, 12, 4), T(8), T(12))
    with pytest.raises(ValidationError, match="already on shift on 2026-12-04 08:00–12:00"):
        on_shift(members, dt.date(2026, 12, 4), T(11), T(15))
    on_shift(members, dt.date(2026, 12, 4), T(12), T(16))  # back to back is fine


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
    shift = on_shift(members, dt.date(2026, 12, 4))
    with pytest.raises(PermissionDenied):
        scheduling.remove_shift(membership=members[role], shift=shift)


def test_a_shift_of_another_clinic_cannot_be_removed(
    members: dict[str, Membership], outsider: Membership
) -> None:
    shift = on_shift(members, dt.date(2026, 12, 4))
    with pytest.raises(ValidationError, match="another clinic"):
        scheduling.remove_shift(membership=outsider, shift=shift)


# -- booking a course -------------------------------------------------------------------------


def _course(members: dict[str, Membership], patient: Patient) -> TreatmentCourse:
    make_eligible(members, patient)
    prepare_clinic(members)
    return treatment.start_course(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        data={"protocol_id": "iv-induction-3x-weekly", "start_date": clinic_day(members)},
    )


def _schedule(members: dict[str, Membership], course: TreatmentCourse) -> Schedule:
    return scheduling.schedule_course(
        membership=members[Role.FRONT_DESK], course=course, preferred_time=T(9)
    )


def test_a_dose_moves_when_no_nurse_is_on_shift(
    members: dict[str, Membership], patient: Patient
) -> None:
    course = _course(members, patient)
    today = clinic_day(members)
    for n in range(1, 30):  # a nurse every day except today
        on_shift(members, today + dt.timedelta(days=n))
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
    today = clinic_day(members)
    for n in range(30):
        on_shift(members, today + dt.timedelta(days=n))
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
    today = clinic_day(members)
    on_shift(members, today - dt.timedelta(days=3))  # a past shift: not in the scheduling window
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
    today = clinic_day(members)
    on_shift(members, today)
    result = _schedule(members, course)
    assert result.sessions[0].on == today
    assert any(note.startswith(f"Staff shifts are recorded until {today}") for note in result.notes)


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


def test_a_move_outside_opening_hours_is_refused_and_changes_nothing(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = last_dose(members, patient)
    before = (session.scheduled_start, session.version)
    with pytest.raises(ValidationError) as refused:
        _move(members, session, clinic_time(session, 1, 17))
    assert refused.value.messages == [
        f"Cannot move it there: a 120-min session at 17:00 on {clinic_time(session, 1, 17).date()} "
        "is outside the opening hours (08:00–18:00)."
    ]
    session.refresh_from_db()
    assert (session.scheduled_start, session.version) == before


def test_a_move_into_a_closed_day_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = last_dose(members, patient)
    settings = ClinicCalendarSettings.objects.get(clinic=session.clinic)
    day = clinic_time(session, 2, 10).date()
    settings.holidays = [day.isoformat()]
    settings.save()
    with pytest.raises(ValidationError, match=f"{day} is a clinic holiday"):
        _move(members, session, clinic_time(session, 2, 10))


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
    session = last_dose(members, patient)
    to = clinic_time(session, 1, 13)
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
    session = last_dose(members, patient)
    with pytest.raises(ValidationError, match="Keep the reason within 171 characters"):
        _move(members, session, clinic_time(session, 0, 13), reason="r" * 190)


def test_the_move_is_recorded_in_the_clinics_time(
    members: dict[str, Membership], patient: Patient
) -> None:
    session = last_dose(members, patient)
    booked = session.scheduled_start.astimezone(session.clinic.tzinfo)
    moved = _move(members, session, clinic_time(session, 0, 13), reason="dentist")
    assert moved.status_reason == f"moved from {booked:%Y-%m-%d %H:%M}: dentist"


def test_a_second_course_of_one_patient_is_booked_around_the_first(
    members: dict[str, Membership], patient: Patient
) -> None:
    """Two IV courses at once (a prescriber's stated reason): no session of the second sits
    on one of the first, and every dose keeps the minimum interval from the first's doses."""
    make_eligible(members, patient)
    _, first = start_course(members, patient)
    second = treatment.start_course(
        membership=members[Role.PRESCRIBER],
        patient=patient,
        data={
            "protocol_id": "iv-induction-3x-weekly",
            "start_date": timezone.localdate(),
            "concurrent_reason": "changeover week agreed with the medical director",
        },
    )
    schedule = scheduling.schedule_course(
        membership=members[Role.FRONT_DESK], course=second, preferred_time=dt.time(9, 0)
    )
    assert schedule.moves  # the first course's days were taken
    for new in second.sessions.all():
        for old in first:
            new_end = new.scheduled_start + dt.timedelta(minutes=new.duration_min)
            old_end = old.scheduled_start + dt.timedelta(minutes=old.duration_min)
            assert new_end <= old.scheduled_start or old_end <= new.scheduled_start
            assert abs(new.scheduled_start - old.scheduled_start) >= dt.timedelta(hours=48)


def test_a_hand_move_onto_another_session_of_the_patient_is_refused(
    members: dict[str, Membership], patient: Patient
) -> None:
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    first, last = sessions[0], sessions[-1]
    check = scheduling.check_move(
        membership=members[Role.FRONT_DESK], session=last, new_start=first.scheduled_start
    )
    assert any("another dose booked" in problem for problem in check.problems)


def test_a_third_esketamine_dose_in_a_week_is_refused_by_a_hand_move(
    members: dict[str, Membership], patient: Patient
) -> None:
    prepare_clinic(members)
    course = TreatmentCourse.objects.create(
        patient=patient,
        clinic=patient.clinic,
        recorded_by=members[Role.PRESCRIBER].user,
        protocol_id="esketamine-induction",
        route="esketamine_nasal",
        phase="induction",
        fixed_dose_mg=56,
        start_date=timezone.localdate(),
    )
    scheduling.schedule_course(
        membership=members[Role.FRONT_DESK], course=course, preferred_time=dt.time(9, 0)
    )
    doses = list(course.sessions.filter(kind="dosing").order_by("scheduled_start"))
    tz = patient.clinic.tzinfo
    week_of = {d.pk: d.scheduled_start.astimezone(tz).isocalendar()[:2] for d in doses}
    weeks = list(week_of.values())
    assert max(weeks.count(w) for w in weeks) == 2  # booked twice weekly, never more
    full = next(w for w in weeks if weeks.count(w) == 2)
    target = next(d for d in doses if week_of[d.pk] != full)
    sunday = dt.date.fromisocalendar(full[0], full[1], 7)
    new_start = dt.datetime.combine(sunday, dt.time(9, 0), tzinfo=tz)
    check = scheduling.check_move(
        membership=members[Role.FRONT_DESK], session=target, new_start=new_start
    )
    assert any("already has 2 doses booked" in p for p in check.problems), check.problems
