"""One simulated dosing session: the dose, every check of the plan, dissociation and
sedation (c), alerts and their rechecks, adverse events, discharge."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from remission.clinical.monitoring import (
    DischargeAssessment,
    DischargeCharting,
    PredoseStatus,
    Severity,
    VitalAlert,
    evaluate_discharge,
    evaluate_sedation,
    evaluate_vitals,
    predose_check,
)
from remission.clinical.protocols import MonitoringPlan
from remission.clinical.protocols.monitoring_plan import CADSS6, MOAAS, SPO2, VITALS
from remission.clinical.registry import Overrides
from remission.clinical.routes import Route
from remission.clinical.synthetic.sessions.adverse_events import (
    ADVERSE_EVENTS,
    AE_ACTIONS,
    DEFAULT_ACTION,
    GRADE_2_SHARE,
    ONSET_MINUTES,
    AdverseEventProfile,
    events_this_session,
)
from remission.clinical.synthetic.sessions.course import spread_total
from remission.clinical.synthetic.sessions.discharge import discharge_charting, discharge_facts
from remission.clinical.synthetic.sessions.draws import clip, clip_float
from remission.clinical.synthetic.sessions.records import (
    AdverseEventDraw,
    AlertDraw,
    SessionScaleDraw,
    SimulatedSession,
    VitalDraw,
)
from remission.clinical.synthetic.sessions.vitals import (
    ACKNOWLEDGE_MINUTES,
    BP_RISE_CHARTED_AS_EVENT,
    DIASTOLIC_READING_SD,
    DIASTOLIC_RISE_FROM_SYSTOLIC,
    DIASTOLIC_RISE_SD,
    DIASTOLIC_SESSION_SD,
    EXCURSION_DIASTOLIC,
    EXCURSION_SYSTOLIC,
    EXCURSION_SYSTOLIC_SHARE,
    HEART_RATE_READING_SD,
    HEART_RATE_RISE_MEAN,
    HEART_RATE_RISE_MIN,
    HEART_RATE_RISE_SD,
    HEART_RATE_SESSION_RANGE,
    HEART_RATE_SESSION_SD,
    PEAK_MINUTES,
    RECHECK_MINUTES,
    RETURN_HALF_LIFE_MINUTES,
    SPO2_DIP_RATE,
    SYSTOLIC_READING_SD,
    SYSTOLIC_RISE_BASE,
    SYSTOLIC_RISE_HYPERTENSION,
    SYSTOLIC_RISE_PER_YEAR_OVER_45,
    SYSTOLIC_RISE_SESSION_SD,
    SYSTOLIC_SESSION_SD,
    Physiology,
    excursion_rate,
)

# --- (c) Dissociation and sedation --------------------------------------------------------------

CADSS6_ITEMS, CADSS6_ITEM_MAX = 6, 4
CADSS6_ITEM_WEIGHTS = (1.2, 1.3, 1.0, 0.8, 1.1, 0.5)
# Peak CADSS-6 total (0–24) of a session: dissociation is near-universal on the CADSS at
# 0.5 mg/kg IV (§7.1 [src]) and 61–75 % of esketamine patients had dissociative changes on it
# (label 5.2, §2.2 [src]); the sizes on the 6-item total are our assumption [?] (no bands
# exist, §5). Mean, SD by route; attenuating 8 % a session over the first five (reported for
# repeated dosing [mem]).
CADSS6_PEAK: Mapping[Route, tuple[float, float]] = {
    Route.IV_RACEMIC: (6.0, 3.5),
    Route.IM_RACEMIC: (5.0, 3.0),
    Route.ESKETAMINE_NASAL: (5.0, 3.5),
}
CADSS6_ATTENUATION_PER_SESSION, CADSS6_ATTENUATION_SESSIONS = 0.08, 5
# A session with a dissociation adverse event peaks at 9–14: [?].
CADSS6_AE_PEAK = (9, 14)
# Peak time: near the end of a 40-min infusion (§7.1 [mem]); esketamine ~30–40 min, IM
# 15–25 min [?]. Resolution half-life 12 min: acute effects resolve by ~1.5–2 h (§7.1,
# TRANSFORM-2 by 1.5 h [src]); the half-life itself is ours [?].
CADSS6_PEAK_MINUTES: Mapping[Route, tuple[float, float]] = {
    Route.IV_RACEMIC: (35.0, 42.0),
    Route.IM_RACEMIC: (15.0, 25.0),
    Route.ESKETAMINE_NASAL: (30.0, 40.0),
}
CADSS6_HALF_LIFE_MINUTES = 12.0
# Pre-dose CADSS-6: 0 in 85 %, 1 in 12 %, 2 in 3 % (anticipatory anxiety) [?].
CADSS6_PREDOSE_WEIGHTS = (85, 12, 3)
# MOAA/S stays 5 except a rare transient 4 (slow response) or 3, back to 5 by the next check:
# sedation measured with the MOAA/S; 0.3 % lost consciousness on esketamine (label 5.1, §2.2
# [src]); the rates on 0.5 mg/kg IV and IM are our assumptions [?]. A sedation adverse event
# also shows as a 4.
MOAAS_TRANSIENT_4: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.04,
    Route.IM_RACEMIC: 0.05,
    Route.ESKETAMINE_NASAL: 0.05,
}
MOAAS_TRANSIENT_3 = 0.004


# --- One simulated session ---------------------------------------------------------------------


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def _rise_shape(minute: float, peak: float, half_life: float) -> float:
    """0 before the dose, linear to 1 at the peak, then halving every ``half_life``."""
    if minute <= 0:
        return 0.0
    if minute <= peak:
        return minute / peak
    return 0.5 ** ((minute - peak) / half_life)


@dataclass(slots=True)
class _Curve:
    """This session's resting values and pressor rise."""

    systolic: float
    diastolic: float
    heart_rate: float
    spo2: float
    respiratory: float
    rise_systolic: float
    rise_diastolic: float
    rise_heart_rate: float
    peak_min: float
    half_life_min: float
    capped: bool = True  # readings stay below the excursion level (not an excursion session)


@dataclass(slots=True)
class _Raw:
    """A planned reading: when, what is measured, and its measurement noise."""

    check_id: str
    at: dt.datetime
    full: bool  # BP, pulse, SpO2 and respiratory rate; else pulse oximetry only
    noise_systolic: float
    noise_diastolic: float
    noise_heart_rate: float
    spo2: int
    respiratory: int
    predose: bool = False
    settled: bool = False  # a recheck after rest (kept within the hold and discharge limits)


def _raw(rng: random.Random, curve: _Curve, check_id: str, at: dt.datetime, *, full: bool) -> _Raw:
    return _Raw(
        check_id=check_id,
        at=at,
        full=full,
        noise_systolic=rng.gauss(0, SYSTOLIC_READING_SD),
        noise_diastolic=rng.gauss(0, DIASTOLIC_READING_SD),
        noise_heart_rate=rng.gauss(0, HEART_RATE_READING_SD),
        spo2=clip(round(curve.spo2 + rng.uniform(-1.0, 0.6)), 93, 100),
        respiratory=clip(round(curve.respiratory + rng.gauss(0, 1.0)), 10, 22),
    )


def _shape_at(curve: _Curve, raw: _Raw, start: dt.datetime) -> float:
    if raw.predose:
        return 0.0
    minute = (raw.at - start).total_seconds() / 60
    return _rise_shape(minute, curve.peak_min, curve.half_life_min)


def _materialise(curve: _Curve, raw: _Raw, start: dt.datetime) -> VitalDraw:
    shape = _shape_at(curve, raw, start)
    heart = round(curve.heart_rate + curve.rise_heart_rate * shape + raw.noise_heart_rate)
    heart = clip(heart, 52, 108) if raw.settled else clip(heart, 45, 140)
    if not raw.full:
        return VitalDraw(raw.check_id, raw.at, None, None, heart, raw.spo2, None)
    systolic = round(curve.systolic + curve.rise_systolic * shape + raw.noise_systolic)
    diastolic = round(curve.diastolic + curve.rise_diastolic * shape + raw.noise_diastolic)
    if raw.settled:  # within the pre-dose and discharge limits, above the hypotension ones
        systolic, diastolic = clip(systolic, 96, 157), clip(diastolic, 56, 97)
    if curve.capped:
        systolic = min(systolic, EXCURSION_SYSTOLIC - 1)
        diastolic = min(diastolic, EXCURSION_DIASTOLIC - 1)
    diastolic = min(diastolic, systolic - 20)
    return VitalDraw(raw.check_id, raw.at, systolic, diastolic, heart, raw.spo2, raw.respiratory)


def simulate_session(
    rng: random.Random,
    *,
    route: Route | None,
    plan: MonitoringPlan,
    physiology: Physiology,
    dose_started_at: dt.datetime,
    session_index: int,
    adverse_events: AdverseEventProfile | None = None,
    devices: int = 2,
    overrides: Overrides | None = None,
) -> SimulatedSession:
    """One dosing session charted at the plan's checks: pre-dose vitals and CADSS-6, the dose,
    vitals / SpO2 / MOAA/S / CADSS-6 at every check, rechecks after urgent alerts, adverse
    events, and discharge when the rules say the patient is ready.

    The draws happen in one fixed order (the steps below), so a seed gives the same session.
    """
    if route is None:
        raise ValueError("a therapy-only session has no dosing")
    start = dose_started_at
    curve = _session_curve(rng, route, physiology)
    excursion = rng.random() < excursion_rate(physiology, session_index)
    events = events_this_session(rng, adverse_events, session_index)
    dose_end, device_times = _dose_times(rng, route, plan, start, devices)
    pre = _predose(rng, curve, start, overrides)
    raws, scales = pre.raws, pre.scales
    sedation = _post_dose_checks(
        rng, route, plan, curve, start, dose_end, session_index, events, raws, scales
    )
    _settle_the_rise(rng, curve, raws, start, excursion)
    vitals = [_materialise(curve, raw, start) for raw in raws]
    charted = _alerts_with_rechecks(
        rng, route, curve, vitals, pre.baseline_index, start, dose_end, overrides
    )
    alerts = charted.alerts
    scales.sort(key=lambda s: s.administered_at)
    alerts += _sedation_alerts(rng, route, scales, dose_end, overrides)
    adverse = _all_adverse_events(
        rng, route, events, start, alerts, charted.rate_reduced_at is not None, sedation
    )
    discharge_at, discharge, discharge_charting = _discharge(
        rng,
        route=route,
        plan=plan,
        curve=curve,
        vitals=vitals,
        scales=scales,
        alerts=alerts,
        start=start,
        dose_end=dose_end,
        baseline_index=pre.baseline_index,
        adverse=adverse,
        overrides=overrides,
    )
    return SimulatedSession(
        route=route,
        dose_started_at=start,
        dose_ended_at=dose_end,
        device_times=device_times,
        rate_reduced_at=charted.rate_reduced_at,
        rate_reduction_reason=charted.reason,
        vitals=tuple(vitals),
        scales=tuple(scales),
        alerts=tuple(alerts),
        adverse_events=tuple(adverse),
        discharge_at=discharge_at,
        discharge=discharge,
        discharge_charting=discharge_charting,
        excursion=excursion,
        systolic_rise_mmhg=curve.rise_systolic,
        diastolic_rise_mmhg=curve.rise_diastolic,
        heart_rate_rise_bpm=curve.rise_heart_rate,
        baseline_index=pre.baseline_index,
        predose_rechecked=pre.rechecked,
    )


def _dose_times(
    rng: random.Random, route: Route, plan: MonitoringPlan, start: dt.datetime, devices: int
) -> tuple[dt.datetime, tuple[dt.datetime, ...]]:
    """When the dose ends, and when each nasal device was given."""
    if route is Route.IV_RACEMIC:
        # The pump stops when the volume to be infused is in: at the ordered duration.
        return start + _minutes(plan.dose_duration_min), ()
    if route is Route.ESKETAMINE_NASAL:
        times = [start]
        for _ in range(devices - 1):
            times.append(times[-1] + _minutes(5 + rng.randint(0, 1)))
        return times[-1], tuple(times)
    return start, ()


@dataclass
class _Predose:
    raws: list[_Raw]
    scales: list[SessionScaleDraw]
    baseline_index: int
    rechecked: bool


def _predose(
    rng: random.Random, curve: _Curve, start: dt.datetime, overrides: Overrides | None
) -> _Predose:
    """Pre-dose vitals (rechecked after rest if the rules would hold the dose) and CADSS-6."""
    raws: list[_Raw] = []
    pre_at = start - _minutes(rng.randint(11, 15))
    first = _raw(rng, curve, "vitals@-10", pre_at, full=True)
    first.predose = True
    raws.append(first)
    rechecked = False
    if predose_check(_materialise(curve, first, start).signs(), overrides).status is (
        PredoseStatus.HOLD
    ):
        rechecked = True
        recheck = _raw(rng, curve, "", start - _minutes(rng.randint(3, 5)), full=True)
        recheck.predose = recheck.settled = True
        recheck.noise_systolic -= 6  # after rest
        recheck.noise_diastolic -= 3
        raws.append(recheck)
    predose_cadss = rng.choices((0, 1, 2), weights=CADSS6_PREDOSE_WEIGHTS)[0]
    cadss_at = max(start - _minutes(rng.randint(5, 8)), pre_at + _minutes(1))
    scales = [_scale(rng, "cadss6", "", cadss_at, predose_cadss)]
    return _Predose(raws, scales, len(raws) - 1, rechecked)


@dataclass(frozen=True)
class _SedationDip:
    offset_min: int | None
    score: int


def _post_dose_checks(
    rng: random.Random,
    route: Route,
    plan: MonitoringPlan,
    curve: _Curve,
    start: dt.datetime,
    dose_end: dt.datetime,
    session_index: int,
    events: Collection[str],
    raws: list[_Raw],
    scales: list[SessionScaleDraw],
) -> _SedationDip:
    """Every check of the plan after the dose starts, appended to ``raws`` and ``scales``."""
    dissociation_peak = _dissociation_peak(rng, route, session_index, "dissociation" in events)
    cadss_peak_min = rng.uniform(*CADSS6_PEAK_MINUTES[route])
    post_checks = [c for c in plan.checks if c.offset_min >= 0]
    moaas_offsets = [c.offset_min for c in post_checks if c.instrument == MOAAS]
    sedated_offset, sedated_score = _sedation_dip(rng, route, moaas_offsets, "sedation" in events)
    oximetry = [c.offset_min for c in post_checks if c.instrument in (VITALS, SPO2)]
    dip_offset = None
    if rng.random() < SPO2_DIP_RATE and oximetry:
        dip_offset = rng.choice([o for o in oximetry if o <= 60] or oximetry)
    for check in post_checks:
        at = start + _minutes(check.offset_min + rng.randint(0, 3))
        if at < dose_end and check.offset_min >= plan.dose_duration_min > 0:
            at = dose_end  # the end-of-infusion check waits for the pump
        if check.instrument in (VITALS, SPO2):
            raw = _raw(rng, curve, check.check_id, at, full=check.instrument == VITALS)
            if check.offset_min == dip_offset:
                raw.spo2 = rng.randint(88, 91)
                dip_offset = None
            raws.append(raw)
        elif check.instrument == MOAAS:
            score = sedated_score if check.offset_min == sedated_offset else 5
            scales.append(_scale(rng, "moaas", check.check_id, at, score))
        elif check.instrument == CADSS6:
            minute = (at - start).total_seconds() / 60
            total = _dissociation_at(dissociation_peak, minute, cadss_peak_min)
            scales.append(_scale(rng, "cadss6", check.check_id, at, total))
    return _SedationDip(sedated_offset, sedated_score)


@dataclass
class _ChartedAlerts:
    alerts: list[AlertDraw]
    rate_reduced_at: dt.datetime | None
    reason: str


def _alerts_with_rechecks(
    rng: random.Random,
    route: Route,
    curve: _Curve,
    vitals: list[VitalDraw],
    baseline_index: int,
    start: dt.datetime,
    dose_end: dt.datetime,
    overrides: Overrides | None,
) -> _ChartedAlerts:
    """Alerts on every reading after the dose started; a recheck (inserted into ``vitals``)
    after each urgent one, and the infusion rate halved at the first urgent one."""
    baseline = vitals[baseline_index].signs()
    charted = _ChartedAlerts([], None, "")
    index = 0
    while index < len(vitals):
        reading = vitals[index]
        if reading.measured_at > start:
            raised = evaluate_vitals(reading.signs(), baseline, overrides, route.drug)
            for alert in raised:
                charted.alerts.append(
                    _acknowledged(rng, alert, index, None, route, reading, dose_end)
                )
            urgent = [a for a in raised if a.severity is Severity.URGENT]
            if urgent and reading.check_id != RECHECK:
                if (
                    route is Route.IV_RACEMIC
                    and charted.rate_reduced_at is None
                    and reading.measured_at < dose_end - _minutes(2)
                ):
                    charted.rate_reduced_at = reading.measured_at + _minutes(1)
                    charted.reason = (
                        f"BP {reading.systolic_mmhg}/{reading.diastolic_mmhg} mmHg: "
                        "rate halved per SOP"
                    )
                at = reading.measured_at + _minutes(RECHECK_MINUTES)
                late = _raw(rng, curve, RECHECK, at, full=reading.systolic_mmhg is not None)
                bisect.insort(vitals, _materialise(curve, late, start), key=_measured_at)
        index += 1
    return charted


def _sedation_alerts(
    rng: random.Random,
    route: Route,
    scales: list[SessionScaleDraw],
    dose_end: dt.datetime,
    overrides: Overrides | None,
) -> list[AlertDraw]:
    alerts = []
    for s_index, scale in enumerate(scales):
        if scale.instrument_id == "moaas":
            for alert in evaluate_sedation(
                scale.total, scale.administered_at, overrides, route.drug
            ):
                alerts.append(_acknowledged(rng, alert, None, s_index, route, None, dose_end))
    return alerts


def _all_adverse_events(
    rng: random.Random,
    route: Route,
    events: list[str],
    start: dt.datetime,
    alerts: list[AlertDraw],
    rate_reduced: bool,
    sedation: _SedationDip,
) -> list[AdverseEventDraw]:
    """Drawn events, events charted from alerts, and a transient MOAA/S 3 not already drawn."""
    adverse = _adverse_events(rng, route, events, start)
    adverse += _events_from_alerts(rng, alerts, rate_reduced)
    if sedation.score <= 3 and "sedation" not in events and sedation.offset_min is not None:
        adverse.append(
            AdverseEventDraw(
                "sedation", "sedation", "MOAA/S 3, transient", 1,
                start + _minutes(sedation.offset_min), "Observed closely; roused to voice",
                "Resolved",
            )
        )  # fmt: skip
    adverse.sort(key=lambda e: e.onset_at)
    return adverse


RECHECK = ""  # an extra reading outside the plan carries no check id


def _measured_at(reading: VitalDraw) -> dt.datetime:
    return reading.measured_at


def _session_curve(rng: random.Random, route: Route, p: Physiology) -> _Curve:
    rise = (
        SYSTOLIC_RISE_BASE
        + SYSTOLIC_RISE_PER_YEAR_OVER_45 * (p.age_years - 45)
        + (SYSTOLIC_RISE_HYPERTENSION if p.hypertension else 0.0)
        + p.systolic_rise_offset
        + rng.gauss(0, SYSTOLIC_RISE_SESSION_SD)
    )
    return _Curve(
        systolic=p.systolic_mmhg + rng.gauss(0, SYSTOLIC_SESSION_SD),
        diastolic=p.diastolic_mmhg + rng.gauss(0, DIASTOLIC_SESSION_SD),
        heart_rate=clip_float(
            p.heart_rate_bpm + rng.gauss(0, HEART_RATE_SESSION_SD), *HEART_RATE_SESSION_RANGE
        ),
        spo2=p.spo2_percent,
        respiratory=p.respiratory_rate_per_min,
        rise_systolic=rise,
        rise_diastolic=DIASTOLIC_RISE_FROM_SYSTOLIC * rise + rng.gauss(0, DIASTOLIC_RISE_SD),
        rise_heart_rate=max(
            HEART_RATE_RISE_MIN, rng.gauss(HEART_RATE_RISE_MEAN, HEART_RATE_RISE_SD)
        ),
        peak_min=rng.uniform(*PEAK_MINUTES[route]),
        half_life_min=rng.uniform(*RETURN_HALF_LIFE_MINUTES),
    )


def _settle_the_rise(
    rng: random.Random, curve: _Curve, raws: list[_Raw], start: dt.datetime, excursion: bool
) -> None:
    """Keep every planned BP reading below the excursion level — or, in an excursion
    session, lift the reading nearest the peak to it."""
    rows = [
        (curve.systolic + r.noise_systolic, curve.diastolic + r.noise_diastolic, shape)
        for r in raws
        if r.full and (shape := _shape_at(curve, r, start)) > 0
    ]
    if not rows:
        return
    cap_s = min((EXCURSION_SYSTOLIC - 1 - s) / k for s, _, k in rows)
    cap_d = min((EXCURSION_DIASTOLIC - 1 - d) / k for _, d, k in rows)
    curve.rise_systolic = min(curve.rise_systolic, cap_s)
    curve.rise_diastolic = min(curve.rise_diastolic, cap_d)
    if not excursion:
        return
    s, d, k = max(rows, key=lambda row: row[2])
    curve.capped = False
    if rng.random() < EXCURSION_SYSTOLIC_SHARE:
        curve.rise_systolic = max(
            curve.rise_systolic, (EXCURSION_SYSTOLIC - s + rng.uniform(0.5, 12)) / k
        )
    else:
        curve.rise_diastolic = max(
            curve.rise_diastolic, (EXCURSION_DIASTOLIC - d + rng.uniform(0.5, 6)) / k
        )
        # a diastolic surge comes with a systolic one (pulse pressure of at least 25 mmHg)
        curve.rise_systolic = max(curve.rise_systolic, (EXCURSION_DIASTOLIC + 25 - s) / k)


def _events_from_alerts(
    rng: random.Random, alerts: list[AlertDraw], rate_reduced: bool
) -> list[AdverseEventDraw]:
    """Raised BP (§7.1 "raised BP" [src]; esketamine "BP increased" §2.4) and desaturation
    are charted from what the vital signs showed: always after a reading at the alert level,
    after a rise alert only as often as ``BP_RISE_CHARTED_AS_EVENT``."""
    events = []
    bp = [a.alert for a in alerts if a.alert.code.startswith("BP_")]
    urgent = any(a.severity is Severity.URGENT for a in bp)
    if bp and (urgent or rng.random() < BP_RISE_CHARTED_AS_EVENT):
        action = (
            "Infusion rate reduced; BP rechecked; prescriber informed"
            if rate_reduced
            else "BP rechecked; prescriber informed; asymptomatic"
        )
        events.append(
            AdverseEventDraw(
                "hypertension", "hypertension", bp[0].message[:200], 2 if urgent else 1,
                bp[0].measured_at, action, "Resolved before discharge",
            )
        )  # fmt: skip
    low = [a.alert for a in alerts if a.alert.code == "SPO2_LOW"]
    if low:
        events.append(
            AdverseEventDraw(
                "desaturation", "desaturation", low[0].message[:200], 1, low[0].measured_at,
                "Roused; probe checked; recovered on room air", "Resolved",
            )
        )  # fmt: skip
    return events


def _dissociation_peak(
    rng: random.Random, route: Route, session_index: int, adverse_event: bool
) -> float:
    mean, sd = CADSS6_PEAK[route]
    attenuation = 1 - CADSS6_ATTENUATION_PER_SESSION * min(
        session_index, CADSS6_ATTENUATION_SESSIONS
    )
    peak = max(0.0, rng.gauss(mean, sd) * attenuation)
    if adverse_event:
        peak = max(peak, float(rng.randint(*CADSS6_AE_PEAK)))
    return min(peak, float(CADSS6_ITEMS * CADSS6_ITEM_MAX))


def _dissociation_at(peak: float, minute: float, peak_min: float) -> int:
    if minute <= 0:
        return 0
    if minute <= peak_min:
        value = peak * minute / peak_min
    else:
        value = peak * 0.5 ** ((minute - peak_min) / CADSS6_HALF_LIFE_MINUTES)
    return clip(round(value), 0, CADSS6_ITEMS * CADSS6_ITEM_MAX)


def _sedation_dip(
    rng: random.Random, route: Route, moaas_offsets: list[int], adverse_event: bool
) -> tuple[int | None, int]:
    """Which MOAA/S check (offset) shows a transient dip, and its score (5: none)."""
    early = [o for o in moaas_offsets if 0 < o <= 45] or moaas_offsets[:1]
    if not early:
        return None, 5
    roll = rng.random()
    if roll < MOAAS_TRANSIENT_3:
        return rng.choice(early), 3
    if adverse_event or roll < MOAAS_TRANSIENT_3 + MOAAS_TRANSIENT_4[route]:
        return rng.choice(early), 4
    return None, 5


def _scale(
    rng: random.Random, instrument: str, check_id: str, at: dt.datetime, total: int
) -> SessionScaleDraw:
    if instrument == "moaas":
        return SessionScaleDraw("moaas", check_id, at, (total,), total)
    answers = spread_total(rng, total, CADSS6_ITEM_WEIGHTS, CADSS6_ITEM_MAX)
    return SessionScaleDraw("cadss6", check_id, at, answers, total)


_ACKNOWLEDGEMENTS = {
    "BP_SYSTOLIC_HIGH": "Prescriber informed; asymptomatic (no headache, chest pain or "
    "neurological signs); BP rechecked in 10 min",
    "BP_DIASTOLIC_HIGH": "Prescriber informed; asymptomatic; BP rechecked in 10 min",
    "BP_SYSTOLIC_RISE": "Asymptomatic; trend followed at the next check",
    "BP_DIASTOLIC_RISE": "Asymptomatic; trend followed at the next check",
    "HR_HIGH": "Anxious, reassured; pulse rechecked at the next check",
    "HR_LOW": "Asymptomatic; pulse rechecked at the next check",
    "SPO2_LOW": "Probe checked, patient roused, deep breaths; SpO2 recovered on room air",
    "RR_LOW": "Roused to voice; breathing checked; rate recovered",
    "RR_HIGH": "Anxious, reassured; rate settled",
    "SEDATION_DEEP": "Rousable to voice; airway patent; observed at the chair",
}


def _acknowledged(
    rng: random.Random,
    alert: VitalAlert,
    vital_index: int | None,
    scale_index: int | None,
    route: Route,
    reading: VitalDraw | None,
    dose_end: dt.datetime,
) -> AlertDraw:
    action = _ACKNOWLEDGEMENTS.get(alert.code, "Reviewed; observed")
    if (
        route is Route.IV_RACEMIC
        and reading is not None
        and alert.severity is Severity.URGENT
        and alert.code.startswith("BP_")
        and reading.measured_at < dose_end - _minutes(2)
    ):
        action = "Prescriber informed; infusion rate halved; BP rechecked in 10 min"
    at = alert.measured_at + _minutes(rng.randint(*ACKNOWLEDGE_MINUTES))
    return AlertDraw(alert, vital_index, scale_index, at, action[:300])


def _adverse_events(
    rng: random.Random, route: Route, codes: list[str], start: dt.datetime
) -> list[AdverseEventDraw]:
    by_code = {rate.code: rate for rate in ADVERSE_EVENTS[route]}
    drawn = []
    for code in codes:
        rate = by_code[code]
        grade = 2 if rng.random() < GRADE_2_SHARE else 1
        actions = AE_ACTIONS.get(rate.event_type, DEFAULT_ACTION)
        onset = start + _minutes(round(rng.uniform(*ONSET_MINUTES[route])))
        drawn.append(
            AdverseEventDraw(
                code=code,
                event_type=rate.event_type,
                description=rate.description,
                grade=grade,
                onset_at=onset,
                action=actions[grade - 1],
                outcome="Resolved before discharge",
            )
        )
    return drawn


def _discharge(
    rng: random.Random,
    *,
    route: Route,
    plan: MonitoringPlan,
    curve: _Curve,
    vitals: list[VitalDraw],
    scales: list[SessionScaleDraw],
    alerts: list[AlertDraw],
    start: dt.datetime,
    dose_end: dt.datetime,
    baseline_index: int,
    adverse: list[AdverseEventDraw],
    overrides: Overrides | None,
) -> tuple[dt.datetime, DischargeAssessment, DischargeCharting]:
    """The earliest discharge the rules allow after the planned checks, adding rechecks (every
    15 min) while the vitals, sedation or dissociation are not yet acceptable. The nurse's
    discharge assessment (no random draw, so a seed's sessions stay as they were) is charted
    at that time."""
    observation_end = plan.observation_ends_at(start, dose_end)
    assert observation_end is not None
    baseline = vitals[baseline_index].signs()
    baseline_cadss = next(
        (s.total for s in scales if s.instrument_id == "cadss6" and s.administered_at <= start),
        None,
    )
    curve.capped = True  # late rechecks stay below the excursion level

    def add_reading(at: dt.datetime) -> None:
        raw = _raw(rng, curve, RECHECK, at, full=True)
        raw.settled = True  # rechecked after rest, as before the dose
        reading = _materialise(curve, raw, start)
        vitals.append(reading)
        for alert in evaluate_vitals(reading.signs(), baseline, overrides, route.drug):
            alerts.append(
                _acknowledged(rng, alert, len(vitals) - 1, None, route, reading, dose_end)
            )

    for _ in range(12):
        last = max(
            max(v.measured_at for v in vitals),
            max(s.administered_at for s in scales),
            max((a.acknowledged_at for a in alerts), default=start),
        )
        at = max(observation_end, last) + _minutes(rng.randint(2, 6))
        latest_bp = max(v.measured_at for v in vitals if v.systolic_mmhg is not None)
        if at - latest_bp > dt.timedelta(minutes=12):  # the discharge BP must be recent
            add_reading(max(observation_end, last))
            continue
        charting = discharge_charting(at, adverse)
        assessment = evaluate_discharge(
            discharge_facts(
                plan,
                start,
                at,
                dose_end,
                baseline,
                baseline_cadss,
                vitals,
                scales,
                alerts,
                charting,
            ),
            overrides,
        )
        if assessment.ready:
            return at, assessment, charting
        recheck_at = last + _minutes(15)
        unmet = {c.criterion.value for c in assessment.criteria if not c.met}
        if unmet & {"vitals", "min_observation"}:
            add_reading(recheck_at)
        if "sedation_resolved" in unmet:
            scales.append(_scale(rng, "moaas", RECHECK, recheck_at, 5))
        if "dissociation_resolved" in unmet:
            scales.append(_scale(rng, "cadss6", RECHECK, recheck_at, baseline_cadss or 0))
    raise RuntimeError("the synthetic session never became ready for discharge")  # pragma: no cover


# --- helpers -----------------------------------------------------------------------------------
