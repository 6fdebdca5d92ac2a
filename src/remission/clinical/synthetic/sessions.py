"""Synthetic treatment courses and dosing sessions, calibrated to the clinical reference.

Four generators, each deterministic for the ``random.Random`` it is given:

(a) ``draw_response`` and ``phq9_at`` / ``gad7_at`` / ``course_trajectory``: a patient's
    PHQ-9 (and GAD-7) over a course — baseline, the effect of each dose, the end-of-series
    outcome and the relapse after the last dose — as item answers that score to the total.
(b) ``draw_physiology`` and ``simulate_session``: vital signs at a monitoring plan's checks,
    following the "synthetic vital-sign curve" of clinical.md §7.2.
(c) within ``simulate_session``: CADSS-6 and MOAA/S over the session.
(d) ``draw_adverse_event_profile`` and, within ``simulate_session``, adverse events at the
    published frequencies (esketamine: label table, §2.4; IV/IM: the qualitative list of
    §7.1 with conservative rates that are our assumptions).

Every rate is a module constant with a comment citing ``shared/reference/clinical.md`` (§) and
its confidence label: [src] primary source, [2nd] secondary, [mem] recalled, [?] our
assumption or a convention. The values are plausible for a demo and for load tests; they are
not estimates and no clinical rule reads them. Alerts and discharge readiness are computed by
the real rules (``remission.clinical.monitoring``) so a synthetic chart looks exactly like one
charted through the services.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from remission.clinical.monitoring import (
    DischargeAssessment,
    DischargeFacts,
    PredoseStatus,
    ScoredCheck,
    Severity,
    VitalAlert,
    VitalSigns,
    evaluate_discharge,
    evaluate_sedation,
    evaluate_vitals,
    predose_check,
)
from remission.clinical.protocols import MonitoringPlan
from remission.clinical.protocols.monitoring_plan import CADSS6, MOAAS, SPO2, VITALS
from remission.clinical.registry import Overrides
from remission.clinical.routes import Route

# --- (a) Response over a course --------------------------------------------------------------

PHQ9_ITEMS, PHQ9_ITEM_MAX = 9, 3
GAD7_ITEMS, GAD7_ITEM_MAX = 7, 3
# Baseline PHQ-9 ~15–22 in a TRD clinic: §6.4 [mem]. Drawn N(18.5, 2.5), redrawn outside.
PHQ9_BASELINE_MEAN = 18.5
PHQ9_BASELINE_SD = 2.5
PHQ9_BASELINE_RANGE = (15, 22)
# Response = ≥50 % drop from baseline; PHQ-9 remission = total < 5: §5 [src].
RESPONSE_MIN_DROP = 0.5
PHQ9_REMISSION_MAX = 4
# End-of-series response, by route:
# IV 0.60 — §6.4 "~50–70 % (open label)" [derived]; Phillips 2019 59 %, Murrough 2013 70.8 %
#   (§6.2 [src]).
# IM 0.60 — §1.4: 0.25–0.5 mg/kg IM "about as well as" 0.5 mg/kg IV (Chilukuri 2014, single
#   doses, n=27 [src]); carrying the IV series rate over to an IM series is our assumption [?].
# Esketamine 0.587 — pooled TRANSFORM-1/2 response at day 28, §6.3 [src].
END_OF_SERIES_RESPONSE: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.60,
    Route.IM_RACEMIC: 0.60,
    Route.ESKETAMINE_NASAL: 0.587,
}
# End-of-series remission 0.35 for every route — §6.4 "~25–45 %" [derived] (KetECT 46 % on
# MADRS, §6.2 [src]); the reference gives no esketamine PHQ-9 remission rate, so the same
# midpoint is used [?].
END_OF_SERIES_REMISSION: Mapping[Route, float] = {
    Route.IV_RACEMIC: 0.35,
    Route.IM_RACEMIC: 0.35,
    Route.ESKETAMINE_NASAL: 0.35,
}
# How fast the effect builds over the series: the share of the end-of-series improvement
# reached after k doses is (1 - e^(-k/s)) / (1 - e^(-n/s)), with s drawn per patient. The range
# is chosen so that responders reach response after a median of 3 infusions (Phillips 2019,
# §1.3/§6.2 [src]; §6.4 "most eventual responders by infusion 3" [derived]). The transient
# 24-h response after a first infusion (§6.4: 30–60 %) is not modelled: pre-dose scores are
# taken 2–4 days after the previous dose, when that early effect has faded (§6.1 [src]).
DOSE_SCALE_RANGE = (2.0, 4.0)
# Durability of the effect after the last dose: 3 days + an exponential with median 16 days,
# i.e. median 19 days — Murrough 2013 median 18 days to relapse after 6 infusions (§1.3 [src]);
# §6.4 "median ~2.5–3 weeks; most patients by 2–3 months" [derived]. Each dose restarts the
# clock (maintenance works while doses come closer together than the patient's durability):
# our assumption [?]; no validated maintenance schedule exists (§1.3 [src]).
DURABILITY_MIN_DAYS = 3.0
DURABILITY_EXTRA_MEDIAN_DAYS = 16.0
# After the durability runs out, symptoms climb back over a week to 75–100 % of baseline:
# "symptoms typically come back within days" (Fava 2018 intro, §6.1 [src]); shape [?].
RELAPSE_RISE_DAYS = 7.0
RELAPSE_LEVEL_RANGE = (0.75, 1.0)
# Visit-to-visit noise of a PHQ-9 total (SD, points) and of a GAD-7 total: [?].
PHQ9_NOISE_SD = 1.5
GAD7_NOISE_SD = 1.2
# GAD-7 tracks PHQ-9 in this population: baseline ≈ 0.7 × PHQ-9 ± 2.5 (anxious distress is
# common in TRD) and improves by 0.7–1.1 × the PHQ-9 improvement: [?].
GAD7_FROM_PHQ9 = 0.7
GAD7_BASELINE_NOISE_SD = 2.5
GAD7_IMPROVEMENT_RATIO_RANGE = (0.7, 1.1)
# Relative weight of each item when a total is spread over the items (item 9 of the PHQ-9,
# thoughts of self-harm, endorsed least): [?].
PHQ9_ITEM_WEIGHTS = (1.1, 1.2, 1.1, 1.2, 0.9, 1.0, 1.0, 0.8, 0.35)
GAD7_ITEM_WEIGHTS = (1.2, 1.0, 1.1, 1.0, 0.8, 1.0, 0.9)


@dataclass(frozen=True, slots=True)
class ScaleDraw:
    """One administration: item answers in order and their sum."""

    instrument_id: str
    answers: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class ResponseProfile:
    """How one patient responds to a course: drawn once, then read at any date."""

    route: Route
    phq9_baseline: int
    phq9_end_of_series: int  # after the whole induction series, before any relapse
    dose_scale: float
    durability_days: float
    relapse_level: float  # PHQ-9 total the relapse climbs back to
    gad7_baseline: int
    gad7_ratio: float

    @property
    def responder(self) -> bool:
        return self.phq9_end_of_series <= self.phq9_baseline * (1 - RESPONSE_MIN_DROP)

    @property
    def remitter(self) -> bool:
        return self.phq9_end_of_series <= PHQ9_REMISSION_MAX

    def expected_phq9(
        self, *, doses_before: int, days_since_last_dose: float | None, series_doses: int
    ) -> float:
        """The noise-free PHQ-9 total after ``doses_before`` doses, the last one
        ``days_since_last_dose`` ago (None: no dose yet)."""
        if doses_before <= 0 or days_since_last_dose is None:
            return float(self.phq9_baseline)
        baseline = self.phq9_baseline
        share = _series_share(doses_before, series_doses, self.dose_scale)
        on_treatment = baseline - (baseline - self.phq9_end_of_series) * share
        late = days_since_last_dose - self.durability_days
        if late <= 0:
            return on_treatment
        back = max(self.relapse_level, on_treatment)
        return on_treatment + (back - on_treatment) * min(1.0, late / RELAPSE_RISE_DAYS)

    def response_after(self, doses: int, series_doses: int) -> bool:
        """Whether the patient meets the response criterion after ``doses`` doses."""
        expected = self.expected_phq9(
            doses_before=doses, days_since_last_dose=0.0, series_doses=series_doses
        )
        return expected <= self.phq9_baseline * (1 - RESPONSE_MIN_DROP) + 1e-9


def _series_share(doses: int, series_doses: int, scale: float) -> float:
    if doses >= series_doses:
        return 1.0
    return (1 - math.exp(-doses / scale)) / (1 - math.exp(-series_doses / scale))


def draw_response(rng: random.Random, route: Route) -> ResponseProfile:
    """A patient's baseline and end-of-series PHQ-9 (response and remission at the route's
    published rates), the pace of the effect and its durability."""
    low, high = PHQ9_BASELINE_RANGE
    baseline = round(_redrawn_normal(rng, PHQ9_BASELINE_MEAN, PHQ9_BASELINE_SD, low, high))
    half = math.floor(baseline * (1 - RESPONSE_MIN_DROP))
    roll = rng.random()
    if roll < END_OF_SERIES_REMISSION[route]:
        end = rng.randint(0, PHQ9_REMISSION_MAX)
    elif roll < END_OF_SERIES_RESPONSE[route]:
        end = rng.randint(PHQ9_REMISSION_MAX + 1, half)
    else:
        end = rng.randint(half + 1, baseline)
    durability = DURABILITY_MIN_DAYS + rng.expovariate(math.log(2) / DURABILITY_EXTRA_MEDIAN_DAYS)
    gad7 = round(GAD7_FROM_PHQ9 * baseline + rng.gauss(0, GAD7_BASELINE_NOISE_SD))
    return ResponseProfile(
        route=route,
        phq9_baseline=baseline,
        phq9_end_of_series=end,
        dose_scale=rng.uniform(*DOSE_SCALE_RANGE),
        durability_days=durability,
        relapse_level=baseline * rng.uniform(*RELAPSE_LEVEL_RANGE),
        gad7_baseline=min(max(gad7, 3), GAD7_ITEMS * GAD7_ITEM_MAX),
        gad7_ratio=rng.uniform(*GAD7_IMPROVEMENT_RATIO_RANGE),
    )


def phq9_at(
    profile: ResponseProfile,
    rng: random.Random,
    *,
    at: dt.datetime,
    dose_starts: Sequence[dt.datetime],
    series_doses: int,
    exact: bool = False,
) -> ScaleDraw:
    """The PHQ-9 answered at ``at``, given the patient's (sorted) dose start times.

    ``exact`` leaves out the visit-to-visit noise (used for the baseline and the end-of-series
    outcome, so that response and remission land exactly at the published rates)."""
    doses_before = bisect.bisect_left(dose_starts, at)
    since = None
    if doses_before:
        since = (at - dose_starts[doses_before - 1]).total_seconds() / 86_400
    expected = profile.expected_phq9(
        doses_before=doses_before, days_since_last_dose=since, series_doses=series_doses
    )
    noise = 0.0 if exact else rng.gauss(0, PHQ9_NOISE_SD)
    total = _clip(round(expected + noise), 0, PHQ9_ITEMS * PHQ9_ITEM_MAX)
    return ScaleDraw("phq9", spread_total(rng, total, PHQ9_ITEM_WEIGHTS, PHQ9_ITEM_MAX), total)


def gad7_at(
    profile: ResponseProfile, rng: random.Random, *, phq9_total: int, exact: bool = False
) -> ScaleDraw:
    """The GAD-7 answered alongside a PHQ-9 with ``phq9_total``."""
    improvement = max(0.0, 1 - phq9_total / profile.phq9_baseline)
    expected = profile.gad7_baseline * (1 - min(1.0, improvement * profile.gad7_ratio))
    noise = 0.0 if exact else rng.gauss(0, GAD7_NOISE_SD)
    total = _clip(round(expected + noise), 0, GAD7_ITEMS * GAD7_ITEM_MAX)
    return ScaleDraw("gad7", spread_total(rng, total, GAD7_ITEM_WEIGHTS, GAD7_ITEM_MAX), total)


@dataclass(frozen=True, slots=True)
class DatedScores:
    at: dt.datetime
    kind: str  # "baseline", "pre_dose", "end_of_series" or "follow_up"
    phq9: ScaleDraw
    gad7: ScaleDraw | None
    dose_number: int | None = None  # for "pre_dose": the dose about to be given


def course_trajectory(
    profile: ResponseProfile,
    rng: random.Random,
    *,
    baseline_at: dt.datetime,
    dose_starts: Sequence[dt.datetime],
    series_doses: int,
    pre_dose_lead: dt.timedelta = dt.timedelta(minutes=20),
    end_of_series_after: dt.timedelta | None = dt.timedelta(days=1),
    follow_up_at: Sequence[dt.datetime] = (),
    gad7_every: int = 3,
) -> list[DatedScores]:
    """Dated PHQ-9 (and GAD-7) answers over a course: the baseline, one before every dose,
    the end-of-series outcome ``end_of_series_after`` the last series dose, and follow-ups."""
    starts = sorted(dose_starts)
    scores: list[DatedScores] = []
    phq9 = phq9_at(profile, rng, at=baseline_at, dose_starts=starts, series_doses=0, exact=True)
    gad7: ScaleDraw | None = gad7_at(profile, rng, phq9_total=phq9.total, exact=True)
    scores.append(DatedScores(baseline_at, "baseline", phq9, gad7))
    for number, start in enumerate(starts, start=1):
        at = start - pre_dose_lead
        phq9 = phq9_at(profile, rng, at=at, dose_starts=starts, series_doses=series_doses)
        gad7 = gad7_at(profile, rng, phq9_total=phq9.total) if number % gad7_every == 1 else None
        scores.append(DatedScores(at, "pre_dose", phq9, gad7, number))
    if end_of_series_after is not None and len(starts) >= series_doses > 0:
        at = starts[series_doses - 1] + end_of_series_after
        phq9 = phq9_at(profile, rng, at=at, dose_starts=starts, series_doses=series_doses)
        if at - starts[series_doses - 1] <= dt.timedelta(days=profile.durability_days):
            end = profile.phq9_end_of_series
            phq9 = ScaleDraw("phq9", spread_total(rng, end, PHQ9_ITEM_WEIGHTS, 3), end)
        scores.append(
            DatedScores(at, "end_of_series", phq9, gad7_at(profile, rng, phq9_total=phq9.total))
        )
    for at in follow_up_at:
        phq9 = phq9_at(profile, rng, at=at, dose_starts=starts, series_doses=series_doses)
        scores.append(
            DatedScores(at, "follow_up", phq9, gad7_at(profile, rng, phq9_total=phq9.total))
        )
    scores.sort(key=lambda s: s.at)
    return scores


def spread_total(
    rng: random.Random, total: int, weights: Sequence[float], item_max: int
) -> tuple[int, ...]:
    """Item answers (0..item_max) that sum to exactly ``total``, one point at a time to an
    item chosen by weight among those not yet at the maximum."""
    if not 0 <= total <= len(weights) * item_max:
        raise ValueError(f"total {total} cannot be spread over {len(weights)} items")
    answers = [0] * len(weights)
    for _ in range(total):
        open_items = [i for i, a in enumerate(answers) if a < item_max]
        pick = rng.choices(open_items, weights=[weights[i] for i in open_items])[0]
        answers[pick] += 1
    return tuple(answers)


# --- (b) Vital signs within a session ---------------------------------------------------------

# Resting values: §7.2 "Baseline: SBP ~125 ± 15, DBP ~78 ± 10, HR ~75 ± 12" [derived]. Split
# into a patient's own mean and the session-to-session variation; patients with known
# (treated) hypertension sit higher. Patient means above 148/92 are redrawn: uncontrolled
# hypertension is screened out at intake (§3) and the clinic holds doses at ≥160/100.
SYSTOLIC_MEAN = {False: 122.0, True: 133.0}
DIASTOLIC_MEAN = {False: 76.0, True: 82.0}
SYSTOLIC_PATIENT_SD, SYSTOLIC_SESSION_SD = 12.0, 6.0
DIASTOLIC_PATIENT_SD, DIASTOLIC_SESSION_SD = 8.0, 4.5
SYSTOLIC_PATIENT_MAX, DIASTOLIC_PATIENT_MAX = 148.0, 92.0
HEART_RATE_MEAN, HEART_RATE_PATIENT_SD, HEART_RATE_SESSION_SD = 75.0, 10.0, 6.0
HEART_RATE_PATIENT_RANGE = (52.0, 100.0)
# A session's resting pulse stays inside the clinic's alert limits (50–110) with a margin [?].
HEART_RATE_SESSION_RANGE = (58.0, 98.0)
# Known hypertension: 10 % at 19 rising 0.6 points a year of age — our assumption [?].
HYPERTENSION_AT_19, HYPERTENSION_PER_YEAR = 0.10, 0.006
# SpO2 essentially unchanged at these doses: §7.2 [derived]; respiratory rate likewise [?].
SPO2_PATIENT_RANGE = (96.0, 99.0)
RESPIRATORY_RATE_MEAN, RESPIRATORY_RATE_SD = 14.0, 1.5
RESPIRATORY_RATE_RANGE = (11.0, 18.0)
# Reading-to-reading measurement noise (cuff, oximeter): [?].
SYSTOLIC_READING_SD, DIASTOLIC_READING_SD, HEART_RATE_READING_SD = 4.0, 3.0, 3.0

# The rise: near-linear to a peak at 30–40 min, ΔSBP +12 to +16 (SD ~11), ΔDBP +8 to +11
# (SD ~8), ΔHR +4 (SD ~8): §7.2 synthetic curve [derived] from Vankawala 2021 (+12.6/+8.5/+4.1,
# no difference ketamine vs esketamine [src]) and Yale 2024 (+16.0 SD 11.2 / +11.0 SD 8.45 at
# 40 min [src]). ΔSBP = base + age and hypertension terms + the patient's own offset + the
# session's noise; no tolerance over sessions (Riva-Posse 2018 [src]).
SYSTOLIC_RISE_BASE = 12.5
SYSTOLIC_RISE_PATIENT_SD, SYSTOLIC_RISE_SESSION_SD = 6.0, 8.5
# Larger with age and with known hypertension: Yale 2024 (OR 1.04 per year for a surge [src]),
# Riva-Posse 2018 ("hypertensive patients peaked higher" [src]); the sizes are ours [?].
SYSTOLIC_RISE_PER_YEAR_OVER_45 = 0.15
SYSTOLIC_RISE_HYPERTENSION = 5.0
DIASTOLIC_RISE_FROM_SYSTOLIC, DIASTOLIC_RISE_SD = 0.62, 4.0
HEART_RATE_RISE_MEAN, HEART_RATE_RISE_SD = 4.0, 8.0
# Ketamine is sympathomimetic: a session's pulse falls by at most 6 bpm at the peak [?].
HEART_RATE_RISE_MIN = -6.0
# Time of the peak after the dose starts: IV 30–40 min (Riva-Posse 30, Yale 40 [src]);
# esketamine ~40 min (label [src]); IM earlier, 15–25 min — our assumption from the faster
# absorption [?].
PEAK_MINUTES: Mapping[Route, tuple[float, float]] = {
    Route.IV_RACEMIC: (30.0, 40.0),
    Route.IM_RACEMIC: (15.0, 25.0),
    Route.ESKETAMINE_NASAL: (35.0, 45.0),
}
# Exponential return toward baseline with a half-life of ~20–30 min: §7.2 [mem/derived];
# "mostly back to baseline by 80–120 min" (Szarmach 2020 within 1.5 h [src]).
RETURN_HALF_LIFE_MINUTES = (20.0, 30.0)
# A hypertensive excursion (a reading ≥ 180 systolic or ≥ 110 diastolic) in ~1 % of sessions,
# concentrated in the first three: Yale 2024, 0.98 % of sessions, 43.4 % of them in the first
# 3 infusions of ~17 per patient (2,342 infusions / 138 patients) [src]. That concentration
# makes a session among the first three 3.6 times as likely to surge [derived]; with the risk
# rising 4 % per year of age (OR 1.04 [src]) and doubled with hypertension [?], the base rates
# below give ~1 % over a mixed clinic history [derived, checked in the tests].
EXCURSION_SYSTOLIC, EXCURSION_DIASTOLIC = 180, 110
EXCURSION_FIRST_SESSIONS = 3
EXCURSION_RATE_EARLY, EXCURSION_RATE_LATER = 0.0170, 0.0047
EXCURSION_AGE_OR_PER_YEAR, EXCURSION_AGE_CENTRE = 1.04, 46
EXCURSION_HYPERTENSION_FACTOR = 2.0
# Share of excursions that are systolic (the rest diastolic only): [?].
EXCURSION_SYSTOLIC_SHARE = 0.7
# A desaturation below 92 % in <1 % of sessions: §7.2 "keep SpO2 dips rare" [?].
SPO2_DIP_RATE = 0.005
# A rise alert (≥ +40 / +25 mmHg, below 180/110) is also charted as a "hypertension" adverse
# event in a quarter of sessions — a clinician's judgement; this keeps the per-patient rate
# near the label's "BP increased" 10 % (§2.4 [mem]) [?].
BP_RISE_CHARTED_AS_EVENT = 0.25
# Minutes from a reading that raised an urgent alert to the nurse's recheck: [?] (test flow).
RECHECK_MINUTES = 10
# Time from a reading to the acknowledgement of its alert (minutes): [?].
ACKNOWLEDGE_MINUTES = (1, 5)


@dataclass(frozen=True, slots=True)
class Physiology:
    """A patient's resting vital signs and pressor response (session values vary around it)."""

    age_years: int
    hypertension: bool
    systolic_mmhg: float
    diastolic_mmhg: float
    heart_rate_bpm: float
    spo2_percent: float
    respiratory_rate_per_min: float
    systolic_rise_offset: float  # the patient's own shift of the peak ΔSBP


def draw_physiology(
    rng: random.Random, *, age_years: int, hypertension: bool | None = None
) -> Physiology:
    if hypertension is None:
        chance = HYPERTENSION_AT_19 + HYPERTENSION_PER_YEAR * max(0, age_years - 19)
        hypertension = rng.random() < chance
    systolic = _redrawn_normal(
        rng, SYSTOLIC_MEAN[hypertension], SYSTOLIC_PATIENT_SD, 95.0, SYSTOLIC_PATIENT_MAX
    )
    diastolic = _redrawn_normal(
        rng, DIASTOLIC_MEAN[hypertension], DIASTOLIC_PATIENT_SD, 55.0, DIASTOLIC_PATIENT_MAX
    )
    heart_rate = _redrawn_normal(
        rng, HEART_RATE_MEAN, HEART_RATE_PATIENT_SD, *HEART_RATE_PATIENT_RANGE
    )
    respiratory = _redrawn_normal(
        rng, RESPIRATORY_RATE_MEAN, RESPIRATORY_RATE_SD, *RESPIRATORY_RATE_RANGE
    )
    return Physiology(
        age_years=age_years,
        hypertension=hypertension,
        systolic_mmhg=systolic,
        diastolic_mmhg=min(diastolic, systolic - 30),
        heart_rate_bpm=heart_rate,
        spo2_percent=rng.uniform(*SPO2_PATIENT_RANGE),
        respiratory_rate_per_min=respiratory,
        systolic_rise_offset=rng.gauss(0, SYSTOLIC_RISE_PATIENT_SD),
    )


def excursion_rate(physiology: Physiology, session_index: int) -> float:
    """The chance of a hypertensive excursion in the patient's session ``session_index``
    (0 = first dose)."""
    base = (
        EXCURSION_RATE_EARLY if session_index < EXCURSION_FIRST_SESSIONS else EXCURSION_RATE_LATER
    )
    factor = EXCURSION_AGE_OR_PER_YEAR ** (physiology.age_years - EXCURSION_AGE_CENTRE)
    if physiology.hypertension:
        factor *= EXCURSION_HYPERTENSION_FACTOR
    return min(1.0, base * factor)


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


# --- (d) Adverse events ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdverseEventRate:
    """One adverse reaction: its chart type, and the share of patients who have it at least
    once over an induction series, with the source."""

    code: str
    event_type: str  # chairside AdverseEventType value
    description: str
    per_patient: float
    source: str


_LABEL = "esketamine label Table 2, TRD short-term trials (§2.4)"
# Esketamine (+ oral antidepressant) arm rates, §2.4. "Insomnia" is left out (not a chair-side
# event); "BP increased" (10 % [mem]) is charted from the vital signs instead (any BP alert).
ESKETAMINE_ADVERSE_EVENTS: tuple[AdverseEventRate, ...] = (
    AdverseEventRate("dissociation", "dissociation", "", 0.41, f"{_LABEL} [src]"),
    AdverseEventRate("dizziness", "dizziness", "", 0.29, f"{_LABEL} [src]"),
    AdverseEventRate("nausea", "nausea", "", 0.28, f"{_LABEL} [mem]"),
    AdverseEventRate("sedation", "sedation", "", 0.23, f"{_LABEL} [src]"),
    AdverseEventRate("vertigo", "other", "Vertigo", 0.23, f"{_LABEL} [mem]"),
    AdverseEventRate("headache", "headache", "", 0.20, f"{_LABEL} [src]"),
    AdverseEventRate("dysgeusia", "other", "Dysgeusia (taste change)", 0.19, f"{_LABEL} [src]"),
    AdverseEventRate("hypoesthesia", "other", "Hypoesthesia (numbness)", 0.18, f"{_LABEL} [src]"),
    AdverseEventRate("anxiety", "other", "Anxiety", 0.13, f"{_LABEL} [src]"),
    AdverseEventRate("lethargy", "other", "Lethargy", 0.11, f"{_LABEL} [src]"),
    AdverseEventRate("vomiting", "vomiting", "", 0.09, f"{_LABEL} [mem]"),
    AdverseEventRate("nasal", "other", "Nasal discomfort", 0.07, f"{_LABEL} [src]"),
    AdverseEventRate("throat", "other", "Throat irritation", 0.07, f"{_LABEL} [src]"),
    AdverseEventRate("drunk", "other", "Feeling drunk", 0.05, f"{_LABEL} [mem]"),
    AdverseEventRate("euphoria", "other", "Euphoric mood", 0.04, f"{_LABEL} [src]"),
    AdverseEventRate("dysarthria", "other", "Dysarthria", 0.04, f"{_LABEL} [src]"),
    AdverseEventRate("tremor", "other", "Tremor", 0.03, f"{_LABEL} [src]"),
    AdverseEventRate("mental", "other", "Mental impairment", 0.03, f"{_LABEL} [src]"),
    AdverseEventRate("pollakiuria", "other", "Urinary frequency", 0.03, f"{_LABEL} [src]"),
)
_SHORT = "Short 2018 list of the most common acute effects (§7.1 [src]); rate [?]"
# Racemic ketamine 0.5 mg/kg IV: quantified frequencies were not retrieved (§7.1 [?]). The
# effects are the qualitative list (headache, dizziness, dissociation, raised BP — charted from
# the vitals —, blurred vision; anxiety the most common psychiatric effect); the rates are our
# conservative assumptions, below the esketamine label. Dissociation as an *adverse event*
# (beyond the expected CADSS change) is set near the 14.3 % reported after a first esketamine
# dose in a long-term study (Williamson 2023, §2.4 [src]).
IV_ADVERSE_EVENTS: tuple[AdverseEventRate, ...] = (
    AdverseEventRate("headache", "headache", "", 0.15, _SHORT),
    AdverseEventRate("dizziness", "dizziness", "", 0.15, _SHORT),
    AdverseEventRate(
        "dissociation", "dissociation", "", 0.14, "Williamson 2023 14.3 % (§2.4 [src]) [?]"
    ),
    AdverseEventRate("blurred_vision", "other", "Blurred vision", 0.10, _SHORT),
    AdverseEventRate("anxiety", "other", "Anxiety", 0.10, _SHORT),
    AdverseEventRate("nausea", "nausea", "", 0.10, "not in the §7.1 list; esketamine proxy [?]"),
    AdverseEventRate("vomiting", "vomiting", "", 0.03, "esketamine proxy, §2.4 [?]"),
    AdverseEventRate("sedation", "sedation", "", 0.05, "esketamine proxy, §2.4 [?]"),
)
# IM: the same list and rates as IV — Chilukuri 2014 reports IM side effects "lasting less
# than an hour" without rates (§7.1 [src]); the rates are our assumption [?].
IM_ADVERSE_EVENTS = IV_ADVERSE_EVENTS
ADVERSE_EVENTS: Mapping[Route, tuple[AdverseEventRate, ...]] = {
    Route.IV_RACEMIC: IV_ADVERSE_EVENTS,
    Route.IM_RACEMIC: IM_ADVERSE_EVENTS,
    Route.ESKETAMINE_NASAL: ESKETAMINE_ADVERSE_EVENTS,
}
# When the first occurrence falls within the series: weights 1, 0.6, 0.36, … by session —
# "AEs appeared soon after dosing" and early in treatment (TRANSFORM-2, §2.4 [src]); the decay
# is ours [?]. Later sessions repeat the event with a chance of 35 %, falling 15 % a session
# (floor 5 %) [?].
FIRST_OCCURRENCE_DECAY = 0.6
RECURRENCE, RECURRENCE_DECAY, RECURRENCE_FLOOR = 0.35, 0.85, 0.05
# Grade 2 (needs an intervention) in 15 % of events, else grade 1; none serious: [?].
GRADE_2_SHARE = 0.15
# Onset, minutes after the dose starts: during or soon after dosing (§7.1 [src]); spread [?].
ONSET_MINUTES: Mapping[Route, tuple[float, float]] = {
    Route.IV_RACEMIC: (10.0, 50.0),
    Route.IM_RACEMIC: (5.0, 35.0),
    Route.ESKETAMINE_NASAL: (5.0, 50.0),
}
_AE_ACTIONS = {
    "nausea": ("Reassurance; emesis basin at hand", "Antiemetic given per standing order"),
    "vomiting": ("Emesis basin; reassurance", "Antiemetic given per standing order"),
    "headache": ("Dimmed lights; rest", "Analgesic given per standing order"),
    "dizziness": ("Stayed reclined; assisted when standing", "Stayed reclined; fall precautions"),
    "dissociation": ("Verbal reassurance; quiet room", "Lights dimmed; nurse stayed at chair"),
    "sedation": ("Observed; rousable to voice", "Observed closely; roused to voice"),
}
_DEFAULT_ACTION = ("Reassurance; observed", "Observed closely; prescriber informed")


@dataclass(frozen=True, slots=True)
class AdverseEventProfile:
    """Which adverse reactions a patient is prone to, and the series session of the first."""

    route: Route
    first_session: Mapping[str, int]


def draw_adverse_event_profile(
    rng: random.Random, route: Route, *, series_sessions: int
) -> AdverseEventProfile:
    """Each reaction with its per-patient rate, first occurring within the series."""
    weights = [FIRST_OCCURRENCE_DECAY**i for i in range(series_sessions)]
    first: dict[str, int] = {}
    for rate in ADVERSE_EVENTS[route]:
        if rng.random() < rate.per_patient:
            first[rate.code] = rng.choices(range(series_sessions), weights=weights)[0]
    return AdverseEventProfile(route=route, first_session=first)


def _events_this_session(
    rng: random.Random, profile: AdverseEventProfile | None, session_index: int
) -> list[str]:
    if profile is None:
        return []
    codes = []
    for code, first in profile.first_session.items():
        if session_index == first:
            codes.append(code)
        elif session_index > first:
            chance = max(RECURRENCE_FLOOR, RECURRENCE * RECURRENCE_DECAY ** (session_index - first))
            if rng.random() < chance:
                codes.append(code)
    return codes


# --- One simulated session ---------------------------------------------------------------------


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
    settled: bool = False  # a pre-dose recheck after rest (kept below the hold levels)


def _raw(rng: random.Random, curve: _Curve, check_id: str, at: dt.datetime, *, full: bool) -> _Raw:
    return _Raw(
        check_id=check_id,
        at=at,
        full=full,
        noise_systolic=rng.gauss(0, SYSTOLIC_READING_SD),
        noise_diastolic=rng.gauss(0, DIASTOLIC_READING_SD),
        noise_heart_rate=rng.gauss(0, HEART_RATE_READING_SD),
        spo2=_clip(round(curve.spo2 + rng.uniform(-1.0, 0.6)), 93, 100),
        respiratory=_clip(round(curve.respiratory + rng.gauss(0, 1.0)), 10, 22),
    )


def _shape_at(curve: _Curve, raw: _Raw, start: dt.datetime) -> float:
    if raw.predose:
        return 0.0
    minute = (raw.at - start).total_seconds() / 60
    return _rise_shape(minute, curve.peak_min, curve.half_life_min)


def _materialise(curve: _Curve, raw: _Raw, start: dt.datetime) -> VitalDraw:
    shape = _shape_at(curve, raw, start)
    heart = round(curve.heart_rate + curve.rise_heart_rate * shape + raw.noise_heart_rate)
    heart = _clip(heart, 52, 108) if raw.settled else _clip(heart, 45, 140)
    if not raw.full:
        return VitalDraw(raw.check_id, raw.at, None, None, heart, raw.spo2, None)
    systolic = round(curve.systolic + curve.rise_systolic * shape + raw.noise_systolic)
    diastolic = round(curve.diastolic + curve.rise_diastolic * shape + raw.noise_diastolic)
    if raw.settled:
        systolic, diastolic = min(systolic, 157), min(diastolic, 97)
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
    events, and discharge when the rules say the patient is ready."""
    if route is None:
        raise ValueError("a therapy-only session has no dosing")
    start = dose_started_at
    curve = _session_curve(rng, route, physiology)
    excursion = rng.random() < excursion_rate(physiology, session_index)
    events = _events_this_session(rng, adverse_events, session_index)

    # The dose itself.
    device_times: tuple[dt.datetime, ...] = ()
    if route is Route.IV_RACEMIC:
        # The pump stops when the volume to be infused is in: at the ordered duration.
        dose_end = start + _minutes(plan.dose_duration_min)
    elif route is Route.ESKETAMINE_NASAL:
        times = [start]
        for _ in range(devices - 1):
            times.append(times[-1] + _minutes(5 + rng.randint(0, 1)))
        device_times = tuple(times)
        dose_end = times[-1]
    else:
        dose_end = start

    # Pre-dose: vitals (rechecked after rest if the rules would hold the dose) and CADSS-6.
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
    baseline_index = len(raws) - 1
    scales: list[SessionScaleDraw] = []
    predose_cadss = rng.choices((0, 1, 2), weights=CADSS6_PREDOSE_WEIGHTS)[0]
    cadss_at = max(start - _minutes(rng.randint(5, 8)), pre_at + _minutes(1))
    scales.append(_scale(rng, "cadss6", "", cadss_at, predose_cadss))

    # Checks after the dose starts.
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

    _settle_the_rise(rng, curve, raws, start, excursion)
    vitals = [_materialise(curve, raw, start) for raw in raws]

    # Alerts on every reading after the dose started; a recheck after each urgent one.
    baseline = vitals[baseline_index].signs()
    alerts: list[AlertDraw] = []
    rate_reduced_at: dt.datetime | None = None
    reason = ""
    index = 0
    while index < len(vitals):
        reading = vitals[index]
        if reading.measured_at > start:
            raised = evaluate_vitals(reading.signs(), baseline, overrides)
            for alert in raised:
                alerts.append(_acknowledged(rng, alert, index, None, route, reading, dose_end))
            urgent = [a for a in raised if a.severity is Severity.URGENT]
            if urgent and reading.check_id != RECHECK:
                if (
                    route is Route.IV_RACEMIC
                    and rate_reduced_at is None
                    and reading.measured_at < dose_end - _minutes(2)
                ):
                    rate_reduced_at = reading.measured_at + _minutes(1)
                    reason = (
                        f"BP {reading.systolic_mmhg}/{reading.diastolic_mmhg} mmHg: "
                        "rate halved per SOP"
                    )
                at = reading.measured_at + _minutes(RECHECK_MINUTES)
                late = _raw(rng, curve, RECHECK, at, full=reading.systolic_mmhg is not None)
                bisect.insort(vitals, _materialise(curve, late, start), key=_measured_at)
        index += 1
    scales.sort(key=lambda s: s.administered_at)
    for s_index, scale in enumerate(scales):
        if scale.instrument_id == "moaas":
            for alert in evaluate_sedation(scale.total, scale.administered_at, overrides):
                alerts.append(_acknowledged(rng, alert, None, s_index, route, None, dose_end))

    adverse = _adverse_events(rng, route, events, start)
    adverse += _events_from_alerts(rng, alerts, rate_reduced_at is not None)
    if sedated_score <= 3 and "sedation" not in events and sedated_offset is not None:
        adverse.append(
            AdverseEventDraw(
                "sedation", "sedation", "MOAA/S 3, transient", 1,
                start + _minutes(sedated_offset), "Observed closely; roused to voice",
                "Resolved",
            )
        )  # fmt: skip
    adverse.sort(key=lambda e: e.onset_at)

    discharge_at, discharge = _discharge(
        rng,
        route=route,
        plan=plan,
        curve=curve,
        vitals=vitals,
        scales=scales,
        alerts=alerts,
        start=start,
        dose_end=dose_end,
        baseline_index=baseline_index,
        overrides=overrides,
    )
    return SimulatedSession(
        route=route,
        dose_started_at=start,
        dose_ended_at=dose_end,
        device_times=device_times,
        rate_reduced_at=rate_reduced_at,
        rate_reduction_reason=reason,
        vitals=tuple(vitals),
        scales=tuple(scales),
        alerts=tuple(alerts),
        adverse_events=tuple(adverse),
        discharge_at=discharge_at,
        discharge=discharge,
        excursion=excursion,
        systolic_rise_mmhg=curve.rise_systolic,
        diastolic_rise_mmhg=curve.rise_diastolic,
        heart_rate_rise_bpm=curve.rise_heart_rate,
        baseline_index=baseline_index,
        predose_rechecked=rechecked,
    )


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
        heart_rate=_clip_float(
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
    return _clip(round(value), 0, CADSS6_ITEMS * CADSS6_ITEM_MAX)


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
        actions = _AE_ACTIONS.get(rate.event_type, _DEFAULT_ACTION)
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
    overrides: Overrides | None,
) -> tuple[dt.datetime, DischargeAssessment]:
    """The earliest discharge the rules allow after the planned checks, adding rechecks (every
    15 min) while the vitals, sedation or dissociation are not yet acceptable."""
    observation_end = plan.observation_ends_at(start, dose_end)
    assert observation_end is not None
    baseline = vitals[baseline_index].signs()
    baseline_cadss = next(
        (s.total for s in scales if s.instrument_id == "cadss6" and s.administered_at <= start),
        None,
    )
    curve.capped = True  # late rechecks stay below the excursion level

    def add_reading(at: dt.datetime) -> None:
        reading = _materialise(curve, _raw(rng, curve, RECHECK, at, full=True), start)
        vitals.append(reading)
        for alert in evaluate_vitals(reading.signs(), baseline, overrides):
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
        assessment = evaluate_discharge(
            DischargeFacts(
                plan=plan,
                dose_started_at=start,
                now=at,
                baseline=baseline,
                vitals=[v.signs() for v in vitals if v.measured_at > start],
                moaas=[
                    ScoredCheck(s.administered_at, s.total)
                    for s in scales
                    if s.instrument_id == "moaas"
                ],
                cadss6=[
                    ScoredCheck(s.administered_at, s.total)
                    for s in scales
                    if s.instrument_id == "cadss6"
                ],
                dose_ended_at=dose_end,
                baseline_cadss6=baseline_cadss,
                open_alert_codes=tuple(a.alert.code for a in alerts if a.acknowledged_at > at),
                escort_confirmed=True,
            ),
            overrides,
        )
        if assessment.ready:
            return at, assessment
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


def _clip(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


def _clip_float(value: float, low: float, high: float) -> float:
    return low if value < low else high if value > high else value


def _redrawn_normal(rng: random.Random, mean: float, sd: float, low: float, high: float) -> float:
    for _ in range(50):
        value = rng.gauss(mean, sd)
        if low <= value <= high:
            return value
    return _clip_float(mean, low, high)
