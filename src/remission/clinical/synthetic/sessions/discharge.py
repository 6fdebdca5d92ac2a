"""What a synthetic session's discharge reads and what the nurse charts at it."""

from __future__ import annotations

import datetime as dt

from remission.clinical.monitoring import (
    DischargeCharting,
    DischargeFacts,
    ScoredCheck,
    ScoreItem,
)
from remission.clinical.monitoring.vitals import VitalSigns
from remission.clinical.protocols import MonitoringPlan
from remission.clinical.synthetic.sessions.records import (
    AdverseEventDraw,
    AlertDraw,
    SessionScaleDraw,
    VitalDraw,
)


def discharge_facts(
    plan: MonitoringPlan,
    start: dt.datetime,
    at: dt.datetime,
    dose_end: dt.datetime,
    baseline: VitalSigns,
    baseline_cadss: int | None,
    vitals: list[VitalDraw],
    scales: list[SessionScaleDraw],
    alerts: list[AlertDraw],
    charting: DischargeCharting,
) -> DischargeFacts:
    """What the discharge rule reads of the session as charted by ``at``."""

    def checks(instrument_id: str) -> list[ScoredCheck]:
        return [
            ScoredCheck(s.administered_at, s.total)
            for s in scales
            if s.instrument_id == instrument_id
        ]

    return DischargeFacts(
        plan=plan,
        dose_started_at=start,
        now=at,
        baseline=baseline,
        vitals=[v.signs() for v in vitals if v.measured_at > start],
        moaas=checks("moaas"),
        cadss6=checks("cadss6"),
        dose_ended_at=dose_end,
        baseline_cadss6=baseline_cadss,
        open_alert_codes=tuple(a.alert.code for a in alerts if a.acknowledged_at > at),
        escort_arranged=True,
        charting=charting,
    )


_NAUSEA = frozenset({"nausea", "vomiting"})


def discharge_charting(at: dt.datetime, adverse: list[AdverseEventDraw]) -> DischargeCharting:
    """The nurse's discharge assessment: every item recovered, except nausea or vomiting that
    needed treatment (an adverse event of grade 2) scores PADSS 1 ("moderate"). Both scores'
    hand-charted items are charted, so the clinic's choice reads the same chart."""
    treated = any(e.event_type in _NAUSEA and e.grade >= 2 for e in adverse)
    points = {
        ScoreItem.AMBULATION: 2,
        ScoreItem.NAUSEA_VOMITING: 1 if treated else 2,
        ScoreItem.PAIN: 2,
        ScoreItem.BLEEDING: 2,
        ScoreItem.ACTIVITY: 2,
        ScoreItem.RESPIRATION: 2,
        ScoreItem.CONSCIOUSNESS: 2,
    }
    return DischargeCharting(
        charted_at=at,
        points=points,
        oriented=True,
        escort_present=True,
        driving_advice_given=True,
    )
