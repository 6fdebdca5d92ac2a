"""What a simulated session charts: its readings, scales, alerts and adverse events, as the
chair-side record would hold them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from remission.clinical.monitoring import (
    DischargeAssessment,
    DischargeCharting,
    VitalAlert,
    VitalSigns,
)
from remission.clinical.routes import Route


@dataclass(frozen=True, slots=True)
class VitalDraw:
    check_id: str
    measured_at: dt.datetime
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    heart_rate_bpm: int | None
    spo2_percent: int | None
    respiratory_rate_per_min: int | None

    def signs(self) -> VitalSigns:
        return VitalSigns(
            measured_at=self.measured_at,
            systolic_mmhg=self.systolic_mmhg,
            diastolic_mmhg=self.diastolic_mmhg,
            heart_rate_bpm=self.heart_rate_bpm,
            spo2_percent=self.spo2_percent,
            respiratory_rate_per_min=self.respiratory_rate_per_min,
        )


@dataclass(frozen=True, slots=True)
class SessionScaleDraw:
    instrument_id: str  # "cadss6" or "moaas"
    check_id: str
    administered_at: dt.datetime
    answers: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class AlertDraw:
    """An alert the rules raise on a reading (``vital_index`` into ``vitals``; None for a
    sedation alert on ``scale_index``), and its acknowledgement."""

    alert: VitalAlert
    vital_index: int | None
    scale_index: int | None
    acknowledged_at: dt.datetime
    action_taken: str


@dataclass(frozen=True, slots=True)
class AdverseEventDraw:
    code: str
    event_type: str
    description: str
    grade: int
    onset_at: dt.datetime
    action: str
    outcome: str
    serious: bool = False


@dataclass(frozen=True, slots=True)
class SimulatedSession:
    """Everything charted in one dosing session, in time order within each kind."""

    route: Route
    dose_started_at: dt.datetime
    dose_ended_at: dt.datetime
    device_times: tuple[dt.datetime, ...]
    rate_reduced_at: dt.datetime | None
    rate_reduction_reason: str
    vitals: tuple[VitalDraw, ...]
    scales: tuple[SessionScaleDraw, ...]
    alerts: tuple[AlertDraw, ...]
    adverse_events: tuple[AdverseEventDraw, ...]
    discharge_at: dt.datetime
    discharge: DischargeAssessment
    discharge_charting: DischargeCharting  # the nurse's discharge assessment, at discharge_at
    excursion: bool
    systolic_rise_mmhg: float  # the curve's peak rise (before measurement noise)
    diastolic_rise_mmhg: float
    heart_rate_rise_bpm: float
    baseline_index: int  # the pre-dose reading the alerts compare with
    predose_rechecked: bool = False

    @property
    def baseline(self) -> VitalDraw:
        return self.vitals[self.baseline_index]

    def measured_rise(self) -> tuple[int, int]:
        """Largest systolic and diastolic rise over the pre-dose baseline, as charted."""
        base = self.baseline
        after = [v for v in self.vitals if v.measured_at > self.dose_started_at and v.systolic_mmhg]
        assert base.systolic_mmhg is not None
        assert base.diastolic_mmhg is not None
        if not after:
            return 0, 0
        return (
            max(v.systolic_mmhg or 0 for v in after) - base.systolic_mmhg,
            max(v.diastolic_mmhg or 0 for v in after) - base.diastolic_mmhg,
        )
