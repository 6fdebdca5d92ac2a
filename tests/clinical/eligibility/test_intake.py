"""Eligibility: building and validating an intake from JSON (``intake``, ``parsing``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from remission.clinical.eligibility import BloodPressure, Intake, MedicalHistory, Sex
from remission.clinical.errors import ClinicalInputError
from tests.clinical.eligibility.eligibility_intakes import EXAMPLES

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
    assert built.medications[0].drug == "sertraline"
    assert built.presedation is not None and built.legacy_medication_boxes is None


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
        (lambda d: d["medications"][0].update(drug="sertralin"),
         "medications[0]: drug 'sertralin' is not in the medication catalogue"),
        (lambda d: d["medications"][1].update(name=" "),
         "medications[1]: name the medicine when drug is 'other'"),
        (lambda d: d["medications"][0].update(dose=0), "medications[0]: dose must be above 0"),
        (lambda d: d.update(alcohol=None), "alcohol must be answered"),
        (lambda d: d["presedation"].update(asa_class="VII"),
         "presedation.asa_class: 'VII' is not one of I, II"),
        (lambda d: d["presedation"].update(bmi_kg_per_m2=4),
         "presedation: bmi_kg_per_m2 must be between 10 and 150"),
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
