"""The intake: the form's medication list and pre-sedation assessment, stored as the core reads
them and assessed by it; inline errors keep what was typed; older stored intakes still read."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from remission.accounts.models import Membership
from remission.accounts.roles import Role
from remission.patients import services as patients
from remission.patients.models import Patient
from remission.patients.records import RECORD_KINDS
from remission.treatment import services
from remission.treatment.models import Intake
from tests.world import client_for
from tests.world.treatment import INTAKE_ANSWERS

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _reasons(intake: Intake, route: str = "iv_racemic") -> dict[str, str]:
    [decision] = [r for r in intake.assessment["routes"] if r["route"] == route]
    return {r["code"]: r["severity"] for r in decision["reasons"]}


def _record(members: dict[str, Membership], patient: Patient, **changes: Any) -> Intake:
    answers = copy.deepcopy(INTAKE_ANSWERS)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(answers.get(key), dict):
            answers[key] = {**answers[key], **value}
        else:
            answers[key] = value
    return services.record_intake(membership=members[Role.NURSE], patient=patient, answers=answers)


def test_the_service_stores_the_list_and_reads_bmi_from_the_chart(
    members: dict[str, Membership], patient: Patient
) -> None:
    patients.add_record(
        membership=members[Role.MEDICAL_DIRECTOR],
        patient=patient,
        kind=RECORD_KINDS["measurements"],
        data={"kind": "height", "measured_on": dt.date(2026, 1, 5), "value": "150", "unit": "cm"},
    )
    intake = _record(
        members,
        patient,
        history={"obstructive_sleep_apnoea": True},
        medications=[
            {"drug": "clonazepam", "name": "", "dose": 1, "unit": "mg",
             "frequency": "twice_daily", "last_taken": "today"},
        ],
    )  # fmt: skip
    assert intake.answers["medications"][0]["drug"] == "clonazepam"
    assert intake.answers["presedation"]["bmi_kg_per_m2"] == 35.6  # 80 kg, 150 cm
    reasons = _reasons(intake)
    assert reasons["benzodiazepine_above_threshold"] == "relative"  # 4 mg/day lorazepam-eq.
    assert reasons["obstructive_sleep_apnoea_with_obesity"] == "relative"
    assert reasons["benzodiazepine_on_dosing_day"] == "caution"


def test_without_a_height_stop_bang_is_counted_without_bmi(
    members: dict[str, Membership], patient: Patient
) -> None:
    intake = _record(members, patient)
    assert intake.answers["presedation"]["bmi_kg_per_m2"] is None
    assert _reasons(intake)["stop_bang_without_bmi"] == "caution"


def test_the_service_refuses_a_row_it_cannot_judge_with_the_reason(
    members: dict[str, Membership], patient: Patient
) -> None:
    bad = [{"drug": "xanax", "name": "", "dose": 1, "unit": "mg", "frequency": "once_daily",
            "last_taken": "today"}]  # fmt: skip
    with pytest.raises(ValidationError, match="not in the medication catalogue"):
        _record(members, patient, medications=bad)
    assert not Intake.objects.filter(patient=patient).exists()


def test_the_service_enforces_asa_iv_as_a_hard_stop_at_signing(
    members: dict[str, Membership], patient: Patient
) -> None:
    intake = _record(members, patient, presedation={"asa_class": "IV"})
    assert _reasons(intake)["asa_class_iv_or_above"] == "absolute"
    with pytest.raises(ValidationError, match="hard stop"):
        services.sign_eligibility(
            membership=members[Role.PRESCRIBER],
            intake=intake,
            decision="eligible",
            routes=["iv_racemic"],
        )


def _form_data(**changes: str) -> dict[str, str]:
    data = {
        "sex": "female",
        "pregnancy": "not_pregnant",
        "breastfeeding": "no",
        "systolic_mmhg": "124",
        "diastolic_mmhg": "80",
        "substance_use_disorder": "none",
        "alcohol": "occasional",
        "asa_class": "II",
        "mallampati": "",
        "ecg": "not_done",
        "liver_tests": "not_done",
        "urine_drug_screen": "not_done",
        "ect_used_in_current_episode": "no",
        "current_episode_months": "12",
        "baseline_severity": "moderate",
        "med-TOTAL_FORMS": "2",
        "med-INITIAL_FORMS": "0",
        "med-MIN_NUM_FORMS": "0",
        "med-MAX_NUM_FORMS": "40",
        "med-0-drug": "sertraline",
        "med-0-dose": "100",
        "med-0-unit": "mg",
        "med-0-frequency": "once_daily",
        "med-0-last_taken": "today",
        "med-1-drug": "methylphenidate",
        "med-1-dose": "10",
        "med-1-unit": "mg",
        "med-1-frequency": "twice_daily",
        "med-1-last_taken": "today",
    }
    for flag in services.el.MedicalHistory.__dataclass_fields__:
        if flag not in ("substance_use_disorder", "substances"):
            data[f"history__{flag}"] = "no"
    for item in ("snores_loudly", "tired_during_the_day", "observed_apnoea",
                 "high_blood_pressure", "neck_over_40_cm"):  # fmt: skip
        data[f"stop_bang__{item}"] = "no"
    data.update(changes)
    return data


def _url(patient: Patient) -> str:
    return f"/c/alpha/treatment/patients/{patient.pk}/intake/new/"


def test_the_form_lists_the_catalogue_and_the_presedation_questions(
    members: dict[str, Membership], patient: Patient
) -> None:
    page = client_for(members[Role.NURSE]).get(_url(patient))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<optgroup label="Benzodiazepine">' in html
    assert "ASA III: a patient with severe systemic disease" in html
    assert "Neck circumference over 40 cm" in html
    assert 'name="add_row"' in html


def test_submitting_the_form_stores_the_rows_and_the_reasons(
    members: dict[str, Membership], patient: Patient
) -> None:
    response = client_for(members[Role.NURSE]).post(_url(patient), _form_data())
    assert response.status_code == 302
    intake = Intake.objects.get(patient=patient)
    assert [m["drug"] for m in intake.answers["medications"]] == ["sertraline", "methylphenidate"]
    assert intake.answers["alcohol"] == "occasional"
    reasons = _reasons(intake)
    assert reasons["stimulant_taken_today"] == "caution"
    assert reasons["alcohol_use"] == "caution"
    page = client_for(members[Role.NURSE]).get(response["Location"])
    assert b"psychostimulant taken today" in page.content
    assert b"<td>methylphenidate</td><td>10.0 mg</td><td>twice daily</td><td>today</td>" in (
        page.content
    )
    assert b"ASA physical status II" in page.content


def test_a_removed_row_and_a_blank_row_are_not_stored(
    members: dict[str, Membership], patient: Patient
) -> None:
    blank_row_as_a_browser_posts_it = {
        "med-2-drug": "", "med-2-dose": "", "med-2-unit": "mg",
        "med-2-frequency": "once_daily", "med-2-last_taken": "today",
    }  # fmt: skip
    data = _form_data(
        **{"med-1-DELETE": "on", "med-TOTAL_FORMS": "3", **blank_row_as_a_browser_posts_it}
    )
    client_for(members[Role.NURSE]).post(_url(patient), data)
    intake = Intake.objects.get(patient=patient)
    assert [m["drug"] for m in intake.answers["medications"]] == ["sertraline"]


def test_adding_a_row_keeps_what_was_typed_without_errors_or_saving(
    members: dict[str, Membership], patient: Patient
) -> None:
    data = _form_data(add_row="1", current_episode_months="")
    page = client_for(members[Role.NURSE]).post(_url(patient), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="med-TOTAL_FORMS" value="3"' in html
    assert 'name="med-2-drug"' in html
    assert 'value="methylphenidate" selected' in html
    assert "This field is required" not in html
    assert not Intake.objects.filter(patient=patient).exists()


def test_a_bad_row_shows_an_inline_error_and_keeps_the_other_answers(
    members: dict[str, Membership], patient: Patient
) -> None:
    data = _form_data(**{"med-1-drug": "other", "med-1-name": "", "med-0-dose": "0"})
    page = client_for(members[Role.NURSE]).post(_url(patient), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Name the medicine." in html
    assert "Ensure this value is greater than or equal to" in html
    assert 'value="124"' in html
    assert not Intake.objects.filter(patient=patient).exists()


def test_an_intake_stored_by_the_older_form_still_reads(
    members: dict[str, Membership], patient: Patient
) -> None:
    older = copy.deepcopy(INTAKE_ANSWERS)
    for flag in ("heart_failure", "hypertensive_encephalopathy_history",
                 "obstructive_sleep_apnoea", "copd", "moderate_hepatic_impairment"):  # fmt: skip
        del older["history"][flag]
    del older["alcohol"], older["presedation"], older["legacy_medication_boxes"]
    older["medications"] = {
        "maoi": False, "benzodiazepine": True, "lorazepam_equivalent_mg_per_day": 3,
        "z_drug": False, "opioid": False, "stimulant": False, "lamotrigine": False,
        "mood_stabiliser": False, "other_blood_pressure_raising": False,
    }  # fmt: skip
    intake = services.record_intake(membership=members[Role.NURSE], patient=patient, answers=older)
    reasons = _reasons(intake)
    assert reasons["benzodiazepine_above_threshold"] == "relative"
    assert not {c for c in reasons if c.startswith(("stop_bang", "asa_", "alcohol"))}
    assert intake.answers["legacy_medication_boxes"]["benzodiazepine"] is True


@pytest.mark.parametrize(
    "question", ["pregnancy", "baseline_severity", "substance_use_disorder", "ecg"]
)
def test_a_new_intake_answers_no_question_for_the_clinician(
    members: dict[str, Membership], patient: Patient, question: str
) -> None:
    """No risky default: 'Not applicable' pregnancy or 'Subsyndromal' severity is never
    preselected; the select starts on a blank 'choose' and is marked required."""
    html = client_for(members[Role.NURSE]).get(_url(patient)).content.decode()
    select = html.split(f'name="{question}"', 1)[1].split("</select>", 1)[0]
    assert select.count("selected") == 1
    assert '<option value="" selected>— choose —</option>' in select
    label = html.split(f'for="id_{question}"', 1)[1].split("</label>", 1)[0]
    assert 'class="required"' in label


def test_an_unanswered_question_is_refused_inline_keeping_the_other_answers(
    members: dict[str, Membership], patient: Patient
) -> None:
    data = _form_data(pregnancy="", baseline_severity="")
    page = client_for(members[Role.NURSE]).post(_url(patient), data)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("This field is required.") == 2
    assert 'value="124"' in html and 'value="not_done" selected' in html
    assert not Intake.objects.filter(patient=patient).exists()
