"""Pre-sedation assessment and airway (``presedation``, ``contraindications.presedation``):
STOP-Bang, ASA class, known OSA with BMI, COPD, heart failure, hypertensive encephalopathy,
moderate hepatic impairment, and the investigations indicated but not done."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest

from remission.clinical.eligibility import (
    AsaClass,
    Investigation,
    Mallampati,
    RouteStatus,
    Sex,
    StopBangAnswers,
    StopBangBand,
    assess_eligibility,
    indicated_investigations,
    stop_bang,
)
from remission.clinical.eligibility.settings import RuleSettings
from remission.clinical.eligibility.vocabulary import SubstanceUseDisorder
from remission.clinical.medications import AlcoholUse
from tests.clinical.eligibility.eligibility_intakes import (
    ABS,
    CAU,
    ESK,
    IM,
    IV,
    REL,
    RuleTable,
    all_routes,
    assert_severity_on_exactly_its_routes,
    assert_status_follows_most_severe_reason,
    cases,
    intake,
    severity_by_route,
)

NO = StopBangAnswers(False, False, False, False, False)

# --- STOP-Bang: the count -------------------------------------------------------------------


@pytest.mark.parametrize("answers", list(product([False, True], repeat=5)))
@pytest.mark.parametrize("sex", list(Sex))
def test_stop_bang_counts_one_point_per_item(answers, sex):
    score = stop_bang(StopBangAnswers(*answers), bmi_kg_per_m2=Decimal(36), age_years=51, sex=sex)
    assert score.score == sum(answers) + 2 + (sex is Sex.MALE)
    assert 0 <= score.score <= 8


@pytest.mark.parametrize(
    ("bmi", "age", "points"),
    [
        (Decimal(35), 50, 0),  # the cut-offs are "above 35" and "older than 50"
        (Decimal("35.1"), 50, 1),
        (Decimal(35), 51, 1),
        (Decimal("35.1"), 51, 2),
        (None, 60, 1),
    ],
)
def test_stop_bang_bmi_and_age_items_are_strictly_above_their_cut_offs(bmi, age, points):
    score = stop_bang(NO, bmi_kg_per_m2=bmi, age_years=age, sex=Sex.FEMALE)
    assert score.score == points
    assert score.bmi_missing is (bmi is None)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "low"), (2, "low"), (3, "intermediate"), (4, "intermediate"), (5, "high"), (8, "high")],
)
def test_stop_bang_bands_follow_chung(score, band):
    answers = StopBangAnswers(*[i < score for i in range(5)])
    extra = max(0, score - 5)  # BMI, age, male add the rest
    result = stop_bang(
        answers,
        bmi_kg_per_m2=Decimal(40) if extra >= 1 else Decimal(20),
        age_years=60 if extra >= 2 else 30,
        sex=Sex.MALE if extra >= 3 else Sex.FEMALE,
    )
    assert result.score == score
    assert result.band is StopBangBand(band)


@pytest.mark.parametrize(
    ("yes", "code", "severity"),
    [
        (2, None, None),
        (3, "stop_bang_intermediate_risk", CAU),
        (4, "stop_bang_intermediate_risk", CAU),
        (5, "stop_bang_high_risk", REL),
    ],
)
def test_stop_bang_risk_band_sets_the_tier(yes, code, severity):
    answers = {
        name: i < yes
        for i, name in enumerate(
            [
                "snores_loudly",
                "tired_during_the_day",
                "observed_apnoea",
                "high_blood_pressure",
                "neck_over_40_cm",
            ]
        )
    }
    assessment = assess_eligibility(intake(presedation={"stop_bang": answers}))
    codes = {r.code for d in assessment.routes for r in d.reasons}
    assert not codes & {"stop_bang_intermediate_risk", "stop_bang_high_risk"} - {code}
    if code:
        assert severity_by_route(assessment, code) == all_routes(severity)


def test_without_bmi_the_score_is_a_lower_bound_and_says_so():
    assessment = assess_eligibility(
        intake(
            age_years=55,
            sex=Sex.MALE,
            presedation={"bmi_kg_per_m2": None, "stop_bang": {"snores_loudly": True}},
        )
    )
    [reason] = [r for r in assessment.decision_for(IV).reasons if r.code.startswith("stop_bang_i")]
    assert "at least 3/8" in reason.message
    assert severity_by_route(assessment, "stop_bang_without_bmi") == all_routes(CAU)


# --- the rule table -------------------------------------------------------------------------

PRESEDATION: RuleTable = [
    ("ASA III", {"presedation": {"asa_class": AsaClass.III}}, "asa_class_iii", all_routes(REL)),
    ("ASA IV", {"presedation": {"asa_class": AsaClass.IV}}, "asa_class_iv_or_above",
     all_routes(ABS)),
    ("ASA V", {"presedation": {"asa_class": AsaClass.V}}, "asa_class_iv_or_above",
     all_routes(ABS)),
    ("ASA VI", {"presedation": {"asa_class": AsaClass.VI}}, "asa_class_iv_or_above",
     all_routes(ABS)),
    ("ASA II is no reason", {"presedation": {"asa_class": AsaClass.II}}, "asa_class_iii", {}),
    ("known OSA", {"history": {"obstructive_sleep_apnoea": True}}, "obstructive_sleep_apnoea",
     all_routes(CAU)),
    ("known OSA at BMI 34.9", {"history": {"obstructive_sleep_apnoea": True},
                               "presedation": {"bmi_kg_per_m2": Decimal("34.9")}},
     "obstructive_sleep_apnoea", all_routes(CAU)),
    ("known OSA at BMI 35", {"history": {"obstructive_sleep_apnoea": True},
                             "presedation": {"bmi_kg_per_m2": Decimal(35)}},
     "obstructive_sleep_apnoea_with_obesity", all_routes(REL)),
    ("BMI 35 without OSA", {"presedation": {"bmi_kg_per_m2": Decimal(35)}},
     "obstructive_sleep_apnoea_with_obesity", {}),
    ("COPD", {"history": {"copd": True}}, "copd", all_routes(CAU)),
    ("heart failure", {"history": {"heart_failure": True}, "presedation": {
        "ecg": Investigation.NORMAL}}, "heart_failure", all_routes(REL)),
    ("hypertensive encephalopathy", {"history": {"hypertensive_encephalopathy_history": True},
                                     "presedation": {"ecg": Investigation.NORMAL}},
     "hypertensive_encephalopathy_history", all_routes(REL)),
    ("moderate hepatic impairment", {"history": {"moderate_hepatic_impairment": True},
                                     "presedation": {"liver_tests": Investigation.NORMAL}},
     "moderate_hepatic_impairment", all_routes(CAU)),
    ("Mallampati III", {"presedation": {"mallampati": Mallampati.III}}, "mallampati_iii_or_iv",
     all_routes(CAU)),
    ("Mallampati II", {"presedation": {"mallampati": Mallampati.II}}, "mallampati_iii_or_iv", {}),
    ("ECG indicated by heart failure, not done", {"history": {"heart_failure": True}},
     "ecg_indicated_not_done", all_routes(REL)),
    ("ECG indicated by age 65, not done", {"age_years": 65}, "ecg_indicated_not_done",
     all_routes(REL)),
    ("age 64: ECG not indicated", {"age_years": 64}, "ecg_indicated_not_done", {}),
    ("ECG abnormal", {"presedation": {"ecg": Investigation.ABNORMAL}}, "ecg_abnormal",
     all_routes(REL)),
    ("liver tests indicated by heavy alcohol, not done", {"alcohol": AlcoholUse.HEAVY},
     "liver_tests_indicated_not_done", all_routes(REL)),
    ("liver tests indicated by moderate hepatic impairment",
     {"history": {"moderate_hepatic_impairment": True}}, "liver_tests_indicated_not_done",
     all_routes(REL)),
    ("drug screen indicated by SUD in remission",
     {"history": {"substance_use_disorder": SubstanceUseDisorder.IN_REMISSION}},
     "urine_drug_screen_indicated_not_done", all_routes(REL)),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(PRESEDATION))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(PRESEDATION))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_moderate_hepatic_impairment_names_longer_monitoring_for_esketamine():
    assessment = assess_eligibility(
        intake(
            history={"moderate_hepatic_impairment": True},
            presedation={"liver_tests": Investigation.NORMAL},
        )
    )
    [reason] = assessment.decision_for(ESK).reasons
    assert "longer than 2 h" in reason.message
    assert assessment.decision_for(ESK).status is RouteStatus.ELIGIBLE


def test_indicated_investigations_name_why():
    found = indicated_investigations(
        intake(age_years=70, history={"significant_arrhythmia": True}, alcohol=AlcoholUse.HEAVY),
        RuleSettings.resolve(None),
    )
    assert {i.test.value: i.because for i in found} == {
        "ecg": ("arrhythmia", "age 70 (≥65)"),
        "liver_tests": ("heavy alcohol use",),
    }


def test_the_ecg_age_is_configurable_within_bounds():
    younger = assess_eligibility(
        intake(age_years=55), overrides={"eligibility.ecg_indicated_from_age_years": 50}
    )
    assert severity_by_route(younger, "ecg_indicated_not_done") == all_routes(REL)


def test_worst_tier_wins_and_every_reason_is_listed():
    assessment = assess_eligibility(
        intake(
            history={"copd": True, "heart_failure": True},
            presedation={"asa_class": AsaClass.IV},
        )
    )
    for route in (IV, IM, ESK):
        decision = assessment.decision_for(route)
        assert decision.status is RouteStatus.CONTRAINDICATED
        codes = [r.code for r in decision.reasons]
        assert {"asa_class_iv_or_above", "heart_failure", "ecg_indicated_not_done", "copd"} <= set(
            codes
        )
        assert codes[0] == "asa_class_iv_or_above"  # absolute first, then review, then cautions
