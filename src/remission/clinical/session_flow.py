"""What a booked session waits for next, and from whom: the order the clinic's work follows.

The steps are the clinic's own sequence, not a clinical finding: the front desk checks the
patient in, the prescriber writes the dose order, a second person checks it before the dose
starts (``session_rules.TWO_PERSON_CHECK``), the nurse gives the dose, observes and discharges,
and a prescriber signs the session off. The home pages and the nurse's chair queue show this
one answer; the services still enforce each step on their own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from remission.clinical.evidence import Confidence, Evidence

SESSION_FLOW = Evidence(
    citation="The clinic's charting sequence (check-in, order, independent double check, "
    "administration, observation, discharge, sign-off); the double check follows ISMP",
    confidence=Confidence.UNCERTAIN,
    note="a practice convention of this system, not a clinical rule with an outcome behind it",
)


class Waiting(enum.StrEnum):
    CHECK_IN = "check_in"
    ORDER = "order"
    VERIFICATION = "verification"
    DOSE_START = "dose_start"
    DOSE_END = "dose_end"
    DISCHARGE = "discharge"
    SIGN_OFF = "sign_off"
    NOTHING = "nothing"

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def who(self) -> str:
        return _LABELS[self][1]


_LABELS: dict[Waiting, tuple[str, str]] = {
    Waiting.CHECK_IN: ("Check-in", "front desk"),
    Waiting.ORDER: ("The dose order", "prescriber"),
    Waiting.VERIFICATION: ("The second check of the order", "second clinician"),
    Waiting.DOSE_START: ("The dose to start", "nurse"),
    Waiting.DOSE_END: ("The dose to finish", "nurse"),
    Waiting.DISCHARGE: ("Observation and discharge", "nurse"),
    Waiting.SIGN_OFF: ("Sign-off", "prescriber"),
    Waiting.NOTHING: ("Nothing", ""),
}

# session statuses as the booking stores them (``scheduling.SessionStatus`` values)
_BEFORE_DOSE = frozenset({"checked_in", "pre_dose"})
_AFTER_DOSE = frozenset({"observing", "ready"})
_CLOSED = frozenset({"cancelled", "no_show"})


@dataclass(frozen=True, slots=True)
class SessionProgress:
    """What the chart holds for one session, as plain facts."""

    status: str
    dosing: bool  # a dosing session (a therapy or consult visit takes no order)
    ordered: bool  # a dose order is on record
    verified: bool  # the latest order has its second check
    started: bool  # the medication record has an entry
    signed: bool


def waiting_for(progress: SessionProgress) -> Waiting:
    """The next step the session waits for (``NOTHING`` once signed, cancelled or no-show)."""
    p = progress
    if p.signed or p.status in _CLOSED:
        return Waiting.NOTHING
    if p.status == "scheduled":
        return Waiting.CHECK_IN
    if p.status == "discharged":
        return Waiting.SIGN_OFF
    if not p.dosing:
        return Waiting.DISCHARGE
    if p.status in _BEFORE_DOSE and not p.started:
        if not p.ordered:
            return Waiting.ORDER
        return Waiting.DOSE_START if p.verified else Waiting.VERIFICATION
    if p.status == "dosing":
        return Waiting.DOSE_END
    if p.status in _AFTER_DOSE or p.started:
        return Waiting.DISCHARGE
    return Waiting.NOTHING
