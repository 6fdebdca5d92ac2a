"""(a) Response over a course: a patient's PHQ-9 and GAD-7 over a series and after it."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from remission.clinical.routes import Route
from remission.clinical.synthetic.sessions.draws import clip, redrawn_normal

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
    baseline = round(redrawn_normal(rng, PHQ9_BASELINE_MEAN, PHQ9_BASELINE_SD, low, high))
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
    total = clip(round(expected + noise), 0, PHQ9_ITEMS * PHQ9_ITEM_MAX)
    return ScaleDraw("phq9", spread_total(rng, total, PHQ9_ITEM_WEIGHTS, PHQ9_ITEM_MAX), total)


def gad7_at(
    profile: ResponseProfile, rng: random.Random, *, phq9_total: int, exact: bool = False
) -> ScaleDraw:
    """The GAD-7 answered alongside a PHQ-9 with ``phq9_total``."""
    improvement = max(0.0, 1 - phq9_total / profile.phq9_baseline)
    expected = profile.gad7_baseline * (1 - min(1.0, improvement * profile.gad7_ratio))
    noise = 0.0 if exact else rng.gauss(0, GAD7_NOISE_SD)
    total = clip(round(expected + noise), 0, GAD7_ITEMS * GAD7_ITEM_MAX)
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
