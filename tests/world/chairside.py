"""A dosing session under way, charted through the scheduling and chair-side services."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext
from remission.chairside import selectors, services
from remission.patients.models import Patient
from remission.scheduling import services as scheduling
from remission.scheduling.models import SessionStatus, TreatmentSession
from tests.world.treatment import make_eligible, start_course

MINUTES = dt.timedelta(minutes=1)


def session_started_two_hours_ago(
    members: dict[str, Membership], patient: Patient
) -> TreatmentSession:
    """The first session of an eligible patient's IV course, run "now": it was booked to start
    130 minutes ago, so a dose started two hours ago falls inside it."""
    make_eligible(members, patient)
    _, sessions = start_course(members, patient)
    first = sessions[0]
    # An unaudited update, as before: the session must be under way now, whatever the calendar.
    TreatmentSession.objects.filter(pk=first.pk).update(
        scheduled_start=timezone.now() - 130 * MINUTES
    )
    first.refresh_from_db()
    return first


def check_in_at(members: dict[str, Membership], session: TreatmentSession, at: dt.datetime) -> None:
    """The front desk checks the patient in at ``at`` (the clock moved back for it), so that
    entries charted after ``at`` fall within the session."""
    with time_machine.travel(at, tick=False):
        scheduling.check_in(membership=members[Role.FRONT_DESK], session=session)
    session.refresh_from_db()


# the pre-dose checklist's today's-dose questions (answered "no": nothing on board)
TODAYS_DOSE_QUESTIONS = (
    "benzodiazepine_today",
    "stimulant_this_morning",
    "opioid_today",
    "alcohol_last_24h",
)


def ready_for_dose(
    members: dict[str, Membership], session: TreatmentSession, t0: dt.datetime
) -> None:
    """Checked in (if still booked), the pre-dose checklist answered, a pre-session PHQ-9 20 min
    and vitals 10 min before ``t0``, and a CADSS-6 baseline 5 min before it."""
    nurse = members[Role.NURSE]
    session.refresh_from_db()
    if session.status == SessionStatus.SCHEDULED:
        check_in_at(members, session, t0 - 30 * MINUTES)
    for item in ("identity", "fasting", "escort", "resuscitation_equipment"):
        services.answer_checklist(membership=nurse, session=session, item=item, answer="yes")
    for question in TODAYS_DOSE_QUESTIONS:
        services.answer_checklist(membership=nurse, session=session, item=question, answer="no")
    services.answer_checklist(
        membership=nurse, session=session, item="pregnancy_test", answer="n/a"
    )
    services.record_session_scale(
        membership=nurse,
        session=session,
        instrument_id="phq9",
        answers=[2, 2, 1, 2, 1, 1, 2, 1, 0],
        context=AssessmentContext.PRE_SESSION,
        administered_at=t0 - 20 * MINUTES,
    )
    services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=t0 - 10 * MINUTES,
        check_id="vitals@-10",
        systolic_mmhg=124,
        diastolic_mmhg=78,
        heart_rate_bpm=72,
        spo2_percent=98,
        respiratory_rate_per_min=14,
    )
    services.record_session_scale(
        membership=nurse,
        session=session,
        instrument_id="cadss6",
        answers=[0, 0, 0, 0, 0, 0],
        administered_at=t0 - 5 * MINUTES,
    )


RECOVERED_PADSS = {"ambulation": 2, "nausea_vomiting": 2, "pain": 2, "bleeding": 2}


def chart_recovered(nurse: Membership, session: TreatmentSession, **changes: object) -> None:
    """The nurse charts a full discharge assessment: every PADSS item at 2, oriented, escort
    present, driving advice given (``changes`` replace any of these)."""
    values: dict[str, object] = {
        "points": RECOVERED_PADSS,
        "oriented": True,
        "escort_present": True,
        "driving_advice_given": True,
    }
    values.update(changes)
    services.chart_discharge(membership=nurse, session=session, **values)  # type: ignore[arg-type]


def observed_after_dose(members: dict[str, Membership], session: TreatmentSession) -> Membership:
    """A dose started two hours ago and stopped at 40 min, settled: MOAA/S 5, CADSS-6 0,
    vitals at baseline a minute ago. Only the discharge assessment is left to chart; answers
    the nurse."""
    nurse = members[Role.NURSE]
    t0 = timezone.now() - 120 * MINUTES
    ready_for_dose(members, session, t0)
    order = services.order_dose(membership=members[Role.PRESCRIBER], session=session)
    services.verify_dose(membership=nurse, order=order)
    services.record_administration(membership=nurse, session=session, action="start", at=t0)
    services.record_administration(
        membership=nurse, session=session, action="stop", at=t0 + 40 * MINUTES
    )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="moaas", answers=[5]
    )
    services.record_session_scale(
        membership=nurse, session=session, instrument_id="cadss6", answers=[0, 0, 0, 0, 0, 0]
    )
    services.record_vitals(
        membership=nurse,
        session=session,
        measured_at=timezone.now() - MINUTES,
        systolic_mmhg=124,
        diastolic_mmhg=78,
        heart_rate_bpm=72,
        spo2_percent=98,
        respiratory_rate_per_min=14,
    )
    return nurse


def explain_missed_checks(nurse: Membership, session: TreatmentSession) -> None:
    """The nurse records a reason for every planned check left overdue and unexplained (the
    world charts only the readings a test needs), so the session may be signed off."""
    view = selectors.session_view(membership=nurse, session_id=session.pk, record=False)
    for status in view.unexplained_overdue:
        services.explain_missed_check(
            membership=nurse,
            session=session,
            check_id=status.check.check_id,
            reason="not charted in this test's world",
        )
