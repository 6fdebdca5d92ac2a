"""The treatment protocols a clinic can schedule, declared as data with their sources.

A protocol says what is given (route, drug, default dose), how often (number of dosing
sessions, cadence, minimum interval between doses), which other sessions surround the doses
(KAP preparation and integration), how long a session holds a chair, and what is monitored
during it. Everything here is a default for the prescriber to confirm, not an order.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.protocols import sources
from remission.clinical.protocols.monitoring_plan import (
    PREDOSE_OFFSET_MIN,
    MonitoringPlan,
    esketamine_plan,
    im_plan,
    iv_infusion_plan,
)
from remission.clinical.registry import Overrides
from remission.clinical.routes import Drug, Route, RouteFamily


class SessionKind(enum.StrEnum):
    DOSING = "dosing"
    PREPARATION = "preparation"
    INTEGRATION = "integration"
    CONSULT = "consult"  # a consultation or screening visit, booked by hand, no dose


class Phase(enum.StrEnum):
    INDUCTION = "induction"
    MAINTENANCE = "maintenance"
    BOOSTER = "booster"
    KAP = "kap"


@dataclass(frozen=True, slots=True)
class Cadence:
    """How doses are spread: aim for ``target_gap_days`` apart, at most so many per week.

    The weekly cap counts calendar (ISO) weeks, so "3×/week" lands on Mon/Wed/Fri rather than on
    every other day.
    """

    target_gap_days: int
    max_doses_per_week: int
    text: str


@dataclass(frozen=True, slots=True)
class DoseSpec:
    """The default dose; the dosing module computes the patient's dose, a prescriber signs."""

    text: str
    mg_per_kg: Decimal | None = None
    mg_per_kg_options: tuple[Decimal, ...] = ()
    fixed_mg: int | None = None
    fixed_mg_options: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SessionTiming:
    """How long a session lasts and how long it holds an infusion chair (0: no chair)."""

    kind: SessionKind
    duration_min: int
    chair_occupancy_min: int


# Chair time after the minimum observation: discharge conversation and cleaning the chair.
DISCHARGE_AND_TURNOVER_MIN = 10


@dataclass(frozen=True, slots=True)
class Protocol:
    id: str
    title: str
    phase: Phase
    route: Route | None  # None: a therapy-only protocol, no drug is given
    dose: DoseSpec
    dosing_sessions: int
    cadence: Cadence
    evidence: tuple[Evidence, ...]
    infusion_min: int | None = None
    open_ended: bool = False
    preparation_sessions_before_course: int = 0
    integration_sessions_after_each_dose: int = 0
    dosing_session_min: int = 120
    therapy_session_min: int = 60
    notes: tuple[str, ...] = ()

    @property
    def drug(self) -> Drug | None:
        return None if self.route is None else self.route.drug

    @property
    def min_interval_key(self) -> str:
        if self.route is None:
            raise ClinicalInputError(f"{self.id}: a therapy-only protocol has no doses to space")
        return min_interval_key(self.route.family)

    @property
    def session_count(self) -> int:
        """All sessions of the course: preparation, dosing and integration."""
        therapy = self.preparation_sessions_before_course + (
            self.dosing_sessions * self.integration_sessions_after_each_dose
        )
        return self.dosing_sessions + therapy

    @property
    def session_kinds(self) -> tuple[SessionKind, ...]:
        kinds = [SessionKind.DOSING]
        if self.preparation_sessions_before_course:
            kinds.insert(0, SessionKind.PREPARATION)
        if self.integration_sessions_after_each_dose:
            kinds.append(SessionKind.INTEGRATION)
        return tuple(kinds)

    def min_interval_hours(self, overrides: Overrides | None = None) -> int:
        return int(registry.resolve_decimal(self.min_interval_key, overrides))

    def monitoring_plan(self, overrides: Overrides | None = None) -> MonitoringPlan:
        if self.route is Route.IV_RACEMIC:
            if self.infusion_min is None:
                raise ClinicalInputError(f"{self.id}: an IV protocol needs infusion_min")
            return iv_infusion_plan(self.infusion_min, overrides)
        if self.route is Route.IM_RACEMIC:
            return im_plan(overrides)
        if self.route is Route.ESKETAMINE_NASAL:
            return esketamine_plan(overrides)
        raise ClinicalInputError(f"{self.id}: a therapy-only protocol has no dosing monitoring")

    def chair_occupancy_min(self, overrides: Overrides | None = None) -> int:
        """Chair minutes per dosing session: the booked length, or longer if monitoring needs it."""
        plan = self.monitoring_plan(overrides)
        needed = -PREDOSE_OFFSET_MIN + plan.planned_discharge_offset_min
        return max(self.dosing_session_min, needed + DISCHARGE_AND_TURNOVER_MIN)

    def session_timings(self, overrides: Overrides | None = None) -> tuple[SessionTiming, ...]:
        chair_min = self.chair_occupancy_min(overrides)
        timings = {SessionKind.DOSING: SessionTiming(SessionKind.DOSING, chair_min, chair_min)}
        for kind in (SessionKind.PREPARATION, SessionKind.INTEGRATION):
            timings[kind] = SessionTiming(kind, self.therapy_session_min, 0)
        return tuple(timings[kind] for kind in self.session_kinds)


def min_interval_key(family: RouteFamily) -> str:
    """The registry key of a route family's minimum interval (the family code is in the key)."""
    return f"protocols.{family.value}.min_interval_hours"


_MIN_INTERVAL = sources.convention(
    "no trial sets a minimum interval between doses; 48 h keeps the Mon/Wed/Fri rhythm of "
    "Murrough 2013 and Phillips 2019 and excludes doses on consecutive days"
)
for _family, _doses in (
    (RouteFamily.IV, "IV"),
    (RouteFamily.IM, "IM"),
    (RouteFamily.ESKETAMINE_NASAL, "esketamine"),
):
    registry.define(
        min_interval_key(_family),
        48,
        unit="h",
        title=f"Minimum time between two {_doses} doses (dose start to dose start)",
        evidence=_MIN_INTERVAL,
        minimum=24,
        maximum=24 * 28,
    )

_IV_DOSE = DoseSpec(
    text="Racemic ketamine 0.5 mg/kg over 40 min (clinic range 0.5–1.0 mg/kg)",
    mg_per_kg=Decimal("0.5"),
)
_IM_DOSE = DoseSpec(
    text="Racemic ketamine 0.25 or 0.5 mg/kg IM (Chilukuri 2014)",
    mg_per_kg=Decimal("0.5"),
    mg_per_kg_options=(Decimal("0.25"), Decimal("0.5")),
)
_ESKETAMINE_LATER_DOSE = DoseSpec(
    text="56 or 84 mg (2 or 3 devices of 28 mg, 5 min apart)",
    fixed_mg_options=(56, 84),
)
_NO_MAINTENANCE_SCHEDULE = (
    "No validated maintenance schedule exists; frequency is individualised by the prescriber."
)

THREE_TIMES_WEEKLY = Cadence(2, 3, "3×/week (e.g. Mon/Wed/Fri)")
TWICE_WEEKLY = Cadence(3, 2, "2×/week (e.g. Mon/Thu)")
WEEKLY = Cadence(7, 1, "weekly")
EVERY_TWO_WEEKS = Cadence(14, 1, "every 2 weeks")
SINGLE_SESSION = Cadence(7, 1, "one session")

_ALL = (
    Protocol(
        id="iv-induction-3x-weekly",
        title="IV ketamine induction: 6 infusions, 3×/week over about 2 weeks",
        phase=Phase.INDUCTION,
        route=Route.IV_RACEMIC,
        dose=_IV_DOSE,
        dosing_sessions=6,
        cadence=THREE_TIMES_WEEKLY,
        infusion_min=40,
        evidence=(sources.MURROUGH_2013, sources.PHILLIPS_2019),
    ),
    Protocol(
        id="iv-induction-2x-weekly",
        title="IV ketamine induction: 6 infusions, 2×/week over 3 weeks",
        phase=Phase.INDUCTION,
        route=Route.IV_RACEMIC,
        dose=_IV_DOSE,
        dosing_sessions=6,
        cadence=TWICE_WEEKLY,
        infusion_min=40,
        evidence=(sources.ELEKT_D_2023,),
    ),
    Protocol(
        id="iv-maintenance",
        title="IV ketamine maintenance: 4 weekly infusions",
        phase=Phase.MAINTENANCE,
        route=Route.IV_RACEMIC,
        dose=_IV_DOSE,
        dosing_sessions=4,
        cadence=WEEKLY,
        infusion_min=40,
        open_ended=True,
        evidence=(sources.PHILLIPS_2019, sources.NO_VALIDATED_MAINTENANCE),
        notes=(_NO_MAINTENANCE_SCHEDULE,),
    ),
    Protocol(
        id="iv-booster",
        title="IV ketamine booster: one infusion when the booster rule fires",
        phase=Phase.BOOSTER,
        route=Route.IV_RACEMIC,
        dose=_IV_DOSE,
        dosing_sessions=1,
        cadence=SINGLE_SESSION,
        infusion_min=40,
        evidence=(
            sources.NO_VALIDATED_MAINTENANCE,
            sources.convention("booster triggers (e.g. PHQ-9 rising ≥5 points) are not evidence"),
        ),
        notes=("A booster is a prescriber's decision; the booster rule only suggests one.",),
    ),
    Protocol(
        id="im-induction",
        title="IM ketamine induction: 6 injections, 2×/week",
        phase=Phase.INDUCTION,
        route=Route.IM_RACEMIC,
        dose=_IM_DOSE,
        dosing_sessions=6,
        cadence=TWICE_WEEKLY,
        dosing_session_min=90,
        evidence=(
            sources.CHILUKURI_2014,
            sources.convention("IM series frequency; Chilukuri 2014 studied single doses"),
        ),
        notes=("The IM dose is from Chilukuri 2014; the number and frequency are a convention.",),
    ),
    Protocol(
        id="esketamine-induction",
        title="Esketamine induction: weeks 1–4, twice weekly",
        phase=Phase.INDUCTION,
        route=Route.ESKETAMINE_NASAL,
        dose=DoseSpec(
            text="Day 1: 56 mg; later sessions 56 or 84 mg",
            fixed_mg=56,
            fixed_mg_options=(56, 84),
        ),
        dosing_sessions=8,
        cadence=TWICE_WEEKLY,
        dosing_session_min=150,
        evidence=(sources.SPRAVATO_DOSING, sources.SPRAVATO_REMS),
        notes=("Check for therapeutic benefit at the end of induction (label).",),
    ),
    Protocol(
        id="esketamine-maintenance-weekly",
        title="Esketamine maintenance: weeks 5–8, weekly",
        phase=Phase.MAINTENANCE,
        route=Route.ESKETAMINE_NASAL,
        dose=_ESKETAMINE_LATER_DOSE,
        dosing_sessions=4,
        cadence=WEEKLY,
        dosing_session_min=150,
        evidence=(sources.SPRAVATO_DOSING, sources.SPRAVATO_REMS),
        notes=("From week 9 a weekly schedule can continue with more sessions.",),
    ),
    Protocol(
        id="esketamine-maintenance",
        title="Esketamine maintenance: week 9 on, every 2 weeks (or weekly)",
        phase=Phase.MAINTENANCE,
        route=Route.ESKETAMINE_NASAL,
        dose=_ESKETAMINE_LATER_DOSE,
        dosing_sessions=6,
        cadence=EVERY_TWO_WEEKS,
        open_ended=True,
        dosing_session_min=150,
        evidence=(sources.SPRAVATO_DOSING, sources.SPRAVATO_REMS),
        notes=(
            "Use the least frequent dosing that keeps response or remission (label); "
            "6 sessions is a planning horizon, not a course length.",
        ),
    ),
    Protocol(
        id="kap",
        title="Ketamine-assisted psychotherapy: preparation, then weekly dosing each followed by "
        "integration",
        phase=Phase.KAP,
        route=Route.IM_RACEMIC,
        dose=_IM_DOSE,
        dosing_sessions=6,
        cadence=WEEKLY,
        preparation_sessions_before_course=1,
        integration_sessions_after_each_dose=1,
        therapy_session_min=60,
        evidence=(
            sources.JOURNEY_CLINICAL_KAP,
            sources.ASKP3_STANDARDS,
            sources.convention(
                "one preparation session before the course, one integration session after "
                "each dose, 6 weekly dosing sessions"
            ),
        ),
        notes=(
            "The session pattern is a convention; clinics also dose by IV or sublingually.",
            "Preparation and integration sessions use a therapy room, not an infusion chair.",
        ),
    ),
)

PROTOCOLS: Mapping[str, Protocol] = types.MappingProxyType({p.id: p for p in _ALL})


def get_protocol(protocol_id: str) -> Protocol:
    try:
        return PROTOCOLS[protocol_id]
    except KeyError:
        known = ", ".join(PROTOCOLS)
        raise ClinicalInputError(f"unknown protocol {protocol_id!r}; known: {known}") from None


def all_protocols() -> tuple[Protocol, ...]:
    return tuple(PROTOCOLS.values())
