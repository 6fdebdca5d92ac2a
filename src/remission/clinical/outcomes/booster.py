"""Booster-due suggestions: a prompt for the prescriber, never an order.

No validated booster schedule exists. The score triggers (e.g. PHQ-9 rising ≥5 points from its
post-series low, or back to ≥10) are clinic conventions, and every suggestion says so. The
points are on the scale of one instrument (``outcomes.booster_instrument``); scores of another
instrument do not fire them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.outcomes.series import Score, ScoreScale
from remission.clinical.protocols import sources
from remission.clinical.registry import Overrides

_BOOSTER_CONVENTION = sources.convention(
    "booster triggers used by clinics (PHQ-9 rising ≥5 points or back to ≥10) are practice "
    "conventions, not evidence-based rules; no validated booster schedule exists"
)
# Point triggers per instrument: (rise from the low since the series, return to at least);
# an instrument not listed has none (a switch of scale never reuses another scale's points).
_POINT_TRIGGERS = {"phq9": (5, 10), "madrs": (8, 22)}


def rise_key(instrument_id: str) -> str:
    return f"outcomes.booster.{instrument_id}.rise_from_nadir_points"


def return_key(instrument_id: str) -> str:
    return f"outcomes.booster.{instrument_id}.return_at_or_above_total"


for _instrument, (_rise, _return) in _POINT_TRIGGERS.items():
    registry.define(
        rise_key(_instrument),
        _rise,
        unit="points",
        title=f"Booster ({_instrument}): suggest when the score rises this much above its low "
        "since the series",
        evidence=_BOOSTER_CONVENTION,
        minimum=1,
        maximum=40,
    )
    registry.define(
        return_key(_instrument),
        _return,
        unit="points",
        title=f"Booster ({_instrument}): suggest when the score returns to at least this "
        "(after being below it)",
        evidence=_BOOSTER_CONVENTION,
        minimum=1,
        maximum=60,
    )
BOOSTER_DAYS = registry.define(
    "outcomes.booster_days_since_last_dose",
    0,
    unit="days",
    title="Booster: suggest when this many days have passed since the last dose (0 = off)",
    evidence=sources.convention("calendar-based boosters; off unless a clinic sets it"),
    minimum=0,
    maximum=365,
)

PRESCRIBER_DECIDES = (
    "Booster triggers are clinic conventions, not evidence-based rules; a prescriber decides."
)


@dataclass(frozen=True, slots=True)
class BoosterTrigger:
    code: str
    message: str
    setting: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class BoosterSuggestion:
    suggested: bool
    triggers: tuple[BoosterTrigger, ...]
    message: str
    nadir: Score | None
    latest: Score | None
    decided_by: str = "prescriber"


def suggest_booster(
    scores: Sequence[Score],
    *,
    scale: ScoreScale,
    nadir_since: dt.date,
    today: dt.date,
    responded: bool,
    last_dose_on: dt.date | None = None,
    overrides: Overrides | None = None,
) -> BoosterSuggestion:
    """Whether a booster may be due, and why.

    ``nadir_since`` is the date from which the low point is taken (typically the end of the
    induction series); scores up to ``today`` count. Only a patient who ``responded`` to the
    series is suggested a booster: one who never improved needs a review, not a booster.
    """
    if last_dose_on is not None and last_dose_on > today:
        raise ClinicalInputError(f"last dose {last_dose_on} is after today {today}")
    for score in scores:
        if score.instrument_id != scale.instrument_id:
            raise ClinicalInputError(
                f"a {score.instrument_id} score was given with the {scale.instrument_id} scale"
            )
        if score.on > today:
            raise ClinicalInputError(f"a score is dated {score.on}, after today {today}")
    window = sorted((s for s in scores if s.on >= nadir_since), key=lambda s: s.on)
    nadir = min(window, key=lambda s: s.total) if window else None
    latest = window[-1] if window else None
    if not responded:
        return BoosterSuggestion(
            suggested=False,
            triggers=(),
            message="No booster suggestion: the patient did not respond to the series; a "
            "prescriber reviews the treatment instead.",
            nadir=nadir,
            latest=latest,
        )
    triggers: list[BoosterTrigger] = []
    notes: list[str] = []
    if scale.instrument_id not in _POINT_TRIGGERS:
        notes.append(f"no booster point triggers are set for {scale.instrument_id}")
    elif nadir is not None and latest is not None:
        triggers += _score_triggers(nadir, latest, scale.instrument_id, overrides)
    triggers += _days_trigger(last_dose_on, today, overrides)
    if triggers:
        message = (
            "Booster may be due — for prescriber review: "
            + "; ".join(t.message for t in triggers)
            + ". "
            + PRESCRIBER_DECIDES
        )
    else:
        message = "No booster trigger fired; a prescriber may still decide on clinical grounds."
    if notes:
        message += " Note: " + "; ".join(notes) + "."
    return BoosterSuggestion(
        suggested=bool(triggers),
        triggers=tuple(triggers),
        message=message,
        nadir=nadir,
        latest=latest,
    )


def _score_triggers(
    nadir: Score, latest: Score, instrument_id: str, overrides: Overrides | None
) -> list[BoosterTrigger]:
    triggers = []
    rise_needed = registry.resolve_decimal(rise_key(instrument_id), overrides)
    rise = latest.total - nadir.total
    if rise >= rise_needed:
        triggers.append(
            BoosterTrigger(
                "SCORE_ROSE_FROM_NADIR",
                f"{latest.instrument_id} rose {rise} points from its low of {nadir.total} "
                f"({nadir.on}) to {latest.total} ({latest.on}); rule: rise ≥ {rise_needed}",
                rise_key(instrument_id),
                _BOOSTER_CONVENTION,
            )
        )
    return_level = registry.resolve_decimal(return_key(instrument_id), overrides)
    if latest.total >= return_level > nadir.total:
        triggers.append(
            BoosterTrigger(
                "SCORE_RETURNED_ABOVE_LEVEL",
                f"{latest.instrument_id} is back to {latest.total} ({latest.on}) after a low of "
                f"{nadir.total}; rule: back to ≥ {return_level}",
                return_key(instrument_id),
                _BOOSTER_CONVENTION,
            )
        )
    return triggers


def _days_trigger(
    last_dose_on: dt.date | None, today: dt.date, overrides: Overrides | None
) -> list[BoosterTrigger]:
    days_limit = int(registry.resolve_decimal(BOOSTER_DAYS.key, overrides))
    if not days_limit or last_dose_on is None:
        return []
    days = (today - last_dose_on).days
    if days < days_limit:
        return []
    return [
        BoosterTrigger(
            "DAYS_SINCE_LAST_DOSE",
            f"{days} days since the last dose ({last_dose_on}); rule: ≥ {days_limit} days",
            BOOSTER_DAYS.key,
            BOOSTER_DAYS.evidence,
        )
    ]
