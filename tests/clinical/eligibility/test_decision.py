"""Eligibility: the record, each route's status, and the reasons it lists (``decision``)."""

from __future__ import annotations

from remission.clinical.eligibility import (
    DECISION_SUPPORT_NOTICE,
    PregnancyStatus,
    RouteStatus,
    assess_eligibility,
)
from remission.clinical.evidence import Confidence
from tests.clinical.eligibility.eligibility_intakes import ESK, IM, IV, intake

# --- Baseline --------------------------------------------------------------------------------


def test_baseline_treatment_resistant_adult_is_eligible_for_every_route_with_no_reasons():
    assessment = assess_eligibility(intake())
    for decision in assessment.routes:
        assert decision.status is RouteStatus.ELIGIBLE
        assert decision.reasons == ()
    assert [d.route for d in assessment.routes] == [IV, IM, ESK]


def test_every_record_says_it_is_decision_support_and_a_prescriber_signs_off():
    assessment = assess_eligibility(intake())
    assert assessment.decision_support_notice == DECISION_SUPPORT_NOTICE
    assert "decision support" in DECISION_SUPPORT_NOTICE.lower()
    assert "prescriber" in DECISION_SUPPORT_NOTICE
    assert "signs off" in DECISION_SUPPORT_NOTICE


def test_every_reason_carries_a_message_its_routes_and_evidence():
    everything = intake(
        history={
            "intracerebral_haemorrhage": True,
            "uncontrolled_hypertension": True,
            "acute_suicidality": True,
            "cystitis_or_lower_urinary_tract_symptoms": True,
        },
        medications={"maoi": True},
        blood_pressure_today=None,
    )
    for decision in assess_eligibility(everything).routes:
        assert decision.reasons
        for reason in decision.reasons:
            assert reason.message
            assert decision.route in reason.routes
            assert reason.evidence.citation
            assert isinstance(reason.evidence.confidence, Confidence)


def test_absolute_contraindication_lists_every_other_reason_too():
    assessment = assess_eligibility(
        intake(
            history={"aneurysmal_vascular_disease": True, "acute_suicidality": True},
            pregnancy=PregnancyStatus.PREGNANT,
        )
    )
    iv = assessment.decision_for(IV)
    assert iv.status is RouteStatus.CONTRAINDICATED
    assert [r.code for r in iv.reasons] == [
        "aneurysmal_vascular_disease",
        "pregnancy",
        "acute_suicidality",
    ]
