"""The follow-up call after discharge: scheduled by the discharge, recorded attempt by attempt.

A call never blocks the session's sign-off. An adverse event reported on the call is charted on
the session it follows, as a new entry stamped now, even when the session is signed: it is a
report made after the session, not an edit of what was charted during it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from remission.accounts.access import require
from remission.accounts.models import Membership
from remission.accounts.roles import Capability
from remission.audit.services import audited_save
from remission.chairside.models import AdverseEvent, FollowUpAttempt, FollowUpCall
from remission.clinical.monitoring.follow_up import (
    CallAttempt,
    CallOutcome,
    attempt_problems,
    follow_up_due,
)
from remission.scheduling.models import TreatmentSession

FOLLOW_UP_AE_NOTE = "Reported at the follow-up call after discharge"


def schedule_follow_up(*, membership: Membership, session: TreatmentSession) -> FollowUpCall:
    """The call for a session just discharged, due on the clinic's wall clock (the discharge
    service calls this inside its own transaction)."""
    assert session.discharged_at is not None
    call = FollowUpCall(
        clinic_id=session.clinic_id,
        patient_id=session.patient_id,
        session=session,
        due_at=follow_up_due(
            session.discharged_at,
            membership.clinic.tzinfo,
            membership.clinic.clinical_overrides,
        ),
    )
    audited_save(call, actor=membership.user, summary="follow-up call scheduled")
    return call


@transaction.atomic
def record_call(
    *,
    membership: Membership,
    call: FollowUpCall,
    outcome: str,
    patient_status: str = "",
    concerns: str = "",
    done: bool = False,
    adverse_event: dict[str, Any] | None = None,
) -> FollowUpAttempt:
    """Record one attempt; ``done`` closes the call, else it stays open for another attempt.
    ``adverse_event`` (event_type, grade, description, serious) charts what the patient
    reported. Refuses with every reason at once."""
    require(membership, Capability.FOLLOW_UP_CALLS)
    if call.clinic_id != membership.clinic_id:
        raise ValidationError("This call belongs to another clinic.")
    call = FollowUpCall.objects.select_for_update().select_related("session").get(pk=call.pk)
    problems = []
    if call.done_at is not None:
        problems.append(f"This call was closed at {call.done_at:%Y-%m-%d %H:%M} UTC.")
    try:
        chosen = CallOutcome(outcome)
    except ValueError:
        raise ValidationError("Choose the outcome: reached, no answer or left message.") from None
    attempt = CallAttempt(chosen, patient_status, concerns, done)
    problems += attempt_problems(attempt)
    if adverse_event is not None:
        if chosen is not CallOutcome.REACHED:
            problems.append("An adverse event is recorded only when the patient was reached.")
        grade = adverse_event.get("grade")
        if not isinstance(grade, int) or not 1 <= grade <= 5:
            problems.append("Grade the event from 1 (mild) to 5 (death).")
    if problems:
        raise ValidationError(problems)
    event = None
    now = timezone.now()
    if adverse_event is not None:
        description = adverse_event.get("description") or ""
        event = AdverseEvent(
            session=call.session,
            recorded_by=membership.user,
            event_type=adverse_event["event_type"],
            grade=adverse_event["grade"],
            description=f"{FOLLOW_UP_AE_NOTE}: {description}"[:200],
            serious=bool(adverse_event.get("serious")),
            onset_at=adverse_event.get("onset_at") or now,
            action="",
            outcome="",
        )
        audited_save(event, actor=membership.user, summary=f"adverse event {event} (follow-up)")
    entry = FollowUpAttempt(
        call=call,
        recorded_by=membership.user,
        outcome=chosen.value,
        patient_status=patient_status.strip(),
        concerns=concerns.strip(),
        closed_call=done,
        adverse_event=event,
    )
    audited_save(entry, actor=membership.user, summary=f"follow-up call: {chosen.label.lower()}")
    if done:
        call.done_at = now
        call.done_by = membership.user
        audited_save(call, actor=membership.user, summary="follow-up call done")
    return entry
