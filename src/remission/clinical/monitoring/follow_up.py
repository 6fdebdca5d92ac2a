"""The follow-up call after discharge: when it is due, its state, and what recording one needs.

Chung's PADSS validation interviewed every patient by telephone 24 h after discharge to find
delayed complications (Chung 1995, read in a secondary summary); no ketamine label or guideline
sets a follow-up call, so the call itself, its timing and the overdue margin are clinic
conventions, labelled so. "24 hours" is kept on the clinic's wall clock: a patient discharged at
11:15 is called from 11:15 the next day, also across a change of summer time.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.registry import Overrides

FOLLOW_UP_EVIDENCE = Evidence(
    "Chung et al. 1995 (PADSS validation): every patient interviewed by telephone 24 h after "
    "discharge to record the course and detect delayed complications; for ketamine sessions a "
    "clinic convention",
    Confidence.UNCERTAIN,
)
FOLLOW_UP_AFTER = registry.define(
    "monitoring.follow_up_call_after_h",
    24,
    unit="h",
    title="Follow-up call: due this long after discharge (on the clinic's wall clock)",
    evidence=FOLLOW_UP_EVIDENCE,
    minimum=12,
    maximum=72,
)
FOLLOW_UP_OVERDUE = registry.define(
    "monitoring.follow_up_call_overdue_after_h",
    4,
    unit="h",
    title="Follow-up call: overdue when not done this long after it fell due",
    evidence=FOLLOW_UP_EVIDENCE,
    minimum=1,
    maximum=48,
)


class CallState(enum.StrEnum):
    UPCOMING = "upcoming"  # not due yet
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


class CallOutcome(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    LEFT_MESSAGE = "left_message"

    @property
    def label(self) -> str:
        return {"reached": "Reached", "no_answer": "No answer", "left_message": "Left message"}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class CallAttempt:
    """One attempt as the caller records it."""

    outcome: CallOutcome
    patient_status: str  # how the patient is, in the caller's words
    concerns: str  # anything that needs a clinician: kept as a note on the call
    done: bool  # close the call (else it stays open for another attempt)


def follow_up_due(
    discharged_at: dt.datetime, zone: dt.tzinfo, overrides: Overrides | None = None
) -> dt.datetime:
    """When the call falls due: the discharge time plus the setting's hours on the wall clock of
    ``zone`` (a wall time skipped by a change of summer time moves to the next valid time)."""
    hours = int(registry.resolve_decimal(FOLLOW_UP_AFTER.key, overrides))
    local = require_aware(discharged_at, "discharged_at").astimezone(zone)
    wall = local.replace(tzinfo=None) + dt.timedelta(hours=hours)
    due = wall.replace(tzinfo=zone)
    return due.astimezone(dt.UTC).astimezone(zone)  # normalises a skipped wall time


def call_state(
    due_at: dt.datetime,
    now: dt.datetime,
    done_at: dt.datetime | None,
    overrides: Overrides | None = None,
) -> CallState:
    if done_at is not None:
        return CallState.DONE
    now = require_aware(now, "now")
    if now < require_aware(due_at, "due_at"):
        return CallState.UPCOMING
    overdue = dt.timedelta(hours=int(registry.resolve_decimal(FOLLOW_UP_OVERDUE.key, overrides)))
    return CallState.OVERDUE if now >= due_at + overdue else CallState.DUE


def attempt_problems(attempt: CallAttempt) -> list[str]:
    """Every reason the attempt cannot be recorded as it is (empty: it can)."""
    problems = []
    if attempt.outcome is CallOutcome.REACHED and not attempt.patient_status.strip():
        problems.append("Record how the patient is.")
    if attempt.outcome is not CallOutcome.REACHED and attempt.patient_status.strip():
        problems.append("How the patient is can only be recorded when the patient was reached.")
    if attempt.done and attempt.outcome is not CallOutcome.REACHED and not attempt.concerns.strip():
        problems.append(
            "To close a call without reaching the patient, write why in the note "
            "(e.g. third attempt, letter sent)."
        )
    return problems
