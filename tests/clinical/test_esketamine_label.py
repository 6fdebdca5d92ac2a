"""The esketamine label rules: the day-1 dose and the doses allowed by indication (TRD, MDSI),
label (US FDA, EU/UK SmPC), age (64/65) and Japanese ancestry; the oral antidepressant a
course needs; what a planned course puts up for review."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical import registry
from remission.clinical.dosing import plan_esketamine_devices
from remission.clinical.errors import ClinicalInputError
from remission.clinical.esketamine import (
    LABEL_KEY,
    EsketaminePatient,
    Indication,
    Label,
    clinic_label,
    course_review_notices,
    dose_notices,
    needs_oral_antidepressant,
    start_dose,
)
from remission.clinical.evidence import Confidence

TRD, MDSI = Indication.TRD, Indication.MDSI
US, SMPC = Label.US_FDA, Label.EU_UK_SMPC
SMPC_SETTING = {LABEL_KEY: SMPC.value}


def who(indication: Indication = TRD, age: int | None = 40, japanese: bool | None = False):
    return EsketaminePatient(indication=indication, age_years=age, japanese_ancestry=japanese)


def codes(notices) -> list[str]:
    return [n.code for n in notices]


# --- the clinic's label -----------------------------------------------------------------------


def test_the_clinic_follows_the_us_label_unless_it_chooses_the_smpc():
    assert clinic_label(None) is US
    assert clinic_label(SMPC_SETTING) is SMPC


def test_a_label_setting_outside_its_choices_is_refused():
    with pytest.raises(ClinicalInputError, match="not one of us-fda, eu-uk-smpc"):
        registry.validate_overrides({LABEL_KEY: "japan"})


# --- the day-1 dose ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indication", "label", "age", "japanese", "day_1", "later"),
    [
        # US label: TRD starts at 56 mg at any age, whatever the ancestry
        (TRD, US, 40, False, 56, (56, 84)),
        (TRD, US, 64, False, 56, (56, 84)),
        (TRD, US, 65, False, 56, (56, 84)),
        (TRD, US, 80, True, 56, (56, 84)),
        (TRD, US, None, None, 56, (56, 84)),
        # US label: MDSI is 84 mg from day 1
        (MDSI, US, 40, False, 84, (56, 84)),
        (MDSI, US, 70, True, 84, (56, 84)),
        # SmPC: TRD starts at 28 mg from 65, or with Japanese ancestry
        (TRD, SMPC, 64, False, 56, (56, 84)),
        (TRD, SMPC, 65, False, 28, (28, 56, 84)),
        (TRD, SMPC, 64, True, 28, (28, 56, 84)),
        (TRD, SMPC, 65, True, 28, (28, 56, 84)),
        # SmPC: the psychiatric emergency dose is given for adults under 65 only
        (MDSI, SMPC, 64, False, 84, (56, 84)),
        (MDSI, SMPC, 64, True, 84, (56, 84)),
        (MDSI, SMPC, 65, False, None, (56, 84)),
    ],
)
def test_the_day_1_dose_by_indication_label_age_and_ancestry(
    indication, label, age, japanese, day_1, later
):
    start = start_dose(who(indication, age, japanese), label)
    assert (start.dose_mg, start.later_doses_mg) == (day_1, later)
    assert start.reason and start.evidence.citation


def test_the_us_label_has_no_28_mg_start_and_says_so_with_a_recalled_source():
    start = start_dose(who(TRD, 70), US)
    assert "no 28 mg start" in start.reason
    assert start.evidence.confidence is Confidence.RECALLED


def test_the_japanese_ancestry_rule_is_labelled_uncertain():
    start = start_dose(who(TRD, 40, True), SMPC)
    assert start.evidence.confidence is Confidence.UNCERTAIN
    assert "unverified" in start.reason


def test_under_the_smpc_an_unrecorded_age_or_ancestry_is_named_not_guessed():
    assert start_dose(who(TRD, None, None), SMPC).not_recorded == ("age", "Japanese ancestry")
    assert start_dose(who(TRD, 40, None), SMPC).not_recorded == ("Japanese ancestry",)
    assert start_dose(who(TRD, None, False), SMPC).not_recorded == ("age",)
    assert start_dose(who(TRD, None, None), US).not_recorded == ()


def test_the_summary_reads_as_the_prescriber_says_it():
    assert start_dose(who(TRD, 70), SMPC).summary == "Day 1: 28 mg; then 28, 56 or 84 mg"
    assert start_dose(who(MDSI, 70), SMPC).summary == "Day 1: no labelled dose; then 56 or 84 mg"


# --- a dose against the label -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("indication", "label", "age", "dose", "first", "expected"),
    [
        # TRD, US: 84 mg on day 1 warns; later it is a labelled dose
        (TRD, US, 40, 56, True, []),
        (TRD, US, 40, 84, True, ["esketamine_first_dose_not_label_start"]),
        (TRD, US, 40, 84, False, []),
        (TRD, US, 70, 28, True, ["esketamine_dose_not_label_dose",
                                 "esketamine_first_dose_not_label_start"]),
        (TRD, US, 70, 28, False, ["esketamine_dose_not_label_dose"]),
        # MDSI: 84 mg on day 1 is not a warning; 56 mg on day 1 is a reduction to acknowledge
        (MDSI, US, 40, 84, True, []),
        (MDSI, US, 40, 56, True, ["esketamine_first_dose_not_label_start"]),
        (MDSI, US, 40, 56, False, []),
        # SmPC, 64 vs 65
        (TRD, SMPC, 64, 56, True, []),
        (TRD, SMPC, 64, 28, False, ["esketamine_dose_not_label_dose"]),
        (TRD, SMPC, 65, 28, True, []),
        (TRD, SMPC, 65, 56, True, ["esketamine_first_dose_not_label_start"]),
        (TRD, SMPC, 65, 28, False, []),
        (TRD, SMPC, 65, 84, False, []),
        (MDSI, SMPC, 65, 84, True, ["esketamine_no_label_start"]),
        (MDSI, SMPC, 65, 84, False, []),
    ],
)  # fmt: skip
def test_a_dose_is_warned_where_it_departs_from_the_label(
    indication, label, age, dose, first, expected
):
    notices = dose_notices(dose, first_dose=first, patient=who(indication, age), label=label)
    assert codes(notices) == expected


def test_a_first_dose_under_the_smpc_asks_for_the_facts_the_rule_needs():
    notices = dose_notices(56, first_dose=True, patient=who(TRD, None, None), label=SMPC)
    assert codes(notices) == ["esketamine_start_fact_not_recorded"]
    assert "age and Japanese ancestry" in notices[0].message
    later = dose_notices(56, first_dose=False, patient=who(TRD, None, None), label=SMPC)
    assert later == ()


def test_the_device_plan_carries_the_label_warnings_of_the_clinics_label():
    elderly = who(TRD, 70)
    us = plan_esketamine_devices(dose_mg=28, first_induction_dose=True, patient=elderly)
    assert [w.code for w in us.warnings] == [
        "esketamine_dose_not_label_dose",
        "esketamine_first_dose_not_label_start",
    ]
    smpc = plan_esketamine_devices(
        dose_mg=28, first_induction_dose=True, patient=elderly, overrides=SMPC_SETTING
    )
    assert (smpc.device_count, smpc.warnings) == (1, ())
    mdsi = plan_esketamine_devices(dose_mg=84, first_induction_dose=True, patient=who(MDSI))
    assert mdsi.warnings == ()


@given(
    indication=st.sampled_from(Indication),
    label=st.sampled_from(Label),
    age=st.integers(min_value=18, max_value=100),
    japanese=st.booleans(),
)
def test_the_labels_day_1_dose_never_warns_as_a_day_1_dose(indication, label, age, japanese):
    patient = who(indication, age, japanese)
    start = start_dose(patient, label)
    if start.dose_mg is None:
        return
    assert dose_notices(start.dose_mg, first_dose=True, patient=patient, label=label) == ()
    for later in start.later_doses_mg:
        assert dose_notices(later, first_dose=False, patient=patient, label=label) == ()


# --- the oral antidepressant ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indication", "label", "needed"),
    [(TRD, US, False), (TRD, SMPC, True), (MDSI, US, True), (MDSI, SMPC, True)],
)
def test_which_label_and_indication_need_an_oral_antidepressant(indication, label, needed):
    assert (needs_oral_antidepressant(indication, label) is not None) is needed


# --- planning a course ------------------------------------------------------------------------


def plan(indication=TRD, label=US, on_ad=None, induction=True, dose=None, age=40):
    return codes(
        course_review_notices(
            patient=who(indication, age),
            label=label,
            on_oral_antidepressant=on_ad,
            induction=induction,
            planned_dose_mg=dose,
        )
    )


def test_mdsi_without_an_oral_antidepressant_recorded_is_put_up_for_review():
    assert plan(MDSI, on_ad=None) == ["esketamine_oral_antidepressant_not_recorded"]
    assert plan(MDSI, on_ad=False) == ["esketamine_without_oral_antidepressant"]
    assert plan(MDSI, on_ad=True) == []


def test_trd_under_the_us_label_may_be_given_alone_since_2025():
    assert plan(TRD, US, on_ad=None) == []


def test_trd_under_the_smpc_needs_an_ssri_or_snri():
    assert plan(TRD, SMPC, on_ad=None) == ["esketamine_oral_antidepressant_not_recorded"]
    assert plan(TRD, SMPC, on_ad=True) == []


def test_a_planned_day_1_dose_is_checked_against_the_label_start():
    assert plan(TRD, US, dose=84) == ["esketamine_first_dose_not_label_start"]
    assert plan(MDSI, US, on_ad=True, dose=84) == []
    assert plan(TRD, SMPC, on_ad=True, dose=56, age=65) == ["esketamine_first_dose_not_label_start"]
    assert plan(TRD, SMPC, on_ad=True, dose=None, age=65) == []  # blank: the label start


def test_mdsi_beyond_the_4_week_induction_is_put_up_for_review():
    assert plan(MDSI, on_ad=True, induction=False) == ["esketamine_mdsi_beyond_4_weeks"]
    assert plan(TRD, on_ad=True, induction=False) == []
