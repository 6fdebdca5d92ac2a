"""(d) Adverse events at the published frequencies, drawn per patient and per session."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical.routes import Route

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
AE_ACTIONS = {
    "nausea": ("Reassurance; emesis basin at hand", "Antiemetic given per standing order"),
    "vomiting": ("Emesis basin; reassurance", "Antiemetic given per standing order"),
    "headache": ("Dimmed lights; rest", "Analgesic given per standing order"),
    "dizziness": ("Stayed reclined; assisted when standing", "Stayed reclined; fall precautions"),
    "dissociation": ("Verbal reassurance; quiet room", "Lights dimmed; nurse stayed at chair"),
    "sedation": ("Observed; rousable to voice", "Observed closely; roused to voice"),
}
DEFAULT_ACTION = ("Reassurance; observed", "Observed closely; prescriber informed")


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


def events_this_session(
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
