"""Eligibility per route, intake validation, treatment-resistance counting, Maudsley staging."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from remission.clinical import registry
from remission.clinical.eligibility import (
    DECISION_SUPPORT_NOTICE,
    Adherence,
    AntidepressantTrial,
    BaselineSeverity,
    BloodPressure,
    CurrentMedications,
    EligibilityAssessment,
    Intake,
    MaudsleyStaging,
    MedicalHistory,
    MsmBand,
    PregnancyStatus,
    RouteStatus,
    Severity,
    Sex,
    Substance,
    SubstanceUseDisorder,
    TreatmentResistance,
    TrialOutcome,
    assess_eligibility,
    assess_treatment_resistance,
    stage_maudsley,
)
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from remission.clinical.routes import Route

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

IV, IM, ESK = Route.IV_RACEMIC, Route.IM_RACEMIC, Route.ESKETAMINE_NASAL
ABS, REL, CAU = Severity.ABSOLUTE, Severity.RELATIVE, Severity.CAUTION


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


def intake(**changes: Any) -> Intake:
    """A treatment-resistant adult with MDD and nothing else to report: eligible everywhere."""
    history = MedicalHistory.nothing_reported(**changes.pop("history", {}))
    medications = CurrentMedications.none_taken(**changes.pop("medications", {}))
    base = Intake(
        age_years=40,
        sex=Sex.FEMALE,
        pregnancy=PregnancyStatus.NOT_PREGNANT,
        breastfeeding=False,
        blood_pressure_today=BloodPressure(systolic_mmhg=120, diastolic_mmhg=80),
        history=history,
        diagnoses_icd10cm=("F33.1",),
        medications=medications,
        antidepressant_trials=(failed_trial("sertraline"), failed_trial("venlafaxine")),
        ect_used_in_current_episode=False,
        current_episode_months=10,
        baseline_severity=BaselineSeverity.MODERATE,
    )
    return replace(base, **changes)


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


# --- Every contraindication and caution, per route -------------------------------------------

RULE_TABLE: list[tuple[str, dict[str, Any], str, dict[Route, Severity]]] = [
    # absolute: the esketamine label, applied to racemic ketamine too
    ("aneurysm flag", {"history": {"aneurysmal_vascular_disease": True}},
     "aneurysmal_vascular_disease", all_routes(ABS)),
    ("aortic aneurysm code", {"diagnoses_icd10cm": ("F33.1", "I71.4")},
     "aneurysmal_vascular_disease", all_routes(ABS)),
    ("AVM flag", {"history": {"arteriovenous_malformation": True}},
     "arteriovenous_malformation", all_routes(ABS)),
    ("cerebral AVM code", {"diagnoses_icd10cm": ("F33.1", "Q28.2")},
     "arteriovenous_malformation", all_routes(ABS)),
    ("ICH flag", {"history": {"intracerebral_haemorrhage": True}},
     "intracerebral_haemorrhage", all_routes(ABS)),
    ("ICH code", {"diagnoses_icd10cm": ("F33.1", "I61.9")},
     "intracerebral_haemorrhage", all_routes(ABS)),
    ("hypersensitivity", {"history": {"hypersensitivity_to_ketamine_or_esketamine": True}},
     "hypersensitivity", all_routes(ABS)),
    # relative: cardiovascular
    ("uncontrolled hypertension", {"history": {"uncontrolled_hypertension": True}},
     "uncontrolled_hypertension", all_routes(REL)),
    ("recent MI", {"history": {"recent_myocardial_infarction": True}},
     "recent_myocardial_infarction", all_routes(REL)),
    ("unstable angina", {"history": {"unstable_angina": True}},
     "unstable_angina", all_routes(REL)),
    ("arrhythmia", {"history": {"significant_arrhythmia": True}},
     "significant_arrhythmia", all_routes(REL)),
    ("recent stroke", {"history": {"recent_stroke": True}}, "recent_stroke", all_routes(REL)),
    ("systolic 141", {"blood_pressure_today": BloodPressure(141, 80)},
     "blood_pressure_above_pretreatment_threshold", all_routes(REL)),
    ("diastolic 91", {"blood_pressure_today": BloodPressure(130, 91)},
     "blood_pressure_above_pretreatment_threshold", all_routes(REL)),
    ("140/90 exactly is not above", {"blood_pressure_today": BloodPressure(140, 90)},
     "blood_pressure_above_pretreatment_threshold", {}),
    ("BP not recorded", {"blood_pressure_today": None},
     "blood_pressure_not_recorded", all_routes(CAU)),
    # relative: intracranial
    ("raised ICP", {"history": {"raised_intracranial_pressure": True}},
     "raised_intracranial_pressure", all_routes(REL)),
    ("head injury", {"history": {"recent_head_injury": True}},
     "recent_head_injury", all_routes(REL)),
    # psychiatric
    ("psychotic features flag", {"history": {"current_psychotic_features": True}},
     "current_psychotic_features", all_routes(REL)),
    ("psychotic depression code", {"diagnoses_icd10cm": ("F33.3",)},
     "current_psychotic_features", all_routes(REL)),
    ("psychosis history flag", {"history": {"psychosis_history": True}},
     "psychosis_history", all_routes(REL)),
    ("schizophrenia code", {"diagnoses_icd10cm": ("F33.1", "F20.9")},
     "psychosis_history", all_routes(REL)),
    ("mania flag", {"history": {"current_mania": True}}, "current_mania", all_routes(REL)),
    ("manic episode code", {"diagnoses_icd10cm": ("F33.1", "F30.10")},
     "current_mania", all_routes(REL)),
    ("bipolar without mood stabiliser", {"history": {"bipolar_disorder": True}},
     "bipolar_disorder_without_mood_stabiliser", all_routes(REL)),
    ("bipolar code without mood stabiliser", {"diagnoses_icd10cm": ("F33.1", "F31.4")},
     "bipolar_disorder_without_mood_stabiliser", all_routes(REL)),
    ("bipolar with mood stabiliser",
     {"history": {"bipolar_disorder": True}, "medications": {"mood_stabiliser": True}},
     "bipolar_disorder_on_mood_stabiliser", all_routes(CAU)),
    # substance use
    ("active SUD",
     {"history": {"substance_use_disorder": SubstanceUseDisorder.ACTIVE,
                  "substances": (Substance.ALCOHOL,)}},
     "active_substance_use_disorder", all_routes(REL)),
    ("SUD in remission",
     {"history": {"substance_use_disorder": SubstanceUseDisorder.IN_REMISSION}},
     "substance_use_disorder_in_remission", all_routes(CAU)),
    ("opioid dependence code with no SUD recorded", {"diagnoses_icd10cm": ("F33.1", "F11.20")},
     "substance_code_without_disorder_recorded", all_routes(CAU)),
    ("nicotine code is not a substance prompt", {"diagnoses_icd10cm": ("F33.1", "F17.210")},
     "substance_code_without_disorder_recorded", {}),
    # reproductive
    ("pregnant", {"pregnancy": PregnancyStatus.PREGNANT}, "pregnancy", all_routes(REL)),
    ("breastfeeding", {"breastfeeding": True}, "breastfeeding", all_routes(REL)),
    ("pregnancy unknown", {"pregnancy": PregnancyStatus.UNKNOWN},
     "pregnancy_status_unknown", all_routes(CAU)),
    ("planning pregnancy", {"pregnancy": PregnancyStatus.PLANNING},
     "planning_pregnancy", all_routes(CAU)),
    # medications
    ("benzodiazepine above 2 mg",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("2.5")}},
     "benzodiazepine_above_threshold", all_routes(REL)),
    ("benzodiazepine at 2 mg is not above",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("2")}},
     "benzodiazepine_above_threshold", {}),
    ("benzodiazepine dose unknown", {"medications": {"benzodiazepine": True}},
     "benzodiazepine_dose_unknown", all_routes(REL)),
    ("any benzodiazepine sedates",
     {"medications": {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal("1")}},
     "cns_depressant_benzodiazepine", all_routes(CAU)),
    ("Z-drug", {"medications": {"z_drug": True}}, "cns_depressant_z_drug", all_routes(CAU)),
    ("opioid", {"medications": {"opioid": True}}, "cns_depressant_opioid", all_routes(CAU)),
    ("MAOI", {"medications": {"maoi": True}}, "maoi", all_routes(CAU)),
    ("stimulant", {"medications": {"stimulant": True}}, "stimulant", all_routes(CAU)),
    ("other BP-raising drug", {"medications": {"other_blood_pressure_raising": True}},
     "other_blood_pressure_raising_medication", all_routes(CAU)),
    ("lamotrigine", {"medications": {"lamotrigine": True}}, "lamotrigine", all_routes(CAU)),
    ("MAOI is a REMS form item", {"medications": {"maoi": True}},
     "rems_concomitant_medication", {ESK: CAU}),
    ("opioid is a REMS form item", {"medications": {"opioid": True}},
     "rems_concomitant_medication", {ESK: CAU}),
    ("lamotrigine is not a REMS form item", {"medications": {"lamotrigine": True}},
     "rems_concomitant_medication", {}),
    # age and indication
    ("age 17", {"age_years": 17}, "under_18", all_routes(REL)),
    ("age 18", {"age_years": 18}, "under_18", {}),
    ("age 65 esketamine BP", {"age_years": 65}, "esketamine_age_65_or_over", {ESK: CAU}),
    ("age 64", {"age_years": 64}, "esketamine_age_65_or_over", {}),
    ("age 24 class warning", {"age_years": 24},
     "age_24_or_under_suicidality_warning", {ESK: CAU}),
    ("age 25", {"age_years": 25}, "age_24_or_under_suicidality_warning", {}),
    ("no MDD code", {"diagnoses_icd10cm": ("F41.1",)},
     "no_major_depression_diagnosis", all_routes(REL)),
    ("F32.A counts as MDD", {"diagnoses_icd10cm": ("F32.A",)},
     "no_major_depression_diagnosis", {}),
    ("one failed trial: esketamine indication",
     {"antidepressant_trials": (failed_trial(),)}, "esketamine_indication_not_met", {ESK: REL}),
    ("one failed trial: racemic evidence",
     {"antidepressant_trials": (failed_trial(),)}, "not_treatment_resistant",
     {IV: CAU, IM: CAU}),
    ("acute suicidality meets the esketamine indication without TRD",
     {"antidepressant_trials": (), "history": {"acute_suicidality": True}},
     "esketamine_indication_not_met", {}),
    # other conditions
    ("cystitis", {"history": {"cystitis_or_lower_urinary_tract_symptoms": True}},
     "cystitis_or_lower_urinary_tract_symptoms", all_routes(CAU)),
    ("severe hepatic impairment", {"history": {"severe_hepatic_impairment": True}},
     "severe_hepatic_impairment", {ESK: REL, IV: CAU, IM: CAU}),
    ("cognitive impairment", {"history": {"cognitive_impairment": True}},
     "cognitive_impairment", all_routes(CAU)),
    ("unable to consent", {"history": {"unable_to_consent": True}},
     "unable_to_consent", all_routes(REL)),
    ("glaucoma", {"history": {"glaucoma_or_raised_intraocular_pressure": True}},
     "glaucoma_or_raised_intraocular_pressure", all_routes(CAU)),
    ("hyperthyroidism", {"history": {"hyperthyroidism": True}},
     "hyperthyroidism", all_routes(CAU)),
    ("acute suicidality", {"history": {"acute_suicidality": True}},
     "acute_suicidality", all_routes(CAU)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "code", "expected"),
    [
        pytest.param(changes, code, expected, id=name)
        for name, changes, code, expected in RULE_TABLE
    ],
)
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assessment = assess_eligibility(intake(**changes))
    assert severity_by_route(assessment, code) == expected


@pytest.mark.parametrize(
    ("changes", "code", "expected"),
    [
        pytest.param(changes, code, expected, id=name)
        for name, changes, code, expected in RULE_TABLE
    ],
)
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
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


def test_racemic_absolute_contraindications_are_labelled_as_extrapolated_from_esketamine():
    assessment = assess_eligibility(intake(history={"intracerebral_haemorrhage": True}))
    [esk_reason] = assessment.decision_for(ESK).reasons
    [iv_reason] = assessment.decision_for(IV).reasons
    assert esk_reason.evidence.confidence is Confidence.PRIMARY
    assert "SPRAVATO" in esk_reason.evidence.citation
    assert iv_reason.evidence.confidence is Confidence.UNCERTAIN
    assert "applied to racemic" in iv_reason.message


def test_racemic_hypersensitivity_cites_the_ketalar_label_at_secondary_confidence():
    assessment = assess_eligibility(
        intake(history={"hypersensitivity_to_ketamine_or_esketamine": True})
    )
    [iv_reason] = assessment.decision_for(IV).reasons
    assert iv_reason.evidence.confidence is Confidence.SECONDARY
    assert "Ketalar" in iv_reason.evidence.citation


def test_acute_suicidality_is_a_caution_not_a_contraindication_and_asks_for_a_safety_plan():
    assessment = assess_eligibility(intake(history={"acute_suicidality": True}))
    for decision in assessment.routes:
        assert decision.status is RouteStatus.ELIGIBLE
        [reason] = decision.reasons
        assert "safety plan" in reason.message


def test_flag_and_matching_code_give_one_reason_naming_the_code():
    assessment = assess_eligibility(
        intake(history={"bipolar_disorder": True}, diagnoses_icd10cm=("F31.4", "F33.1"))
    )
    reasons = [r for r in assessment.decision_for(IV).reasons if "bipolar" in r.code]
    assert len(reasons) == 1
    assert "F31.4" in reasons[0].message


def test_active_ketamine_use_disorder_names_the_misuse_risk():
    assessment = assess_eligibility(
        intake(
            history={
                "substance_use_disorder": SubstanceUseDisorder.ACTIVE,
                "substances": (Substance.KETAMINE,),
            }
        )
    )
    [reason] = assessment.decision_for(IV).reasons
    assert "ketamine or PCP" in reason.message


def test_rems_form_caution_lists_each_concomitant_class():
    assessment = assess_eligibility(
        intake(medications={"z_drug": True, "stimulant": True, "opioid": True})
    )
    [reason] = [r for r in assessment.decision_for(ESK).reasons if r.code.startswith("rems")]
    assert reason.message.endswith("non-benzodiazepine sedative hypnotic, psychostimulant, opioid")


# --- Configurable thresholds -----------------------------------------------------------------


def test_clinic_may_raise_the_pretreatment_blood_pressure_threshold():
    high = intake(blood_pressure_today=BloodPressure(145, 85))
    code = "blood_pressure_above_pretreatment_threshold"
    assert severity_by_route(assess_eligibility(high), code) == all_routes(REL)
    relaxed = {"eligibility.pretreatment_systolic_max_mmhg": 150}
    assert severity_by_route(assess_eligibility(high, overrides=relaxed), code) == {}


def test_clinic_may_change_the_benzodiazepine_threshold():
    on_3_mg = intake(
        medications={"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": Decimal(3)}
    )
    code = "benzodiazepine_above_threshold"
    assert severity_by_route(assess_eligibility(on_3_mg), code) == all_routes(REL)
    overrides = {"eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day": "3"}
    assert severity_by_route(assess_eligibility(on_3_mg, overrides=overrides), code) == {}


def test_record_lists_the_settings_it_used():
    overrides = {"eligibility.trd_minimum_failed_trials": 3}
    used = assess_eligibility(intake(), overrides=overrides).settings_used
    assert used["eligibility.trd_minimum_failed_trials"] == 3
    assert used["eligibility.pretreatment_systolic_max_mmhg"] == 140


def test_unknown_or_out_of_bounds_setting_is_refused():
    with pytest.raises(ClinicalInputError, match="unknown clinical setting"):
        assess_eligibility(intake(), overrides={"eligibility.no_such_thing": 1})
    with pytest.raises(ClinicalInputError, match="above the maximum"):
        assess_eligibility(intake(), overrides={"eligibility.trd_minimum_failed_trials": 9})


def test_every_eligibility_default_has_a_source_and_confidence():
    defaults = [d for d in registry.all_defaults() if d.key.startswith("eligibility.")]
    assert len(defaults) == 6
    for default in defaults:
        assert default.evidence.citation
        assert isinstance(default.evidence.confidence, Confidence)


# --- Treatment resistance --------------------------------------------------------------------


def resistance(
    *trials: AntidepressantTrial, overrides: dict[str, object] | None = None
) -> TreatmentResistance:
    return assess_treatment_resistance(
        trials,
        ect_used_in_current_episode=False,
        current_episode_months=10,
        baseline_severity=BaselineSeverity.MODERATE,
        overrides=overrides,
    )


@pytest.mark.parametrize(
    ("changes", "counted", "why"),
    [
        ({}, True, "counted"),
        ({"duration_weeks": Decimal(6)}, True, "counted"),
        ({"duration_weeks": Decimal("5.9")}, False, "5.9 weeks is under 6"),
        ({"adequate_dose": False}, False, "dose not adequate"),
        ({"adherence": Adherence.PARTIAL}, True, "counted"),
        ({"adherence": Adherence.POOR}, False, "adherence poor"),
        ({"current_episode": False}, False, "not in the current episode"),
        ({"outcome": TrialOutcome.PARTIAL}, False, "outcome partial is not a failure"),
        ({"outcome": TrialOutcome.RESPONSE}, False, "outcome response is not a failure"),
        ({"outcome": TrialOutcome.REMISSION}, False, "outcome remission is not a failure"),
        ({"outcome": TrialOutcome.INTOLERANCE}, False, "outcome intolerance is not a failure"),
    ],
)
def test_a_trial_counts_only_if_adequate_in_dose_duration_adherence_episode_and_failed(
    changes, counted, why
):
    result = resistance(failed_trial(**changes))
    [trial] = result.trials
    assert trial.counts_as_failure is counted
    assert why in trial.explanation
    assert result.failed_adequate_trials == int(counted)


def test_trial_explanation_lists_every_shortfall():
    [trial] = resistance(
        failed_trial(adequate_dose=False, duration_weeks=Decimal(2), current_episode=False)
    ).trials
    assert trial.explanation == (
        "not counted: dose not adequate; 2 weeks is under 6; not in the current episode"
    )


@pytest.mark.parametrize(("failures", "resistant"), [(0, False), (1, False), (2, True), (3, True)])
def test_trd_is_two_or_more_adequate_failed_trials(failures, resistant):
    result = resistance(*[failed_trial(f"drug {i}") for i in range(failures)])
    assert result.failed_adequate_trials == failures
    assert result.is_treatment_resistant is resistant
    assert result.minimum_failed_trials == 2


def test_clinic_may_require_more_failed_trials_for_trd():
    two = [failed_trial("a"), failed_trial("b")]
    assert not resistance(
        *two, overrides={"eligibility.trd_minimum_failed_trials": 3}
    ).is_treatment_resistant


def test_athf_style_four_week_minimum_is_a_setting():
    short = failed_trial(duration_weeks=Decimal(4))
    assert resistance(short).failed_adequate_trials == 0
    overrides = {"eligibility.trd_adequate_trial_minimum_weeks": 4}
    assert resistance(short, overrides=overrides).failed_adequate_trials == 1
    assert any("ATHF" in note for note in resistance(short).notes)


def test_partial_response_is_reported_but_counts_only_when_the_clinic_says_so():
    partial = (failed_trial("a", outcome=TrialOutcome.PARTIAL), failed_trial("b"))
    default = resistance(*partial)
    assert default.failed_adequate_trials == 1
    assert default.adequate_trials_with_partial_response == 1
    assert any("partial response" in note for note in default.notes)
    counted = resistance(
        *partial, overrides={"eligibility.trd_partial_response_counts_as_failure": True}
    )
    assert counted.failed_adequate_trials == 2
    assert counted.is_treatment_resistant


def test_trd_rule_and_sources_are_part_of_the_record():
    result = resistance(failed_trial())
    assert "at least 2 adequate trials" in result.rule
    assert "at least 6 weeks" in result.rule
    confidences = {e.confidence for e in result.evidence}
    assert Confidence.PRIMARY in confidences
    assert Confidence.RECALLED in confidences


def test_no_failed_trial_means_no_maudsley_stage_and_says_why():
    result = resistance(failed_trial(outcome=TrialOutcome.RESPONSE))
    assert result.maudsley is None
    assert result.maudsley_not_staged_reason is not None
    assert "at least one failed" in result.maudsley_not_staged_reason


def test_maudsley_stage_uses_the_counted_failures_and_current_episode_augmentation():
    result = assess_treatment_resistance(
        (
            failed_trial("a"),
            failed_trial("b", augmentation=True),
            failed_trial("c", current_episode=False, augmentation=True),
        ),
        ect_used_in_current_episode=True,
        current_episode_months=30,
        baseline_severity=BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS,
    )
    staging = result.maudsley
    assert staging is not None
    assert result.maudsley_not_staged_reason is None
    assert [p.points for p in staging.parts] == [3, 4, 1, 1, 1]
    assert staging.total == 10
    assert staging.band is MsmBand.MODERATE


def test_augmentation_in_a_previous_episode_does_not_score():
    result = resistance(
        failed_trial("a"), failed_trial("b", current_episode=False, augmentation=True)
    )
    assert result.maudsley is not None
    assert result.maudsley.augmentation.points == 0


# --- Maudsley Staging Method -----------------------------------------------------------------


def stage(**changes: Any) -> MaudsleyStaging:
    arguments: dict[str, Any] = {
        "current_episode_months": 6,
        "baseline_severity": BaselineSeverity.SUBSYNDROMAL,
        "failed_antidepressant_trials": 1,
        "augmentation_used": False,
        "ect_used": False,
    }
    arguments.update(changes)
    return stage_maudsley(**arguments)


@pytest.mark.parametrize(
    ("months", "points"), [(0, 1), (12, 1), (13, 2), (24, 2), (25, 3), (240, 3)]
)
def test_msm_duration_acute_up_to_12_months_subacute_to_24_chronic_beyond(months, points):
    part = stage(current_episode_months=months).duration
    assert part.points == points
    assert part.finding == f"{months} months"


@pytest.mark.parametrize(
    ("severity", "points"),
    [
        (BaselineSeverity.SUBSYNDROMAL, 1),
        (BaselineSeverity.MILD, 2),
        (BaselineSeverity.MODERATE, 3),
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, 4),
        (BaselineSeverity.SEVERE_WITH_PSYCHOSIS, 5),
    ],
)
def test_msm_severity_scores_1_to_5(severity, points):
    assert stage(baseline_severity=severity).severity.points == points


@pytest.mark.parametrize(
    ("failures", "points"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (10, 4), (11, 5), (30, 5)],
)
def test_msm_antidepressant_failure_levels(failures, points):
    part = stage(failed_antidepressant_trials=failures).antidepressant_failures
    assert part.points == points
    assert part.rule.startswith(f"level {points}:")


def test_msm_treatment_failure_levels_are_marked_recalled_not_checked():
    staging = stage()
    for part in (staging.antidepressant_failures, staging.augmentation, staging.ect):
        assert part.evidence.confidence is Confidence.RECALLED
    for part in (staging.duration, staging.severity):
        assert part.evidence.confidence is Confidence.PRIMARY


@pytest.mark.parametrize("used", [False, True])
def test_msm_augmentation_and_ect_score_one_point_each_when_used(used):
    staging = stage(augmentation_used=used, ect_used=used)
    assert staging.augmentation.points == int(used)
    assert staging.ect.points == int(used)


def test_msm_minimum_total_is_3_and_maximum_15():
    assert stage().total == 3
    highest = stage(
        current_episode_months=36,
        baseline_severity=BaselineSeverity.SEVERE_WITH_PSYCHOSIS,
        failed_antidepressant_trials=11,
        augmentation_used=True,
        ect_used=True,
    )
    assert highest.total == 15
    assert highest.band is MsmBand.SEVERE


@pytest.mark.parametrize(
    ("severity", "ect", "total", "band"),
    [
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, False, 6, MsmBand.MILD),
        (BaselineSeverity.SEVERE_WITHOUT_PSYCHOSIS, True, 7, MsmBand.MODERATE),
    ],
)
def test_msm_band_boundary_between_mild_and_moderate(severity, ect, total, band):
    staging = stage(baseline_severity=severity, ect_used=ect)
    assert (staging.total, staging.band) == (total, band)


@pytest.mark.parametrize(
    ("ect", "total", "band"), [(False, 10, MsmBand.MODERATE), (True, 11, MsmBand.SEVERE)]
)
def test_msm_band_boundary_between_moderate_and_severe(ect, total, band):
    staging = stage(
        current_episode_months=36,
        baseline_severity=BaselineSeverity.SEVERE_WITH_PSYCHOSIS,
        failed_antidepressant_trials=1,
        augmentation_used=True,
        ect_used=ect,
    )
    assert (staging.total, staging.band) == (total, band)


def test_msm_total_is_the_sum_of_its_parts_with_rules_shown():
    staging = stage(current_episode_months=18, failed_antidepressant_trials=4, ect_used=True)
    assert staging.total == sum(p.points for p in staging.parts) == 2 + 1 + 2 + 0 + 1
    assert all(p.rule for p in staging.parts)
    assert staging.band_rule == "mild = 3–6"


def test_msm_refuses_to_stage_without_a_failed_trial():
    with pytest.raises(ClinicalInputError, match="at least one failed antidepressant trial"):
        stage(failed_antidepressant_trials=0)


# --- Intake validation -----------------------------------------------------------------------


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("name", ["intake-eligible.json", "intake-contraindicated.json"])
def test_documented_example_intakes_are_valid(name):
    assert isinstance(Intake.from_mapping(example(name)), Intake)


def test_from_mapping_builds_the_same_intake_as_the_dataclasses():
    built = Intake.from_mapping(example("intake-eligible.json"))
    assert built.sex is Sex.FEMALE
    assert built.blood_pressure_today == BloodPressure(128, 82)
    assert built.antidepressant_trials[0].duration_weeks == Decimal(8)
    assert built.medications.lorazepam_equivalent_mg_per_day is None


def mutated(change: Any) -> dict[str, Any]:
    data = example("intake-eligible.json")
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(favourite_colour="blue"), "unknown field 'favourite_colour'"),
        (lambda d: d["history"].update(glaucomma=False),
         "unknown field 'history.glaucomma'; did you mean 'glaucoma_or_raised_intraocular_pressure'"),
        (lambda d: d["history"].pop("hyperthyroidism"), "missing field(s) history.hyperthyroidism"),
        (lambda d: d.pop("age_years"), "missing field(s) age_years"),
        (lambda d: d.update(age_years="42"), "age_years: expected a whole number, got text '42'"),
        (lambda d: d.update(age_years=42.5), "age_years: expected a whole number"),
        (lambda d: d.update(age_years=True), "age_years: expected a whole number, got true"),
        (lambda d: d.update(age_years=121), "age_years must be between 0 and 120, got 121"),
        (lambda d: d.update(age_years=-1), "age_years must be between 0 and 120, got -1"),
        (lambda d: d.update(breastfeeding=0), "breastfeeding: expected true or false"),
        (lambda d: d.update(sex="f"), "sex: 'f' is not one of female, male"),
        (lambda d: d.update(pregnancy=None), "pregnancy: null is not one of"),
        (lambda d: d.update(blood_pressure_today={"systolic_mmhg": 80, "diastolic_mmhg": 90}),
         "blood_pressure_today: diastolic_mmhg 90 must be below systolic_mmhg 80"),
        (lambda d: d.update(blood_pressure_today={"systolic_mmhg": 400, "diastolic_mmhg": 90}),
         "blood_pressure_today: systolic_mmhg must be between 50 and 300"),
        (lambda d: d.update(diagnoses_icd10cm="F33.1"), "diagnoses_icd10cm: expected a list"),
        (lambda d: d.update(diagnoses_icd10cm=["f33.1"]), "'f33.1' is not an ICD-10-CM code"),
        (lambda d: d["antidepressant_trials"][1].update(duration_weeks=-3),
         "antidepressant_trials[1]: duration_weeks must be between 0 and 520"),
        (lambda d: d["antidepressant_trials"][0].update(outcome="meh"),
         "antidepressant_trials[0].outcome: 'meh' is not one of none, partial"),
        (lambda d: d["history"].update(substances=["alcohol"]),
         "history: substances are listed but substance_use_disorder is 'none'"),
        (lambda d: d["medications"].update(lorazepam_equivalent_mg_per_day=1),
         "lorazepam_equivalent_mg_per_day is given but benzodiazepine is false"),
        (lambda d: d.update(history=[]), "history: expected an object, got a list"),
        (lambda d: d.update(current_episode_months=-2), "current_episode_months must be between"),
    ],
)  # fmt: skip
def test_from_mapping_refuses_bad_input_with_a_message_naming_the_field(change, message):
    with pytest.raises(ClinicalInputError) as raised:
        Intake.from_mapping(mutated(change))
    assert message in str(raised.value)


def test_from_mapping_refuses_input_that_is_not_an_object():
    with pytest.raises(ClinicalInputError, match="intake: expected an object, got a list"):
        Intake.from_mapping([])


def test_blood_pressure_may_be_null_when_not_yet_measured():
    built = Intake.from_mapping(mutated(lambda d: d.update(blood_pressure_today=None)))
    assert built.blood_pressure_today is None


def test_nothing_reported_history_still_accepts_explicit_answers():
    history = MedicalHistory.nothing_reported(glaucoma_or_raised_intraocular_pressure=True)
    assert history.glaucoma_or_raised_intraocular_pressure
    assert not history.acute_suicidality
