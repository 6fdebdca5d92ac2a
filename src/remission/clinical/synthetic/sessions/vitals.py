"""(b) Vital signs within a session: a patient's physiology and the rise after a dose."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical.routes import Route
from remission.clinical.synthetic.sessions.draws import redrawn_normal

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
    systolic = redrawn_normal(
        rng, SYSTOLIC_MEAN[hypertension], SYSTOLIC_PATIENT_SD, 95.0, SYSTOLIC_PATIENT_MAX
    )
    diastolic = redrawn_normal(
        rng, DIASTOLIC_MEAN[hypertension], DIASTOLIC_PATIENT_SD, 55.0, DIASTOLIC_PATIENT_MAX
    )
    heart_rate = redrawn_normal(
        rng, HEART_RATE_MEAN, HEART_RATE_PATIENT_SD, *HEART_RATE_PATIENT_RANGE
    )
    respiratory = redrawn_normal(
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
