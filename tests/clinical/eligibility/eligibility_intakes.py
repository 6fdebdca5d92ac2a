"""The intakes and checks the eligibility tests share: a baseline eligible adult, changed
one finding at a time, and the two checks every family's rule table runs."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from remission.clinical.eligibility import (
    Adherence,
    AntidepressantTrial,
    AsaClass,
    BaselineSeverity,
    BloodPressure,
    CurrentMedications,
    EligibilityAssessment,
    Intake,
    Investigation,
    MedicalHistory,
    PregnancyStatus,
    PreSedationAssessment,
    RouteStatus,
    Severity,
    Sex,
    StopBangAnswers,
    TrialOutcome,
    assess_eligibility,
)
from remission.clinical.medications import AlcoholUse
from remission.clinical.routes import Route

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"

IV, IM, ESK = Route.IV_RACEMIC, Route.IM_RACEMIC, Route.ESKETAMINE_NASAL
ABS, REL, CAU = Severity.ABSOLUTE, Severity.RELATIVE, Severity.CAUTION

# One row: case name, intake changes, reason code, the severity on each route it applies to.
RuleTable = list[tuple[str, dict[str, Any], str, dict[Route, Severity]]]


def failed_trial(drug: str = "sertraline", **changes: Any) -> AntidepressantTrial:
    trial = AntidepressantTrial(
        drug=drug,
        adequate_dose=True,
        duration_weeks=Decimal(8),
        adherence=Adherence.GOOD,
        outcome=TrialOutcome.NONE,
        current_episode=True,
        augmentation=False,
    )
    return replace(trial, **changes)


def healthy_presedation(**changes: Any) -> PreSedationAssessment:
    """ASA I, every STOP-Bang question 'no', BMI 24, no investigation done (none indicated)."""
    stop_bang = StopBangAnswers(
        snores_loudly=False,
        tired_during_the_day=False,
        observed_apnoea=False,
        high_blood_pressure=False,
        neck_over_40_cm=False,
    )
    base = PreSedationAssessment(
        asa_class=AsaClass.I,
        stop_bang=replace(stop_bang, **changes.pop("stop_bang", {})),
        bmi_kg_per_m2=Decimal(24),
        mallampati=None,
        ecg=Investigation.NOT_DONE,
        liver_tests=Investigation.NOT_DONE,
        urine_drug_screen=Investigation.NOT_DONE,
    )
    return replace(base, **changes)


def intake(**changes: Any) -> Intake:
    """A treatment-resistant adult with MDD and nothing else to report: eligible everywhere.

    ``medications={...}`` (a dict of the older yes/no boxes) builds an intake as the older form
    recorded it (no list, no pre-sedation assessment); anything else builds a current one:
    ``medications=(MedicationUse(...), ...)``, ``presedation={...}`` changes to the healthy
    assessment, ``alcohol=AlcoholUse...``.
    """
    history = MedicalHistory.nothing_reported(**changes.pop("history", {}))
    boxes = changes.pop("medications", None)
    if isinstance(boxes, dict):
        changes.update(
            medications=(),
            legacy_medication_boxes=CurrentMedications.none_taken(**boxes),
            presedation=None,
            alcohol=None,
        )
    else:
        changes["medications"] = tuple(boxes or ())
    presedation = changes.pop("presedation", {})
    if isinstance(presedation, dict):
        presedation = healthy_presedation(**presedation)
    fields: dict[str, Any] = {
        "age_years": 40,
        "sex": Sex.FEMALE,
        "pregnancy": PregnancyStatus.NOT_PREGNANT,
        "breastfeeding": False,
        "blood_pressure_today": BloodPressure(systolic_mmhg=120, diastolic_mmhg=80),
        "history": history,
        "diagnoses_icd10cm": ("F33.1",),
        "medications": (),
        "alcohol": AlcoholUse.NONE,
        "presedation": None,
        "legacy_medication_boxes": None,
        "antidepressant_trials": (failed_trial("sertraline"), failed_trial("venlafaxine")),
        "ect_used_in_current_episode": False,
        "current_episode_months": 10,
        "baseline_severity": BaselineSeverity.MODERATE,
    }
    fields["presedation"] = presedation
    return Intake(**{**fields, **changes})


def severity_by_route(assessment: EligibilityAssessment, code: str) -> dict[Route, Severity]:
    found: dict[Route, Severity] = {}
    for decision in assessment.routes:
        for reason in decision.reasons:
            if reason.code == code:
                assert decision.route not in found, f"{code} listed twice for {decision.route}"
                found[decision.route] = reason.severity
    return found


def all_routes(severity: Severity) -> dict[Route, Severity]:
    return {IV: severity, IM: severity, ESK: severity}


def cases(table: RuleTable) -> list[Any]:
    """One pytest case per row of a family's rule table, named by the row."""
    return [
        pytest.param(changes, code, expected, id=name) for name, changes, code, expected in table
    ]


def assert_severity_on_exactly_its_routes(
    changes: dict[str, Any], code: str, expected: dict[Route, Severity]
) -> None:
    assessment = assess_eligibility(intake(**changes))
    assert severity_by_route(assessment, code) == expected


def assert_status_follows_most_severe_reason(
    changes: dict[str, Any], expected: dict[Route, Severity]
) -> None:
    assessment = assess_eligibility(intake(**changes))
    for decision in assessment.routes:
        severities = {r.severity for r in decision.reasons}
        if ABS in severities:
            assert decision.status is RouteStatus.CONTRAINDICATED
        elif REL in severities:
            assert decision.status is RouteStatus.NEEDS_REVIEW
        else:
            assert decision.status is RouteStatus.ELIGIBLE
        if expected.get(decision.route) is ABS:
            assert decision.status is RouteStatus.CONTRAINDICATED
