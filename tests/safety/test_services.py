"""The suicide-risk loop: a positive suicide item raises an escalation with the core's urgency
and tells the clinicians; it holds any dose until a clinician records a suicide-risk screen and
a disposition; a high-risk screen allows only an emergency referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.assessments.models import AssessmentContext, ScaleAdministration
from remission.assessments.services import record_scale
from remission.audit.models import AuditEvent
from remission.chairside import selectors as chairside
from remission.chairside import services as charting
from remission.patients.models import Patient
from remission.safety import selectors, services
from remission.safety.models import SafetyEscalation
from remission.scheduling.models import TreatmentSession
from tests.world.chairside import ready_for_dose

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

MINUTES = dt.timedelta(minutes=1)
PHQ9_ITEM9 = {1: [1, 1, 1, 1, 1, 1, 1, 1, 1], 2: [2, 2, 1, 2, 1, 1, 2, 1, 2], 3: [3] * 9}
LOW_RISK_SCREEN = [1, 0, None, None, None, 0]  # a wish to be dead, no thoughts of killing oneself
HIGH_RISK_SCREEN = [1, 1, 1, 1, 0, 0]  # question 4 Yes


def _phq9(member: Membership, patient: Patient, item9: int, **kw: object) -> ScaleAdministration:
    return record_scale(
        membership=member,
        patient=patient,
        instrument_id="phq9",
        answers=PHQ9_ITEM9[item9],
        administered_at=timezone.now(),
        context=AssessmentContext.FOLLOW_UP,
        **kw,  # type: ignore[arg-type]
    )


def _screen(member: Membership, patient: Patient, answers: list[int | None]) -> None:
    record_scale(
        membership=member,
        patient=patient,
        instrument_id="suicide-screen",
        answers=answers,
        administered_at=timezone.now(),
        context=AssessmentContext.FOLLOW_UP,
    )


def test_a_positive_item_9_raises_an_audited_escalation_and_tells_the_clinicians(
    members: dict[str, Membership], patient: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _phq9(members[Role.NURSE], patient, 1)
    (escalation,) = SafetyEscalation.objects.filter(patient=patient)
    assert (escalation.flag, escalation.value, escalation.urgency) == (
        "phq9_item9_positive",
        1,
        "same_day",
    )
    assert escalation.is_open
    assert AuditEvent.objects.filter(
        object_type="safety.safetyescalation", object_id=str(escalation.pk)
    ).exists()
    (sent,) = mail.outbox
    prescriber, director = members[Role.PRESCRIBER], members[Role.MEDICAL_DIRECTOR]
    assert set(sent.to) == {prescriber.user.email, director.user.email}
    assert patient.legal_last_name not in sent.body  # an e-mail names no patient
    assert f"/safety/{escalation.pk}/" in sent.body


def test_the_urgency_scales_with_the_answer(
    members: dict[str, Membership], patient: Patient
) -> None:
    _phq9(members[Role.NURSE], patient, 3)
    (escalation,) = SafetyEscalation.objects.filter(patient=patient)
    assert escalation.urgency == "immediate"


def test_no_escalation_without_a_positive_item(
    members: dict[str, Membership], patient: Patient
) -> None:
    record_scale(
        membership=members[Role.NURSE],
        patient=patient,
        instrument_id="phq9",
        answers=[2, 2, 2, 2, 2, 2, 2, 2, 0],
        administered_at=timezone.now(),
        context=AssessmentContext.FOLLOW_UP,
    )
    assert not SafetyEscalation.objects.filter(patient=patient).exists()
    assert mail.outbox == []


def test_an_open_escalation_holds_the_dose_until_a_screen_and_a_disposition(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    nurse, prescriber = members[Role.NURSE], members[Role.PRESCRIBER]
    t0 = timezone.now() - 10 * MINUTES
    ready_for_dose(members, session, t0)
    charting.record_session_scale(
        membership=nurse,
        session=session,
        instrument_id="phq9",
        answers=PHQ9_ITEM9[2],
        context=AssessmentContext.PRE_SESSION,
        administered_at=t0 - 15 * MINUTES,
    )
    (escalation,) = SafetyEscalation.objects.filter(patient=session.patient)
    assert escalation.session_id == session.pk
    order = charting.order_dose(membership=prescriber, session=session)
    charting.verify_dose(membership=nurse, order=order)
    view = chairside.session_view(membership=nurse, session_id=session.pk, record=False)
    assert any(r.startswith("Safety hold") for r in view.ready_to_start)
    with pytest.raises(ValidationError, match="Safety hold"):
        charting.record_administration(membership=nurse, session=session, action="start", at=t0)

    with pytest.raises(ValidationError, match="Record the suicide-risk screen first"):
        services.close(
            membership=prescriber,
            escalation=escalation,
            disposition="proceed_with_safety_plan",
            note="talked it through",
        )
    _screen(prescriber, session.patient, LOW_RISK_SCREEN)
    escalation.refresh_from_db()
    assert escalation.screen is not None and escalation.is_open  # the screen is its screen
    assert SafetyEscalation.objects.filter(patient=session.patient).count() == 1
    services.close(
        membership=prescriber,
        escalation=escalation,
        disposition="proceed_with_safety_plan",
        note="passive ideation, no plan; safety plan agreed; partner at home",
    )
    charting.record_administration(membership=nurse, session=session, action="start", at=t0)


def test_a_disposition_that_stops_the_dose_holds_it_for_the_day(
    members: dict[str, Membership], session: TreatmentSession
) -> None:
    prescriber = members[Role.PRESCRIBER]
    _phq9(members[Role.NURSE], session.patient, 2)
    _screen(prescriber, session.patient, LOW_RISK_SCREEN)
    (escalation,) = SafetyEscalation.objects.filter(patient=session.patient)
    services.close(
        membership=prescriber,
        escalation=escalation,
        disposition="same_day_psychiatric_evaluation",
        note="referred to the on-call psychiatrist",
    )
    holds = [e.pk for e in selectors.holding(session)]
    assert holds == [escalation.pk]


def test_a_high_risk_screen_allows_only_an_emergency_referral_and_is_immediate(
    members: dict[str, Membership], patient: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    prescriber = members[Role.PRESCRIBER]
    with django_capture_on_commit_callbacks(execute=True):
        _phq9(members[Role.NURSE], patient, 1)
        _screen(prescriber, patient, HIGH_RISK_SCREEN)
    (escalation,) = SafetyEscalation.objects.filter(patient=patient)
    assert escalation.urgency == "immediate"
    assert len(mail.outbox) == 2  # told again when it became immediate
    for disposition in ("proceed_with_safety_plan", "same_day_psychiatric_evaluation"):
        with pytest.raises(ValidationError, match="refer for emergency evaluation"):
            services.close(
                membership=prescriber, escalation=escalation, disposition=disposition, note="x"
            )
    services.close(
        membership=prescriber,
        escalation=escalation,
        disposition="emergency_referral",
        note="ambulance called; patient accompanied",
    )
    escalation.refresh_from_db()
    assert not escalation.is_open and escalation.closed_by == prescriber.user


def test_only_a_prescriber_or_the_medical_director_closes_an_escalation(
    members: dict[str, Membership], patient: Patient
) -> None:
    _phq9(members[Role.NURSE], patient, 1)
    escalation = SafetyEscalation.objects.get(patient=patient)
    for role in (Role.NURSE, Role.THERAPIST, Role.FRONT_DESK):
        with pytest.raises(PermissionDenied):
            services.close(
                membership=members[role],
                escalation=escalation,
                disposition="emergency_referral",
                note="x",
            )


def test_the_clinicians_on_shift_are_told_when_someone_is(
    members: dict[str, Membership], patient: Patient, django_capture_on_commit_callbacks: Any
) -> None:
    from remission.scheduling.models import StaffShift

    director = members[Role.MEDICAL_DIRECTOR]
    now = timezone.localtime(timezone=director.clinic.tzinfo)
    StaffShift.objects.create(
        clinic=director.clinic,
        member=director,
        on=now.date(),
        starts=dt.time(0, 0),
        ends=dt.time(23, 59),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _phq9(members[Role.NURSE], patient, 1)
    (sent,) = mail.outbox
    assert sent.to == [director.user.email]
    assert "on shift" in SafetyEscalation.objects.get(patient=patient).notified
