"""The ICD-10-CM catalogue (``clinical.diagnoses``): well-formed, searchable by code and by
name, and read by the eligibility rules that look at diagnosis codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical import diagnoses
from remission.clinical.diagnoses import CATALOGUE, CODE_SHAPE, ConditionGroup
from remission.clinical.eligibility import assess_eligibility
from tests.clinical.eligibility.eligibility_intakes import intake

COMORBIDITIES = (
    "I10", "E11.9", "G47.33", "J44.9", "I50.9", "K70.30", "K76.0", "F10.20", "F41.1",
    "F43.10", "G43.909", "G89.29", "M79.7",
)  # fmt: skip


def test_every_code_has_the_shape_of_an_icd10cm_code_and_a_title() -> None:
    for code, entry in CATALOGUE.items():
        assert CODE_SHAPE.match(code), code
        assert entry.code == code
        assert entry.title.strip() == entry.title and len(entry.title) > 3
        assert all(s.strip() for s in entry.synonyms)


def test_codes_are_unique_and_every_group_has_a_label() -> None:
    codes = [code for code, *_ in diagnoses._CODES]
    assert len(codes) == len(set(codes))
    assert all(group.label for group in ConditionGroup)


@pytest.mark.parametrize("code", COMORBIDITIES)
def test_the_catalogue_covers_the_comorbidities_a_ketamine_clinic_records(code: str) -> None:
    assert diagnoses.lookup(code) is not None


def test_codes_whose_recent_subdivision_is_uncertain_are_left_out() -> None:
    """I71.4 was split in a recent release, G20 and G35 too: not guessed."""
    for code in ("I71.4", "G20", "G35", "M54.5"):
        assert diagnoses.lookup(code) is None


def test_lookup_ignores_case_spaces_and_a_missing_dot() -> None:
    assert diagnoses.lookup(" f33.2 ") is CATALOGUE["F33.2"]
    assert diagnoses.lookup("g4733") is CATALOGUE["G47.33"]
    assert diagnoses.lookup("i10") is CATALOGUE["I10"]
    assert diagnoses.lookup("F99.99") is None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("I10", "I10"),
        ("hypertension", "I10"),
        ("high blood pressure", "I10"),
        ("sleep apnoea", "G47.33"),
        ("sleep apnea", "G47.33"),
        ("OSA", "G47.33"),
        ("copd", "J44.9"),
        ("ptsd", "F43.10"),
        ("fibro", "M79.7"),
        ("type 2 diab", "E11.9"),
        ("F33", "F33.0"),
        ("f331", "F33.1"),
    ],
)
def test_search_finds_a_diagnosis_by_code_or_by_name(query: str, first: str) -> None:
    assert diagnoses.search(query)[0].code == first


def test_search_ranks_the_exact_code_first_and_lists_each_entry_once() -> None:
    found = diagnoses.search("F43.1")
    assert [e.code for e in found] == ["F43.10", "F43.11", "F43.12"]
    liver = [e.code for e in diagnoses.search("liver")]
    assert liver and all(CATALOGUE[c].group is ConditionGroup.LIVER for c in liver)
    assert len(liver) == len(set(liver))


def test_search_of_nothing_or_nonsense_finds_nothing() -> None:
    assert diagnoses.search("   ") == []
    assert diagnoses.search("zzzz") == []


@given(st.text(max_size=30))
def test_search_never_fails_and_respects_its_limit(query: str) -> None:
    found = diagnoses.search(query, limit=5)
    assert len(found) <= 5
    assert all(e.code in CATALOGUE for e in found)


def test_grouped_lists_every_entry_once() -> None:
    listed = [e.code for _, entries in diagnoses.grouped() for e in entries]
    assert sorted(listed) == sorted(CATALOGUE)


# Every catalogue code an eligibility rule reads, and the reason it gives (beside F33.1).
READ_BY_THE_RULES: dict[str, str] = {
    "I67.1": "aneurysmal_vascular_disease",
    "I71.9": "aneurysmal_vascular_disease",
    "Q28.2": "arteriovenous_malformation",
    "I61.9": "intracerebral_haemorrhage",
    "F20.9": "psychosis_history",
    "F22": "psychosis_history",
    "F23": "psychosis_history",
    "F25.9": "psychosis_history",
    "F29": "psychosis_history",
    "F32.3": "current_psychotic_features",
    "F33.3": "current_psychotic_features",
    "F31.2": "current_psychotic_features",
    "F31.5": "current_psychotic_features",
    "F31.64": "current_psychotic_features",
    "F30.9": "current_mania",
    "F31.0": "current_mania",
    "F31.10": "current_mania",
    "F31.60": "current_mania",
    **dict.fromkeys(
        ("F31.30", "F31.31", "F31.32", "F31.4", "F31.70", "F31.81", "F31.9"),
        "bipolar_disorder_without_mood_stabiliser",
    ),
    **{
        c: "substance_code_without_disorder_recorded"
        for c in CATALOGUE
        if c.startswith(("F10", "F11", "F12", "F13", "F14", "F15", "F16", "F19"))
    },
}


@pytest.mark.parametrize(("code", "reason"), sorted(READ_BY_THE_RULES.items()))
def test_the_eligibility_rules_read_the_catalogue_codes(code: str, reason: str) -> None:
    assert code in CATALOGUE
    assessment = assess_eligibility(intake(diagnoses_icd10cm=("F33.1", code)))
    found = {r.code for d in assessment.routes for r in d.reasons}
    assert reason in found, (code, found)


def test_every_catalogue_code_in_a_group_the_rules_read_has_its_reason_tested() -> None:
    read_groups = {ConditionGroup.PSYCHOSIS, ConditionGroup.BIPOLAR, ConditionGroup.SUBSTANCE_USE}
    untested = [
        e.code
        for e in CATALOGUE.values()
        if (e.group in read_groups or e.code.startswith(("I61", "I67.1", "I71", "Q28")))
        and e.code not in READ_BY_THE_RULES
        and e.code != "F17.210"  # nicotine: deliberately not a substance prompt
    ]
    assert untested == []


@pytest.mark.parametrize("code", ["I10", "E11.9", "G47.33", "J44.9", "K76.0", "M79.7"])
def test_a_comorbidity_code_alone_does_not_change_eligibility(code: str) -> None:
    """The rules read these conditions from the intake's history answers, not the code."""
    base = assess_eligibility(intake())
    coded = assess_eligibility(intake(diagnoses_icd10cm=("F33.1", code)))
    assert coded.routes == base.routes
