"""Intakes stored by the older form (yes/no medicine boxes, no pre-sedation assessment) are read
with the meaning they had when they were signed (``legacy``)."""

from __future__ import annotations

import copy
import json

import pytest

from remission.clinical.eligibility import Intake, assess_eligibility, upgrade_answers
from remission.clinical.eligibility.exposure import oral_antidepressant_listed, recorded_classes
from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications import DrugClass
from remission.serialization import to_jsonable
from tests.clinical.eligibility.eligibility_intakes import EXAMPLES


def older_form() -> dict:
    data: dict = json.loads((EXAMPLES / "intake-older-form.json").read_text(encoding="utf-8"))
    return data


def test_older_answers_are_read_with_their_boxes_and_no_new_sections():
    built = Intake.from_mapping(older_form())
    assert built.recorded_before_presedation
    assert built.medications == ()
    assert built.alcohol is None and built.presedation is None
    assert built.history.obstructive_sleep_apnoea is False  # the older form did not ask


def test_upgrading_does_not_change_the_stored_answers():
    stored = older_form()
    before = copy.deepcopy(stored)
    upgrade_answers(stored)
    assert stored == before


def test_current_answers_pass_through_unchanged():
    current = json.loads((EXAMPLES / "intake-eligible.json").read_text(encoding="utf-8"))
    assert upgrade_answers(current) is current


@pytest.mark.parametrize(
    ("boxes", "codes"),
    [
        ({}, set()),
        ({"maoi": True}, {"maoi", "rems_concomitant_medication"}),
        (
            {"benzodiazepine": True, "lorazepam_equivalent_mg_per_day": 3},
            {
                "benzodiazepine_above_threshold",
                "cns_depressant_benzodiazepine",
                "rems_concomitant_medication",
            },
        ),
        (
            {"benzodiazepine": True},
            {
                "benzodiazepine_dose_unknown",
                "cns_depressant_benzodiazepine",
                "rems_concomitant_medication",
            },
        ),
        ({"other_blood_pressure_raising": True}, {"other_blood_pressure_raising_medication"}),
    ],
)
def test_older_boxes_give_the_reasons_they_gave(boxes, codes):
    data = older_form()
    data["medications"].update(boxes)
    assessment = assess_eligibility(Intake.from_mapping(data))
    found = {r.code for d in assessment.routes for r in d.reasons}
    assert found == codes


def test_an_older_intake_draws_no_reason_from_what_it_did_not_ask():
    data = older_form()
    data["age_years"] = 70  # an ECG would be indicated on the current form
    assessment = assess_eligibility(Intake.from_mapping(data))
    found = {r.code for d in assessment.routes for r in d.reasons}
    assert "ecg_indicated_not_done" not in found
    assert not {c for c in found if c.startswith(("stop_bang", "asa_", "alcohol"))}


def test_an_older_intake_round_trips_through_its_stored_form():
    built = Intake.from_mapping(older_form())
    assert Intake.from_mapping(to_jsonable(built)) == built


def test_a_current_intake_must_answer_alcohol_and_the_presedation_assessment():
    data = json.loads((EXAMPLES / "intake-eligible.json").read_text(encoding="utf-8"))
    data["alcohol"] = None
    data["presedation"] = None
    with pytest.raises(ClinicalInputError, match="alcohol, presedation must be answered"):
        Intake.from_mapping(data)


def test_the_stored_classes_read_the_same_from_either_form():
    older = older_form()
    older["medications"].update(opioid=True)
    current = json.loads((EXAMPLES / "intake-eligible.json").read_text(encoding="utf-8"))
    current["medications"].append(
        {"drug": "tramadol", "name": "", "dose": 50, "unit": "mg", "frequency": "as_needed",
         "last_taken": "this_week"}
    )  # fmt: skip
    for stored in (older, current):
        classes = recorded_classes(stored)
        assert classes is not None
        assert classes[DrugClass.OPIOID] is True
        assert classes[DrugClass.BENZODIAZEPINE] is False
    assert DrugClass.GABAPENTINOID not in (recorded_classes(older) or {})  # never asked
    assert recorded_classes({"medications": [{"drug": "nonsense"}]}) is None
    assert recorded_classes(None) is None


def _row(drug: str) -> dict:
    return {
        "drug": drug,
        "name": "",
        "dose": 50,
        "unit": "mg",
        "frequency": "once_daily",
        "last_taken": "today",
    }


@pytest.mark.parametrize(
    ("medications", "listed"),
    [
        ([_row("sertraline")], True),
        ([_row("lorazepam"), _row("bupropion")], True),
        ([_row("lamotrigine")], False),  # a mood stabiliser alone is not an antidepressant
        ([], False),  # the list was taken and holds nothing
    ],
)
def test_a_stored_list_says_whether_an_oral_antidepressant_is_taken(medications, listed):
    stored = {**older_form(), "medications": medications}
    assert oral_antidepressant_listed(stored) is listed


def test_the_older_form_says_nothing_about_antidepressants():
    assert oral_antidepressant_listed(older_form()) is None  # as it was stored
    assert oral_antidepressant_listed(upgrade_answers(older_form())) is None  # as upgraded
    assert oral_antidepressant_listed({"medications": [{"drug": "nonsense"}]}) is None
    assert oral_antidepressant_listed(None) is None
