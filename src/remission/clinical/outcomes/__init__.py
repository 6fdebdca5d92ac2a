"""Outcome rules: response and remission over a score series, booster suggestions, escalation.

``series`` turns dated scores into baseline, response, remission, sustained remission and
losses of response; ``booster`` suggests (never orders) a booster; ``escalation`` says who must
hear about a safety flag and how fast.
"""

from remission.clinical.outcomes.booster import (
    BoosterSuggestion,
    BoosterTrigger,
    suggest_booster,
)
from remission.clinical.outcomes.escalation import (
    ROLES,
    Disposition,
    Escalation,
    Urgency,
    disposition_problems,
    dose_may_proceed,
    escalate,
    escalate_flag,
)
from remission.clinical.outcomes.series import (
    ClinicalEvent,
    EventKind,
    Milestone,
    OutcomeAssessment,
    ResponseLevel,
    Score,
    ScorePoint,
    ScoreScale,
    SustainedRemission,
    Worsening,
    WorseningKind,
    assess_outcomes,
    reduction_percent,
    select_baseline,
)

__all__ = [
    "ROLES",
    "BoosterSuggestion",
    "BoosterTrigger",
    "ClinicalEvent",
    "Disposition",
    "Escalation",
    "EventKind",
    "Milestone",
    "OutcomeAssessment",
    "ResponseLevel",
    "Score",
    "ScorePoint",
    "ScoreScale",
    "SustainedRemission",
    "Urgency",
    "Worsening",
    "WorseningKind",
    "assess_outcomes",
    "disposition_problems",
    "dose_may_proceed",
    "escalate",
    "escalate_flag",
    "reduction_percent",
    "select_baseline",
    "suggest_booster",
]
