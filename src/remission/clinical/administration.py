"""What was actually given, computed from the medication administration record.

An infusion is charted as events (start, rate changes, pauses, resumes, stop); between two
events the pump runs at a constant rate, so the volume is the sum of rate × time over the
running intervals (exact for piecewise-constant rates). Boluses, injections and nasal devices
add their charted dose. Amounts are rounded half-up to 0.01 mL and 0.1 mg for display, like
the dosing module's rounding rules.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence

ML_QUANTUM = Decimal("0.01")
MG_QUANTUM = Decimal("0.1")
SECONDS_PER_HOUR = Decimal(3600)

OVER_DELIVERY_TOLERANCE = registry.define(
    "administration.over_delivery_tolerance_percent",
    5,
    unit="% of the ordered dose",
    title="Medication record: an entry that makes the dose given exceed the verified order by "
    "more than this is refused unless the over-delivery is confirmed (then an urgent alert)",
    evidence=Evidence(
        "Volumetric infusion pumps are specified to about ±5 % delivery accuracy; a charted "
        "amount beyond the order and that margin is an error in the chart or in the dose",
        Confidence.RECALLED,
        note="convention: the margin only absorbs charting to the minute and pump accuracy",
    ),
    minimum=0,
    maximum=10,
)


class Action(enum.StrEnum):
    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    RATE_CHANGE = "rate_change"
    STOP = "stop"
    INJECTION = "injection"
    DEVICE = "device"


# Which infusion action may follow which (None: nothing charted yet).
_NEXT: dict[Action | None, frozenset[Action]] = {
    None: frozenset({Action.START, Action.INJECTION, Action.DEVICE}),
    Action.START: frozenset({Action.PAUSE, Action.RATE_CHANGE, Action.STOP}),
    Action.RATE_CHANGE: frozenset({Action.PAUSE, Action.RATE_CHANGE, Action.STOP}),
    Action.RESUME: frozenset({Action.PAUSE, Action.RATE_CHANGE, Action.STOP}),
    Action.PAUSE: frozenset({Action.RESUME, Action.STOP}),
    Action.STOP: frozenset(),
    Action.INJECTION: frozenset({Action.INJECTION}),
    Action.DEVICE: frozenset({Action.DEVICE}),
}


@dataclass(frozen=True, slots=True)
class AdministrationRecord:
    action: Action
    at: dt.datetime
    rate_ml_per_h: Decimal | None = None
    dose_mg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class GivenSoFar:
    infused_volume_ml: Decimal
    dose_mg: Decimal
    running: bool
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    current_rate_ml_per_h: Decimal | None


def allowed_next(records: Sequence[AdministrationRecord]) -> frozenset[Action]:
    last = records[-1].action if records else None
    return _NEXT[last]


def check_next(records: Sequence[AdministrationRecord], record: AdministrationRecord) -> None:
    """Refuse an event that cannot follow the record (e.g. resume without a pause)."""
    if record.at.tzinfo is None:
        raise ClinicalInputError("administration times must be timezone-aware")
    if records and record.at < records[-1].at:
        raise ClinicalInputError("an administration event cannot precede the previous one")
    allowed = allowed_next(records)
    if record.action not in allowed:
        after = records[-1].action.value if records else "nothing charted"
        names = ", ".join(sorted(a.value for a in allowed)) or "nothing (the record is closed)"
        raise ClinicalInputError(
            f"'{record.action.value}' cannot follow {after}; allowed now: {names}"
        )
    if record.action in (Action.START, Action.RATE_CHANGE) and (
        record.rate_ml_per_h is None or record.rate_ml_per_h <= 0
    ):
        raise ClinicalInputError(f"'{record.action.value}' needs a rate above 0 mL/h")
    if record.action in (Action.INJECTION, Action.DEVICE) and (
        record.dose_mg is None or record.dose_mg <= 0
    ):
        raise ClinicalInputError(f"'{record.action.value}' needs the dose given in mg")


def given_so_far(
    records: Sequence[AdministrationRecord],
    *,
    concentration_mg_per_ml: Decimal | None,
    now: dt.datetime,
) -> GivenSoFar:
    """Volume infused and dose given from the record, up to ``now`` while still running."""
    volume = Decimal(0)
    bolus_mg = Decimal(0)
    rate: Decimal | None = None
    running_since: dt.datetime | None = None
    started = ended = None
    for record in records:
        if running_since is not None and rate is not None:
            volume += rate * _hours(running_since, record.at)
            running_since = None
        if record.action is Action.START:
            started = record.at
        if record.action in (Action.START, Action.RATE_CHANGE):
            rate = record.rate_ml_per_h
            running_since = record.at
        elif record.action is Action.RESUME:
            rate = record.rate_ml_per_h or rate
            running_since = record.at
        elif record.action is Action.STOP:
            ended = record.at
            rate = None
        elif record.action in (Action.INJECTION, Action.DEVICE):
            started = started or record.at
            ended = record.at
            bolus_mg += record.dose_mg or Decimal(0)
    running = running_since is not None
    if running and rate is not None and running_since is not None and now > running_since:
        volume += rate * _hours(running_since, now)
    infused_mg = volume * concentration_mg_per_ml if concentration_mg_per_ml else Decimal(0)
    return GivenSoFar(
        infused_volume_ml=volume.quantize(ML_QUANTUM, ROUND_HALF_UP),
        dose_mg=(infused_mg + bolus_mg).quantize(MG_QUANTUM, ROUND_HALF_UP),
        running=running,
        started_at=started,
        ended_at=ended,
        current_rate_ml_per_h=rate if running else None,
    )


@dataclass(frozen=True, slots=True)
class OverDelivery:
    """A medication-record entry after which more was given than the verified order."""

    given_mg: Decimal
    ordered_mg: Decimal
    allowed_mg: Decimal

    @property
    def message(self) -> str:
        return (
            f"With this entry the record says {self.given_mg} mg was given against "
            f"{self.ordered_mg} mg ordered ({self.given_mg - self.ordered_mg} mg over). Check the "
            "times and rates charted; if the patient really received it, confirm the "
            "over-delivery with a note."
        )


def over_delivery(
    records: Sequence[AdministrationRecord],
    record: AdministrationRecord,
    *,
    ordered_mg: Decimal,
    concentration_mg_per_ml: Decimal | None,
    overrides: registry.Overrides | None = None,
) -> OverDelivery | None:
    """The dose given up to ``record`` (the record's rates and times), when it exceeds the
    order by more than the tolerance; None while it does not."""
    given = given_so_far(
        [*records, record], concentration_mg_per_ml=concentration_mg_per_ml, now=record.at
    ).dose_mg
    return exceeds_order(given, ordered_mg=ordered_mg, overrides=overrides)


def exceeds_order(
    given_mg: Decimal, *, ordered_mg: Decimal, overrides: registry.Overrides | None = None
) -> OverDelivery | None:
    """``given_mg`` against the verified order: an over-delivery beyond the tolerance, or None."""
    tolerance = registry.resolve_decimal(OVER_DELIVERY_TOLERANCE.key, overrides)
    allowed = (ordered_mg * (1 + tolerance / 100)).quantize(MG_QUANTUM, ROUND_HALF_UP)
    if given_mg <= allowed:
        return None
    return OverDelivery(given_mg=given_mg, ordered_mg=ordered_mg, allowed_mg=allowed)


def _hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    return Decimal(str((end - start).total_seconds())) / SECONDS_PER_HOUR
