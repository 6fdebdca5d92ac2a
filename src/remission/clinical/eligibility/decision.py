"""The eligibility record: every reason found, and each route's decision.

Each route is ``contraindicated`` (at least one absolute reason), ``needs_review`` (at least one
relative reason) or ``eligible`` (cautions at most): the worst tier wins, and every reason found
is listed whatever the tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from remission.clinical import registry
from remission.clinical.eligibility.contraindications import (
    age_and_indication,
    cardiovascular,
    intracranial,
    medications,
    other_conditions,
    pregnancy,
    presedation,
    psychiatric,
    substances,
    vascular,
)
from remission.clinical.eligibility.intake import Intake
from remission.clinical.eligibility.reasons import Reason
from remission.clinical.eligibility.settings import ELIGIBILITY_SETTINGS, RuleSettings
from remission.clinical.eligibility.staging import TreatmentResistance, assess_treatment_resistance
from remission.clinical.eligibility.vocabulary import RouteStatus, Severity
from remission.clinical.routes import ALL_ROUTES, Route

DECISION_SUPPORT_NOTICE = (
    "Decision support only, not a decision: a prescriber reviews every reason listed here "
    "and signs off before any treatment."
)


@dataclass(frozen=True, slots=True)
class RouteDecision:
    route: Route
    status: RouteStatus
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class EligibilityAssessment:
    decision_support_notice: str
    routes: tuple[RouteDecision, ...]
    treatment_resistance: TreatmentResistance
    settings_used: Mapping[str, registry.DefaultValue]

    def decision_for(self, route: Route) -> RouteDecision:
        for decision in self.routes:
            if decision.route is route:
                return decision
        raise KeyError(route)


def assess_eligibility(
    intake: Intake, *, overrides: registry.Overrides | None = None
) -> EligibilityAssessment:
    """Every reason found in ``intake``, and each route's status. Decision support only."""
    if overrides:
        registry.validate_overrides(overrides)
    settings = RuleSettings.resolve(overrides)
    resistance = assess_treatment_resistance(
        intake.antidepressant_trials,
        ect_used_in_current_episode=intake.ect_used_in_current_episode,
        current_episode_months=intake.current_episode_months,
        baseline_severity=intake.baseline_severity,
        overrides=overrides,
    )
    reasons = [
        *vascular.reasons(intake),
        *cardiovascular.reasons(intake, settings),
        *intracranial.reasons(intake),
        *psychiatric.reasons(intake),
        *substances.reasons(intake),
        *pregnancy.reasons(intake),
        *medications.reasons(intake, settings),
        *age_and_indication.reasons(intake, resistance),
        *other_conditions.reasons(intake),
        *presedation.reasons(intake, settings),
    ]
    decisions = tuple(_decide(route, reasons) for route in ALL_ROUTES)
    return EligibilityAssessment(
        decision_support_notice=DECISION_SUPPORT_NOTICE,
        routes=decisions,
        treatment_resistance=resistance,
        settings_used={d.key: registry.resolve(d.key, overrides) for d in ELIGIBILITY_SETTINGS},
    )


_SEVERITY_ORDER = {Severity.ABSOLUTE: 0, Severity.RELATIVE: 1, Severity.CAUTION: 2}


def _decide(route: Route, reasons: Sequence[Reason]) -> RouteDecision:
    mine = sorted(
        (r for r in reasons if route in r.routes),
        key=lambda r: (_SEVERITY_ORDER[r.severity], r.code),
    )
    severities = {r.severity for r in mine}
    if Severity.ABSOLUTE in severities:
        status = RouteStatus.CONTRAINDICATED
    elif Severity.RELATIVE in severities:
        status = RouteStatus.NEEDS_REVIEW
    else:
        status = RouteStatus.ELIGIBLE
    return RouteDecision(route=route, status=status, reasons=tuple(mine))
