"""In-session monitoring: pre-dose check, chair-side alerts, the due/overdue board, discharge.

``thresholds`` holds every configurable limit with its source; ``vitals`` the pre-dose decision
and the alerts; ``checks`` the state of each planned check; ``discharge`` the readiness to
leave, with ``discharge_score`` (modified PADSS or Aldrete) as one of its criteria.
The planned checks themselves belong to the protocol (``protocols.monitoring_plan``).
"""

from remission.clinical.monitoring.checks import CheckState, CheckStatus, due_checks
from remission.clinical.monitoring.discharge import (
    Criterion,
    CriterionResult,
    DischargeAssessment,
    DischargeFacts,
    ScoredCheck,
    evaluate_discharge,
)
from remission.clinical.monitoring.discharge_score import (
    SCORES,
    DischargeCharting,
    DischargeScore,
    ItemScore,
    ScoreItem,
    ScoreSystem,
    chosen_score,
    score_discharge,
)
from remission.clinical.monitoring.vitals import (
    ALERT_RULES,
    PredoseDecision,
    PredoseFinding,
    PredoseStatus,
    Severity,
    VitalAlert,
    VitalSigns,
    evaluate_sedation,
    evaluate_vitals,
    predose_check,
)

__all__ = [
    "ALERT_RULES",
    "SCORES",
    "CheckState",
    "CheckStatus",
    "Criterion",
    "CriterionResult",
    "DischargeAssessment",
    "DischargeCharting",
    "DischargeFacts",
    "DischargeScore",
    "ItemScore",
    "PredoseDecision",
    "PredoseFinding",
    "PredoseStatus",
    "ScoreItem",
    "ScoreSystem",
    "ScoredCheck",
    "Severity",
    "VitalAlert",
    "VitalSigns",
    "chosen_score",
    "due_checks",
    "evaluate_discharge",
    "evaluate_sedation",
    "evaluate_vitals",
    "predose_check",
    "score_discharge",
]
