"""Dose events as given or charted, and the regimen they make up.

Times are minutes from the first planned administration (``t = 0``); doses are mg of the
model's drug as the free base unless stated otherwise (``to_base_mg``). A charted infusion
with pauses or rate changes is a sequence of ``Infusion`` segments, one per constant rate.
"""

from __future__ import annotations

import enum
import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.routes import PkRoute


class DoseBasis(enum.StrEnum):
    """Whether a written dose counts the free base or the hydrochloride salt."""

    BASE = "base"
    HYDROCHLORIDE = "hydrochloride"


# Molar masses (g/mol). Ketamine and esketamine share the formula C13H16ClNO.
KETAMINE_BASE_G_PER_MOL = 237.73
KETAMINE_HCL_G_PER_MOL = 274.19  # base + HCl (36.46)
SALT_EVIDENCE = Evidence(
    citation=(
        "Molar masses of ketamine (237.73 g/mol) and its hydrochloride (274.19 g/mol); "
        "Spravato label: one device = 32.3 mg esketamine HCl = 28 mg esketamine base"
    ),
    confidence=Confidence.SECONDARY,
    note="Which convention a racemic vial's label uses varies by product: check the label.",
)

NASAL_DEVICE_MG = 28.0  # esketamine base per Spravato device
NASAL_DEVICE_INTERVAL_MIN = 5.0  # label: 5 minutes between devices


def to_base_mg(dose_mg: float, basis: DoseBasis) -> float:
    """Convert a written dose to mg of free base (what every model here takes)."""
    if basis is DoseBasis.BASE:
        return dose_mg
    return dose_mg * KETAMINE_BASE_G_PER_MOL / KETAMINE_HCL_G_PER_MOL


def _check_time(value: float, what: str) -> None:
    if not math.isfinite(value) or value < 0:
        raise ClinicalInputError(f"{what} must be a finite time ≥ 0 min, got {value}")


def _check_dose(value: float, what: str) -> None:
    if not math.isfinite(value) or value <= 0:
        raise ClinicalInputError(f"{what} must be a positive dose in mg, got {value}")


@dataclass(frozen=True, slots=True)
class Infusion:
    """Zero-order IV infusion: ``dose_mg`` spread evenly over ``duration_min``."""

    start_min: float
    duration_min: float
    dose_mg: float

    def __post_init__(self) -> None:
        _check_time(self.start_min, "infusion start")
        if not math.isfinite(self.duration_min) or self.duration_min <= 0:
            raise ClinicalInputError(
                f"infusion duration must be > 0 min, got {self.duration_min} (use a bolus)"
            )
        _check_dose(self.dose_mg, "infusion dose")

    @property
    def rate_mg_per_min(self) -> float:
        return self.dose_mg / self.duration_min

    @property
    def end_min(self) -> float:
        return self.start_min + self.duration_min

    @property
    def route(self) -> PkRoute:
        return PkRoute.IV_INFUSION


@dataclass(frozen=True, slots=True)
class Bolus:
    """IV bolus (instantaneous)."""

    time_min: float
    dose_mg: float

    def __post_init__(self) -> None:
        _check_time(self.time_min, "bolus time")
        _check_dose(self.dose_mg, "bolus dose")

    @property
    def route(self) -> PkRoute:
        return PkRoute.IV_BOLUS


@dataclass(frozen=True, slots=True)
class IntramuscularInjection:
    time_min: float
    dose_mg: float

    def __post_init__(self) -> None:
        _check_time(self.time_min, "IM injection time")
        _check_dose(self.dose_mg, "IM dose")

    @property
    def route(self) -> PkRoute:
        return PkRoute.INTRAMUSCULAR


@dataclass(frozen=True, slots=True)
class NasalDose:
    """Esketamine nasal spray: ``devices`` × 28 mg, one device every 5 minutes."""

    time_min: float
    devices: int
    device_interval_min: float = NASAL_DEVICE_INTERVAL_MIN

    def __post_init__(self) -> None:
        _check_time(self.time_min, "nasal dose time")
        if self.devices < 1:
            raise ClinicalInputError(f"a nasal dose needs at least one device, got {self.devices}")
        if not math.isfinite(self.device_interval_min) or self.device_interval_min < 0:
            raise ClinicalInputError("the interval between nasal devices must be ≥ 0 min")

    @classmethod
    def of_mg(cls, time_min: float, dose_mg: float) -> NasalDose:
        devices = dose_mg / NASAL_DEVICE_MG
        if not math.isfinite(devices) or devices < 1 or abs(devices - round(devices)) > 1e-9:
            raise ClinicalInputError(
                f"a nasal esketamine dose must be a multiple of {NASAL_DEVICE_MG:g} mg "
                f"(one device), got {dose_mg:g} mg"
            )
        return cls(time_min=time_min, devices=round(devices))

    @property
    def dose_mg(self) -> float:
        return self.devices * NASAL_DEVICE_MG

    def device_times_min(self) -> tuple[float, ...]:
        return tuple(self.time_min + i * self.device_interval_min for i in range(self.devices))

    @property
    def route(self) -> PkRoute:
        return PkRoute.NASAL


DoseEvent = Infusion | Bolus | IntramuscularInjection | NasalDose


def event_start_min(event: DoseEvent) -> float:
    return event.start_min if isinstance(event, Infusion) else event.time_min


def event_end_min(event: DoseEvent) -> float:
    if isinstance(event, Infusion):
        return event.end_min
    if isinstance(event, NasalDose):
        return event.device_times_min()[-1]
    return event.time_min


@dataclass(frozen=True)
class Regimen:
    """The administrations of one simulation, in any order and any mix of routes."""

    events: tuple[DoseEvent, ...]

    def __post_init__(self) -> None:
        if not self.events:
            raise ClinicalInputError("the regimen has no doses")

    @classmethod
    def of(cls, events: Iterable[DoseEvent]) -> Regimen:
        return cls(tuple(sorted(events, key=event_start_min)))

    @property
    def routes(self) -> frozenset[PkRoute]:
        return frozenset(e.route for e in self.events)

    @property
    def total_dose_mg(self) -> float:
        return sum(e.dose_mg for e in self.events)

    @property
    def last_start_min(self) -> float:
        return max(event_start_min(e) for e in self.events)

    @property
    def last_end_min(self) -> float:
        return max(event_end_min(e) for e in self.events)

    def repeated(self, count: int, every_min: float) -> Regimen:
        """The same administrations given ``count`` times, ``every_min`` apart (a series)."""
        if count < 1:
            raise ClinicalInputError(f"repeat count must be ≥ 1, got {count}")
        if count > 1 and (not math.isfinite(every_min) or every_min <= 0):
            raise ClinicalInputError("a repeated regimen needs a positive interval")
        if count > 1 and every_min < self.last_end_min - min(
            event_start_min(e) for e in self.events
        ):
            raise ClinicalInputError("repeats would overlap: the interval is shorter than a dose")
        shifted: list[DoseEvent] = []
        for i in range(count):
            shifted.extend(_shift(e, i * every_min) for e in self.events)
        return Regimen.of(shifted)


def _shift(event: DoseEvent, by_min: float) -> DoseEvent:
    if isinstance(event, Infusion):
        return Infusion(event.start_min + by_min, event.duration_min, event.dose_mg)
    if isinstance(event, Bolus):
        return Bolus(event.time_min + by_min, event.dose_mg)
    if isinstance(event, IntramuscularInjection):
        return IntramuscularInjection(event.time_min + by_min, event.dose_mg)
    return NasalDose(event.time_min + by_min, event.devices, event.device_interval_min)


def charted_infusion(
    changes: Sequence[tuple[float, float]], stop_min: float
) -> tuple[Infusion, ...]:
    """Infusion segments from a chart of rate changes.

    ``changes`` lists ``(time_min, rate_mg_per_min)`` as charted (a rate of 0 is a pause);
    the pump stops at ``stop_min``."""
    if not changes:
        raise ClinicalInputError("a charted infusion needs at least one rate")
    times = [t for t, _ in changes] + [stop_min]
    if any(b <= a for a, b in itertools.pairwise(times)):
        raise ClinicalInputError("charted rate changes must be in time order and before the stop")
    segments: list[Infusion] = []
    for (start, rate), end in zip(changes, times[1:], strict=True):
        if not math.isfinite(rate) or rate < 0:
            raise ClinicalInputError(f"an infusion rate must be ≥ 0 mg/min, got {rate}")
        if rate > 0:
            segments.append(Infusion(start, end - start, rate * (end - start)))
    if not segments:
        raise ClinicalInputError("the charted infusion never runs (every rate is 0)")
    return tuple(segments)
