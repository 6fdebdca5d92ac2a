"""Whether a session's dose may start, which medication-record entries may follow, and whether
the record may be signed off.

One list of reasons: the chair-side service refuses with it and the screen shows it before the
nurse tries. The app gathers the facts (checklist answers, the order and its second check, the
pre-dose vitals decision, a programme's hard stops such as the SPRAVATO REMS, the lot picked)
and enforces what this module returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from remission.clinical import administration as adm
from remission.clinical import registry
from remission.clinical.dose_limits import (
    ESKETAMINE_LABEL_DOSING,
    ESKETAMINE_MINUTES_BETWEEN_DEVICES,
)
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.monitoring import CheckState, CheckStatus, PredoseDecision, PredoseStatus
from remission.clinical.monitoring.todays_doses import DayDecision
from remission.clinical.protocols.definitions import min_interval_key
from remission.clinical.routes import RouteFamily

TWO_PERSON_CHECK = Evidence(
    citation="ISMP: independent double checks for high-alert medications (ketamine, a "
    "controlled sedative, given by weight); APA consensus 2017 (Sanacora et al., JAMA "
    "Psychiatry 74:399) on dosing safeguards",
    confidence=Confidence.SECONDARY,
    note="a second clinician re-checks the order before the first dose is given",
)
PREDOSE_VITALS = Evidence(
    citation="APA consensus 2017 (Sanacora et al.): baseline vital signs before each "
    "ketamine dose; SPRAVATO REMS: blood pressure before each dose",
    confidence=Confidence.SECONDARY,
)
CHECKLIST_GATES_THE_DOSE = Evidence(
    citation="WHO Surgical Safety Checklist principle (a checklist completed before the "
    "procedure, not after); each item's own source is in the pre-dose checklist table",
    confidence=Confidence.UNCERTAIN,
    note="a practice convention: the checklist blocks the dose rather than only reminding",
)
LOT_IN_DATE = Evidence(
    citation="USP <797> / manufacturer labelling: no product is given past its expiry date",
    confidence=Confidence.RECALLED,
)
MAR_ACTIONS_BY_ROUTE = Evidence(
    citation="Route practice: an IV infusion is started, paused, resumed, re-rated and "
    "stopped; an IM dose is one injection; esketamine is given device by device (SPRAVATO "
    "prescribing information, section 2)",
    confidence=Confidence.PRIMARY,
)

# The medication-record entries each route family can take (the record's own sequence rules,
# e.g. no resume without a pause, are ``administration.allowed_next``).
ACTIONS_BY_FAMILY: dict[RouteFamily, frozenset[adm.Action]] = {
    RouteFamily.IV: frozenset(
        {
            adm.Action.START,
            adm.Action.PAUSE,
            adm.Action.RESUME,
            adm.Action.RATE_CHANGE,
            adm.Action.STOP,
        }
    ),
    RouteFamily.IM: frozenset({adm.Action.INJECTION}),
    RouteFamily.ESKETAMINE_NASAL: frozenset({adm.Action.DEVICE}),
}
DEVICE_GAP = dt.timedelta(minutes=ESKETAMINE_MINUTES_BETWEEN_DEVICES)

CHARTED_WHEN_IT_HAPPENED = Evidence(
    citation="Nursing documentation practice (ANA Principles for Nursing Documentation, 2010): "
    "an entry records when the care was given, never a time still to come",
    confidence=Confidence.RECALLED,
    note="one minute allowed for clocks that differ between devices",
)
CHART_CLOCK_SKEW = dt.timedelta(minutes=1)
EARLY_ARRIVAL = dt.timedelta(hours=1)  # a patient may be seen this long before the booked start
INTERVAL_ACROSS_COURSES = Evidence(
    citation="Minimum interval between ketamine doses (protocol defaults, a clinic convention) "
    "applied to every ketamine or esketamine dose charted for the patient, whatever the course",
    confidence=Confidence.UNCERTAIN,
    note="the longer of the two route families' intervals applies",
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the dose or entry may not go ahead, with where the rule comes from."""

    code: str
    message: str
    evidence: Evidence | None = None


@dataclass(frozen=True, slots=True)
class PriorDose:
    """A dose charted for the patient in another session (any course): when it started, its
    route family and how the chart names it."""

    started_at: dt.datetime
    family: RouteFamily
    label: str


@dataclass(frozen=True, slots=True)
class StartFacts:
    """What the chart holds when the first medication-record entry (the dose start) is made.

    ``predose`` is None while no pre-dose vital signs are charted. ``programme_stops`` are the
    hard stops of a programme the session falls under (the REMS), already worded. The lot is
    the one picked for this entry, when one is (the screen knows none yet).
    """

    unmet_checklist: tuple[str, ...]
    has_order: bool
    order_verified: bool
    predose: PredoseDecision | None
    programme_stops: tuple[str, ...] = ()
    lot_number: str = ""
    lot_expiry: dt.date | None = None
    on: dt.date | None = None
    family: RouteFamily | None = None
    starts_at: dt.datetime | None = None
    prior_doses: tuple[PriorDose, ...] = ()
    todays_doses: DayDecision | None = None


def start_problems(facts: StartFacts, overrides: registry.Overrides | None = None) -> list[Problem]:
    """Every reason the dose may not start yet (empty: it may)."""
    problems = [Problem("checklist", f"Checklist: {label}") for label in facts.unmet_checklist]
    if not facts.has_order:
        problems.append(
            Problem("no_order", "No dose order yet: waiting for the prescriber's order")
        )
    elif not facts.order_verified:
        problems.append(
            Problem(
                "not_verified",
                "The dose order is not yet verified: waiting for a second person to verify it",
                TWO_PERSON_CHECK,
            )
        )
    problems += [Problem("programme", stop) for stop in facts.programme_stops]
    if facts.predose is None:
        problems.append(
            Problem("no_predose_vitals", "Chart the pre-dose vital signs first", PREDOSE_VITALS)
        )
    elif facts.predose.status is PredoseStatus.HOLD:
        findings = "; ".join(f.message for f in facts.predose.findings)
        problems.append(
            Problem("predose_hold", f"Pre-dose vitals say hold: {findings}", PREDOSE_VITALS)
        )
    if facts.todays_doses is not None:
        problems += [
            Problem("todays_doses_hold", f"Today's doses say hold: {f.message}", f.evidence)
            for f in facts.todays_doses.holds
        ]
    problems += _interval_problems(facts, overrides)
    if facts.lot_expiry is not None and facts.on is not None and facts.lot_expiry < facts.on:
        problems.append(
            Problem(
                "lot_expired",
                f"Lot {facts.lot_number} expired on {facts.lot_expiry}.",
                LOT_IN_DATE,
            )
        )
    return problems


def interval_hours(
    family: RouteFamily, other: RouteFamily, overrides: registry.Overrides | None
) -> int:
    """The minimum interval between a dose of ``family`` and one of ``other``: the longer of
    their two intervals."""
    return max(
        int(registry.resolve_decimal(min_interval_key(f), overrides)) for f in (family, other)
    )


def _interval_problems(facts: StartFacts, overrides: registry.Overrides | None) -> list[Problem]:
    if facts.family is None or facts.starts_at is None:
        return []
    problems = []
    for dose in facts.prior_doses:
        hours = interval_hours(facts.family, dose.family, overrides)
        if abs(facts.starts_at - dose.started_at) < dt.timedelta(hours=hours):
            problems.append(
                Problem(
                    "min_interval",
                    f"Within the {hours}-hour minimum interval of {dose.label}: no ketamine or "
                    "esketamine dose may start yet.",
                    INTERVAL_ACROSS_COURSES,
                )
            )
    return problems


def session_opened_at(booked_start: dt.datetime, checked_in_at: dt.datetime | None) -> dt.datetime:
    """The earliest time a session's chart entries may carry: an hour before its booked start
    (a patient seen early), or its check-in if that was earlier still."""
    earliest = booked_start - EARLY_ARRIVAL
    return earliest if checked_in_at is None else min(earliest, checked_in_at)


def charted_time_problems(
    at: dt.datetime, *, now: dt.datetime, opened_at: dt.datetime | None
) -> list[Problem]:
    """A chart entry dated in the future, or before the session was opened
    (``session_opened_at``; None: no lower bound)."""
    problems = []
    if at > now + CHART_CLOCK_SKEW:
        problems.append(
            Problem(
                "in_future",
                "An entry cannot be charted in the future: give the time it happened.",
                CHARTED_WHEN_IT_HAPPENED,
            )
        )
    if opened_at is not None and at < opened_at:
        problems.append(
            Problem(
                "before_session",
                "An entry cannot be dated before the session began (an hour before its booked "
                "start, or its check-in if earlier).",
                CHARTED_WHEN_IT_HAPPENED,
            )
        )
    return problems


def allowed_actions(
    family: RouteFamily | None, records: Sequence[adm.AdministrationRecord]
) -> list[adm.Action]:
    """The entries that may follow the record for this route family, in the record's order."""
    possible = ACTIONS_BY_FAMILY.get(family, frozenset()) if family is not None else frozenset()
    following = adm.allowed_next(records)
    return [action for action in adm.Action if action in possible and action in following]


def device_problems(
    records: Sequence[adm.AdministrationRecord], at: dt.datetime, devices_ordered: int | None
) -> list[Problem]:
    """An esketamine device too soon after the last one, or beyond the devices ordered."""
    problems = []
    devices = [r for r in records if r.action is adm.Action.DEVICE]
    if devices and at - devices[-1].at < DEVICE_GAP:
        problems.append(
            Problem(
                "device_gap",
                f"Wait {ESKETAMINE_MINUTES_BETWEEN_DEVICES} minutes between nasal devices "
                "(label instruction).",
                ESKETAMINE_LABEL_DOSING,
            )
        )
    if devices_ordered is not None and len(devices) >= devices_ordered:
        problems.append(
            Problem(
                "devices_complete",
                f"All {devices_ordered} ordered devices are already charted.",
                ESKETAMINE_LABEL_DOSING,
            )
        )
    return problems


registry.define_table(
    "session_rules",
    title="Before the dose starts, and the medication record",
    intro="What stops the first medication-record entry of a session (the chair-side screen "
    "lists the same reasons the service refuses with), and the entries each route family takes.",
    columns=("Rule", "Applies"),
    rows=(
        registry.TableRow(
            cells=(
                "Every pre-dose checklist item answered acceptably (each with its source in "
                "the checklist table)",
                "first entry",
            ),
            evidence=(CHECKLIST_GATES_THE_DOSE,),
        ),
        registry.TableRow(
            cells=("A dose order, verified by a second person", "first entry"),
            evidence=(TWO_PERSON_CHECK,),
        ),
        registry.TableRow(
            cells=("Pre-dose vital signs charted and not on hold", "first entry"),
            evidence=(PREDOSE_VITALS,),
        ),
        registry.TableRow(
            cells=("The lot dispensed from is in date", "first entry"),
            evidence=(LOT_IN_DATE,),
        ),
        registry.TableRow(
            cells=(
                "No other ketamine or esketamine dose of the patient (any course) within the "
                "longer of the two route families' minimum intervals",
                "first entry",
            ),
            evidence=(INTERVAL_ACROSS_COURSES,),
        ),
        registry.TableRow(
            cells=(
                "Dated no later than now (1 min for clock differences) and not before the "
                "session began (an hour before its booked start, or its check-in if earlier)",
                "every chart entry",
            ),
            evidence=(CHARTED_WHEN_IT_HAPPENED,),
        ),
        registry.TableRow(
            cells=(
                "The dose given (from the charted rates and times) exceeds the verified order "
                "by no more than the over-delivery tolerance, unless confirmed with a note "
                "(then an urgent alert)",
                "every entry",
            ),
            evidence=(adm.OVER_DELIVERY_TOLERANCE.evidence,),
        ),
        registry.TableRow(
            cells=(
                f"{ESKETAMINE_MINUTES_BETWEEN_DEVICES} min between nasal devices; no more "
                "devices than ordered",
                "each device",
            ),
            evidence=(ESKETAMINE_LABEL_DOSING,),
        ),
        *(
            registry.TableRow(
                cells=(
                    f"`{family.value}` records: "
                    + ", ".join(a.value for a in adm.Action if a in actions),
                    "each entry",
                ),
                evidence=(MAR_ACTIONS_BY_ROUTE,),
            )
            for family, actions in ACTIONS_BY_FAMILY.items()
        ),
    ),
)


CHECKS_ACCOUNTED_FOR = Evidence(
    citation="Nursing documentation practice (ANA Principles for Nursing Documentation, 2010): "
    "care that was planned and not given is recorded with the reason; a signature attests "
    "a complete record",
    confidence=Confidence.RECALLED,
    note="refusing sign-off while a planned check is neither charted nor explained is a "
    "clinic convention built on that principle",
)
SIGN_OFF_ATTESTATION = (
    "By signing you attest that you have reviewed this session's record — the order and its "
    "verification, the medication administration record, every vital-sign and scale check, "
    "the alerts and the action taken on each, adverse events, notes and the discharge "
    "assessment — that it is complete and accurate to the best of your knowledge, and that "
    "every planned check was charted or its omission explained. The record is then locked; "
    "corrections are made by addendum."
)


def sign_off_problems(
    checks: Sequence[CheckStatus], explained: Collection[str], open_alerts: int = 0
) -> list[Problem]:
    """Every reason the session may not be signed off yet: an unacknowledged alert, a planned
    check overdue with no reason recorded (``explained``: the check ids that have one)."""
    problems = []
    if open_alerts:
        problems.append(Problem("open_alerts", "Every alert must be acknowledged before sign-off."))
    for status in checks:
        if status.state is CheckState.OVERDUE and status.check.check_id not in explained:
            problems.append(
                Problem(
                    "check_unexplained",
                    f"{status.check.title} was not charted: chart it or record why it was missed",
                    CHECKS_ACCOUNTED_FOR,
                )
            )
    return problems
