"""The words of the intake and of the eligibility record: answers, outcomes, severities."""

from __future__ import annotations

import enum

from remission.clinical.routes import ALL_ROUTES, Drug, Route


class PregnancyStatus(enum.StrEnum):
    NOT_APPLICABLE = "not_applicable"
    NOT_PREGNANT = "not_pregnant"
    PREGNANT = "pregnant"
    PLANNING = "planning"
    UNKNOWN = "unknown"


class SubstanceUseDisorder(enum.StrEnum):
    NONE = "none"
    IN_REMISSION = "in_remission"
    ACTIVE = "active"


class Substance(enum.StrEnum):
    ALCOHOL = "alcohol"
    KETAMINE = "ketamine"
    PHENCYCLIDINE = "phencyclidine"
    OPIOIDS = "opioids"
    STIMULANTS = "stimulants"
    SEDATIVES = "sedatives"
    CANNABIS = "cannabis"
    HALLUCINOGENS = "hallucinogens"
    OTHER = "other"


class Adherence(enum.StrEnum):
    GOOD = "good"
    PARTIAL = "partial"
    POOR = "poor"


class TrialOutcome(enum.StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    RESPONSE = "response"
    REMISSION = "remission"
    INTOLERANCE = "intolerance"


class BaselineSeverity(enum.StrEnum):
    """Baseline severity in the Maudsley Staging Method's categories."""

    SUBSYNDROMAL = "subsyndromal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE_WITHOUT_PSYCHOSIS = "severe_without_psychosis"
    SEVERE_WITH_PSYCHOSIS = "severe_with_psychosis"


class Severity(enum.StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"
    CAUTION = "caution"


class RouteStatus(enum.StrEnum):
    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    CONTRAINDICATED = "contraindicated"


ROUTE_STATUS_LABELS = {
    RouteStatus.ELIGIBLE: "Eligible",
    RouteStatus.NEEDS_REVIEW: "Needs review",
    RouteStatus.CONTRAINDICATED: "Contraindicated",
}


class MsmBand(enum.StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


RACEMIC_ROUTES: tuple[Route, ...] = tuple(r for r in ALL_ROUTES if r.drug is Drug.RACEMIC_KETAMINE)
ESKETAMINE_ONLY: tuple[Route, ...] = tuple(r for r in ALL_ROUTES if r.drug is Drug.ESKETAMINE)
