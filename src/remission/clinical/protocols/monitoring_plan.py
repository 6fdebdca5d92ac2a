"""What is checked during a dosing session, and when: the chair-side flowsheet of a protocol.

Offsets are minutes from the start of the dose: the start of an IV infusion, the injection for
IM, the first nasal device for esketamine (the REMS counts monitoring time from the first
device). Negative offsets are pre-dose checks. Instruments are named by id (``vitals``,
``spo2``, ``moaas``, ``cadss6``) so the plan does not depend on the instrument modules.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.protocols import sources
from remission.clinical.protocols.datetimes import require_aware
from remission.clinical.registry import Overrides

VITALS = "vitals"  # blood pressure, heart rate, SpO2, respiratory rate
SPO2 = "spo2"  # pulse oximetry reading only
MOAAS = "moaas"  # sedation: Modified Observer's Assessment of Alertness/Sedation
CADSS6 = "cadss6"  # dissociation: 6-item CADSS
CHECK_INSTRUMENT_LABELS = {
    VITALS: "Vital signs",
    SPO2: "Pulse oximetry",
    MOAAS: "Sedation (MOAA/S)",
    CADSS6: "Dissociation (CADSS-6)",
}

# The baseline is charted shortly before the dose; it has to be done by the time the dose starts.
PREDOSE_OFFSET_MIN = -10
# The label asks for BP about 40 min after the dose, when it peaks.
ESKETAMINE_BP_CHECK_MIN = 40
# IM effects peak early (Chilukuri 2014: side effects lasting under an hour).
IM_DISSOCIATION_CHECK_MIN = 30


class CheckPhase(enum.StrEnum):
    PRE_DOSE = "pre_dose"
    DURING_DOSE = "during_dose"
    END_OF_DOSE = "end_of_dose"
    POST_DOSE = "post_dose"
    DISCHARGE = "discharge"


class ObservationFrom(enum.StrEnum):
    """What the minimum observation time counts from."""

    DOSE_START = "dose_start"
    DOSE_END = "dose_end"


@dataclass(frozen=True, slots=True)
class PlannedCheck:
    """One check on the flowsheet; ``check_id`` is stable and names instrument and offset."""

    check_id: str
    instrument: str
    offset_min: int
    phase: CheckPhase
    label: str
    evidence: Evidence

    @property
    def title(self) -> str:
        """The check as a screen names it, with its time from the dose start (the human label
        of its ``check_id``; the plan's labels repeat from check to check)."""
        if self.phase is CheckPhase.PRE_DOSE:
            return f"{self.label}"
        return f"{self.label}, {self.offset_min} min after the start"


def check_title(check_id: str) -> str | None:
    """The human label of a check id (``vitals@+15``: "Vital signs, 15 min after the start");
    None for a string that is no check id."""
    instrument, _, offset = check_id.partition("@")
    if instrument not in CHECK_INSTRUMENT_LABELS or not re.fullmatch(r"[+-]\d+", offset):
        return None
    minutes = int(offset)
    when = "before the dose" if minutes < 0 else f"{minutes} min after the start"
    return f"{CHECK_INSTRUMENT_LABELS[instrument]}, {when}"


@dataclass(frozen=True, slots=True)
class MonitoringPlan:
    """The checks of one dosing session and the minimum observation before discharge."""

    title: str
    dose_duration_min: int
    checks: tuple[PlannedCheck, ...]
    min_observation_min: int
    observation_from: ObservationFrom
    observation_evidence: Evidence
    continuous: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def planned_discharge_offset_min(self) -> int:
        """Minutes from dose start to the earliest discharge when the dose runs as planned."""
        start = self.dose_duration_min if self.observation_from is ObservationFrom.DOSE_END else 0
        return start + self.min_observation_min

    def check(self, check_id: str) -> PlannedCheck:
        for planned in self.checks:
            if planned.check_id == check_id:
                return planned
        raise ClinicalInputError(f"check {check_id!r} is not on this monitoring plan")

    def observation_ends_at(
        self, dose_started_at: dt.datetime, dose_ended_at: dt.datetime | None
    ) -> dt.datetime | None:
        """The end of the minimum observation, or None while an infusion has not ended."""
        start = require_aware(dose_started_at, "dose_started_at")
        if self.observation_from is ObservationFrom.DOSE_START:
            return start + dt.timedelta(minutes=self.min_observation_min)
        if dose_ended_at is None:
            return None
        end = require_aware(dose_ended_at, "dose_ended_at")
        if end < start:
            raise ClinicalInputError("dose_ended_at is before dose_started_at")
        return end + dt.timedelta(minutes=self.min_observation_min)


_SOP_NOTE = (
    "These are the minimum checks; staff may chart more often and act on any reading they judge "
    "abnormal."
)

IV_VITALS_DURING_KEY = "protocols.iv.vitals_interval_during_infusion_min"
IV_VITALS_AFTER_KEY = "protocols.iv.vitals_interval_after_infusion_min"
IV_OBSERVATION_KEY = "protocols.iv.observation_after_infusion_min"
IM_VITALS_KEY = "protocols.im.vitals_interval_min"
IM_OBSERVATION_KEY = "protocols.im.observation_min"
ESKETAMINE_SEDATION_KEY = "protocols.esketamine_nasal.sedation_check_interval_min"
ESKETAMINE_OBSERVATION_KEY = "protocols.esketamine_nasal.observation_min"

registry.define(
    IV_VITALS_DURING_KEY,
    15,
    unit="min",
    title="IV: vital signs every … minutes during the infusion",
    evidence=sources.convention(
        "every 15 min (10 is common); Riva-Posse 2018 and Yale 2024 measured BP every 10 min "
        "during the infusion [src]"
    ),
    minimum=5,
    maximum=20,
)
registry.define(
    IV_VITALS_AFTER_KEY,
    15,
    unit="min",
    title="IV: vital signs every … minutes after the infusion until discharge",
    evidence=sources.IV_BP_EVERY_10_15_MIN,
    minimum=5,
    maximum=60,
)
registry.define(
    IV_OBSERVATION_KEY,
    60,
    unit="min",
    title="IV: minimum observation after the end of the infusion",
    evidence=sources.convention(
        "30–60 min after the infusion ends; BP is mostly back to baseline within 1.5 h "
        "(Szarmach 2020) and acute effects resolve by ~1.5–2 h"
    ),
    minimum=15,
    maximum=240,
)
registry.define(
    IM_VITALS_KEY,
    15,
    unit="min",
    title="IM: vital signs and sedation every … minutes after the injection",
    evidence=sources.convention("the IV post-infusion cadence, applied to IM dosing"),
    minimum=5,
    maximum=30,
)
registry.define(
    IM_OBSERVATION_KEY,
    60,
    unit="min",
    title="IM: minimum observation after the injection",
    evidence=sources.convention(
        "60 min; Chilukuri 2014 reports IM side effects lasting less than an hour"
    ),
    minimum=30,
    maximum=240,
)
registry.define(
    ESKETAMINE_SEDATION_KEY,
    15,
    unit="min",
    title="Esketamine: pulse oximetry and sedation (MOAA/S) every … minutes",
    evidence=sources.convention(
        "the REMS requires pulse oximetry and sedation monitoring but sets no interval"
    ),
    minimum=5,
    maximum=30,
)
registry.define(
    ESKETAMINE_OBSERVATION_KEY,
    120,
    unit="min",
    title="Esketamine: minimum observation from the first device (never below the REMS 2 h)",
    evidence=sources.SPRAVATO_MONITORING,
    minimum=120,
    maximum=480,
)


def _at(
    phase: CheckPhase, instrument: str, offset_min: int, label: str, evidence: Evidence
) -> PlannedCheck:
    return PlannedCheck(
        check_id=f"{instrument}@{offset_min:+d}",
        instrument=instrument,
        offset_min=offset_min,
        phase=phase,
        label=label,
        evidence=evidence,
    )


PRE = CheckPhase.PRE_DOSE
POST = CheckPhase.POST_DOSE


def _sorted(checks: list[PlannedCheck]) -> tuple[PlannedCheck, ...]:
    order = {VITALS: 0, SPO2: 1, MOAAS: 2, CADSS6: 3}
    return tuple(sorted(checks, key=lambda c: (c.offset_min, order[c.instrument])))


def _int(key: str, overrides: Overrides | None) -> int:
    return int(registry.resolve_decimal(key, overrides))


def iv_infusion_plan(infusion_min: int, overrides: Overrides | None = None) -> MonitoringPlan:
    """IV infusion: baseline, every 10–15 min during, end of infusion, after, discharge."""
    if infusion_min <= 0:
        raise ClinicalInputError(f"infusion_min must be positive, got {infusion_min}")
    during_every = _int(IV_VITALS_DURING_KEY, overrides)
    after_every = _int(IV_VITALS_AFTER_KEY, overrides)
    observation = _int(IV_OBSERVATION_KEY, overrides)
    discharge = infusion_min + observation
    timing = sources.IV_BP_EVERY_10_15_MIN
    during_timing = registry.get(IV_VITALS_DURING_KEY).evidence
    convention = sources.convention("sedation and dissociation scored at fixed points")
    checks = [
        _at(PRE, VITALS, PREDOSE_OFFSET_MIN, "Baseline vital signs before the infusion", timing)
    ]
    for offset in range(during_every, infusion_min, during_every):
        checks.append(
            _at(
                CheckPhase.DURING_DOSE, VITALS, offset, "Vital signs during infusion", during_timing
            )
        )
        checks.append(
            _at(CheckPhase.DURING_DOSE, MOAAS, offset, "Sedation during infusion", convention)
        )
    end = CheckPhase.END_OF_DOSE
    checks.append(_at(end, VITALS, infusion_min, "Vital signs at end of infusion", timing))
    checks.append(_at(end, MOAAS, infusion_min, "Sedation at end of infusion", convention))
    checks.append(_at(end, CADSS6, infusion_min, "Dissociation at end of infusion", convention))
    for offset in range(infusion_min + after_every, discharge, after_every):
        checks.append(_at(POST, VITALS, offset, "Vital signs after infusion", timing))
    checks += _discharge_checks(discharge, timing, convention)
    return MonitoringPlan(
        title=f"IV infusion over {infusion_min} min",
        dose_duration_min=infusion_min,
        checks=_sorted(checks),
        min_observation_min=observation,
        observation_from=ObservationFrom.DOSE_END,
        observation_evidence=registry.get(IV_OBSERVATION_KEY).evidence,
        # APA consensus as summarised [2nd]: continuous respiratory and cardiovascular checks
        continuous=("pulse oximetry",),
        notes=(_SOP_NOTE,),
    )


def im_plan(overrides: Overrides | None = None) -> MonitoringPlan:
    """IM injection: baseline, vital signs and sedation at intervals, dissociation, discharge."""
    every = _int(IM_VITALS_KEY, overrides)
    observation = _int(IM_OBSERVATION_KEY, overrides)
    cadence = registry.get(IM_VITALS_KEY).evidence
    convention = sources.convention("dissociation scored 30 min after an IM dose")
    checks = [
        _at(PRE, VITALS, PREDOSE_OFFSET_MIN, "Baseline vital signs before the injection", cadence)
    ]
    for offset in range(every, observation, every):
        checks.append(_at(POST, VITALS, offset, "Vital signs after injection", cadence))
        checks.append(_at(POST, MOAAS, offset, "Sedation after injection", cadence))
    if observation > IM_DISSOCIATION_CHECK_MIN:
        checks.append(
            _at(POST, CADSS6, IM_DISSOCIATION_CHECK_MIN, "Dissociation after injection", convention)
        )
    checks += _discharge_checks(observation, cadence, convention)
    return MonitoringPlan(
        title="IM injection",
        dose_duration_min=0,
        checks=_sorted(checks),
        min_observation_min=observation,
        observation_from=ObservationFrom.DOSE_START,
        observation_evidence=registry.get(IM_OBSERVATION_KEY).evidence,
        continuous=("pulse oximetry",),
        notes=(_SOP_NOTE,),
    )


def esketamine_plan(overrides: Overrides | None = None) -> MonitoringPlan:
    """Esketamine: BP before the dose, ~40 min after and before discharge; pulse oximetry."""
    every = _int(ESKETAMINE_SEDATION_KEY, overrides)
    observation = _int(ESKETAMINE_OBSERVATION_KEY, overrides)
    label = sources.SPRAVATO_MONITORING
    rems = sources.SPRAVATO_REMS
    cadence = registry.get(ESKETAMINE_SEDATION_KEY).evidence
    checks = [
        _at(
            PRE,
            VITALS,
            PREDOSE_OFFSET_MIN,
            "Blood pressure and SpO2 before the first device",
            label,
        ),
        _at(POST, VITALS, ESKETAMINE_BP_CHECK_MIN, "Blood pressure ~40 min after the dose", label),
        _at(POST, CADSS6, ESKETAMINE_BP_CHECK_MIN, "Dissociation ~40 min after the dose", rems),
    ]
    for offset in range(every, observation, every):
        checks.append(_at(POST, SPO2, offset, "Pulse oximetry", cadence))
        checks.append(_at(POST, MOAAS, offset, "Sedation", cadence))
    checks += _discharge_checks(observation, label, rems)
    return MonitoringPlan(
        title="Esketamine nasal spray (REMS)",
        dose_duration_min=0,
        checks=_sorted(checks),
        min_observation_min=observation,
        observation_from=ObservationFrom.DOSE_START,
        observation_evidence=label,
        continuous=("pulse oximetry (REMS)", "prescriber on site (REMS)"),
        notes=(
            "Recheck blood pressure as clinically warranted until it is consistently at a safe "
            "level (label).",
            "The REMS Patient Monitoring Form is due within 7 days of the session.",
        ),
    )


def _discharge_checks(offset_min: int, vitals: Evidence, other: Evidence) -> list[PlannedCheck]:
    phase = CheckPhase.DISCHARGE
    return [
        _at(phase, VITALS, offset_min, "Vital signs before discharge", vitals),
        _at(phase, MOAAS, offset_min, "Sedation resolved before discharge", other),
        _at(phase, CADSS6, offset_min, "Dissociation resolved before discharge", other),
    ]
