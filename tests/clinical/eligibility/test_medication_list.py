"""Eligibility from the reconciled medication list (``contraindications.medications``): the
benzodiazepine dose in lorazepam equivalents, medicines on board on the day of dosing,
gabapentinoids, naltrexone, alcohol, and the class rules the older boxes shared."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.clinical.eligibility import RouteStatus, assess_eligibility
from remission.clinical.medications import (
    AlcoholUse,
    DoseUnit,
    Frequency,
    LastTaken,
    MedicationUse,
)
from tests.clinical.eligibility.eligibility_intakes import (
    CAU,
    ESK,
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


def row(
    drug: str,
    dose: str = "1",
    frequency: Frequency = Frequency.ONCE_DAILY,
    last_taken: LastTaken = LastTaken.EARLIER,
) -> MedicationUse:
    return MedicationUse(drug, "", Decimal(dose), DoseUnit.MG, frequency, last_taken)


AS_NEEDED = Frequency.AS_NEEDED
TABLE: RuleTable = [
    ("clonazepam 0.5 mg twice daily = 2 mg/day: not above", {"medications": [
        row("clonazepam", "0.5", Frequency.TWICE_DAILY)]}, "benzodiazepine_above_threshold", {}),
    ("clonazepam 1 mg twice daily = 4 mg/day: above", {"medications": [
        row("clonazepam", "1", Frequency.TWICE_DAILY)]}, "benzodiazepine_above_threshold",
     all_routes(REL)),
    ("diazepam 5 mg + lorazepam 1.5 mg = 2 mg/day", {"medications": [
        row("diazepam", "5"), row("lorazepam", "1.5")]}, "benzodiazepine_above_threshold", {}),
    ("diazepam 10 mg + lorazepam 1.5 mg = 2.5 mg/day", {"medications": [
        row("diazepam", "10"), row("lorazepam", "1.5")]}, "benzodiazepine_above_threshold",
     all_routes(REL)),
    ("benzodiazepine as needed: dose unknown", {"medications": [
        row("lorazepam", "1", AS_NEEDED)]}, "benzodiazepine_dose_unknown", all_routes(REL)),
    ("any benzodiazepine adds sedation", {"medications": [
        row("lorazepam", "0.5", AS_NEEDED)]}, "cns_depressant_benzodiazepine", all_routes(CAU)),
    ("daily benzodiazepine is on board on the dosing day", {"medications": [
        row("lorazepam", "0.5")]}, "benzodiazepine_on_dosing_day", all_routes(CAU)),
    ("benzodiazepine taken today", {"medications": [
        row("lorazepam", "0.5", AS_NEEDED, LastTaken.TODAY)]}, "benzodiazepine_on_dosing_day",
     all_routes(CAU)),
    ("benzodiazepine as needed, last week: not on board", {"medications": [
        row("lorazepam", "0.5", AS_NEEDED, LastTaken.THIS_WEEK)]},
     "benzodiazepine_on_dosing_day", {}),
    ("stimulant", {"medications": [row("methylphenidate", "10")]}, "stimulant", all_routes(CAU)),
    ("stimulant taken this morning", {"medications": [
        row("methylphenidate", "10", last_taken=LastTaken.TODAY)]}, "stimulant_taken_today",
     all_routes(CAU)),
    ("stimulant yesterday", {"medications": [
        row("methylphenidate", "10", last_taken=LastTaken.YESTERDAY)]}, "stimulant_taken_today",
     {}),
    ("MAOI", {"medications": [row("phenelzine", "15")]}, "maoi", all_routes(CAU)),
    ("opioid", {"medications": [row("oxycodone", "5")]}, "cns_depressant_opioid",
     all_routes(CAU)),
    ("gabapentinoid", {"medications": [row("pregabalin", "75")]}, "cns_depressant_gabapentinoid",
     all_routes(CAU)),
    ("naltrexone", {"medications": [row("naltrexone", "50")]}, "naltrexone", all_routes(CAU)),
    ("lamotrigine", {"medications": [row("lamotrigine", "100")]}, "lamotrigine", all_routes(CAU)),
    ("Z-drug", {"medications": [row("zolpidem", "5", Frequency.AT_NIGHT)]},
     "cns_depressant_z_drug", all_routes(CAU)),
    ("opioid is a REMS form item", {"medications": [row("tramadol", "50")]},
     "rems_concomitant_medication", {ESK: CAU}),
    ("gabapentinoid is not a REMS form item", {"medications": [row("gabapentin", "300")]},
     "rems_concomitant_medication", {}),
    ("an antidepressant alone is no reason", {"medications": [row("sertraline", "100")]},
     "rems_concomitant_medication", {}),
    ("occasional alcohol", {"alcohol": AlcoholUse.OCCASIONAL}, "alcohol_use", all_routes(CAU)),
    ("regular alcohol", {"alcohol": AlcoholUse.REGULAR}, "alcohol_use", all_routes(CAU)),
    ("heavy alcohol", {"alcohol": AlcoholUse.HEAVY}, "alcohol_heavy_use", all_routes(REL)),
    ("no alcohol", {"alcohol": AlcoholUse.NONE}, "alcohol_use", {}),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "code", "expected"), cases(TABLE))
def test_each_finding_has_its_severity_on_exactly_its_routes(changes, code, expected):
    assert_severity_on_exactly_its_routes(changes, code, expected)


@pytest.mark.parametrize(("changes", "code", "expected"), cases(TABLE))
def test_each_route_status_follows_its_most_severe_reason(changes, code, expected):
    assert_status_follows_most_severe_reason(changes, expected)


def test_the_benzodiazepine_reason_names_the_rows_and_the_approximate_equivalent():
    assessment = assess_eligibility(
        intake(medications=[row("alprazolam", "1", Frequency.TWICE_DAILY)])
    )
    [reason] = [
        r for r in assessment.decision_for(IV).reasons if r.code == "benzodiazepine_above_threshold"
    ]
    assert "alprazolam 1 mg twice daily" in reason.message
    assert "≈ 4 mg/day lorazepam-equivalent (approximate, Ashton table)" in reason.message


def test_the_benzodiazepine_threshold_is_the_configurable_one():
    rows = [row("lorazepam", "3")]
    raised = {"eligibility.benzodiazepine_lorazepam_equivalent_max_mg_per_day": 3}
    assert severity_by_route(
        assess_eligibility(intake(medications=rows)), "benzodiazepine_above_threshold"
    ) == all_routes(REL)
    assert (
        severity_by_route(
            assess_eligibility(intake(medications=rows), overrides=raised),
            "benzodiazepine_above_threshold",
        )
        == {}
    )


def test_a_medicine_outside_the_catalogue_is_listed_but_not_judged():
    other = MedicationUse(
        "other",
        "levothyroxine",
        Decimal(50),
        DoseUnit.MICROGRAM,
        Frequency.ONCE_DAILY,
        LastTaken.TODAY,
    )
    assessment = assess_eligibility(intake(medications=[other]))
    assert all(d.status is RouteStatus.ELIGIBLE and not d.reasons for d in assessment.routes)


def test_worst_tier_wins_with_every_medication_reason_listed():
    assessment = assess_eligibility(
        intake(
            medications=[row("clonazepam", "2", Frequency.TWICE_DAILY), row("oxycodone", "10")],
            alcohol=AlcoholUse.REGULAR,
        )
    )
    decision = assessment.decision_for(IV)
    assert decision.status is RouteStatus.NEEDS_REVIEW
    assert {r.code for r in decision.reasons} == {
        "benzodiazepine_above_threshold",
        "cns_depressant_benzodiazepine",
        "benzodiazepine_on_dosing_day",
        "cns_depressant_opioid",
        "alcohol_use",
    }
