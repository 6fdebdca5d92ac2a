"""The medication list and what the rules read from it (``clinical.medications``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.clinical.errors import ClinicalInputError
from remission.clinical.medications import (
    DRUGS,
    DoseUnit,
    DrugClass,
    Frequency,
    LastTaken,
    MedicationUse,
    classes_taken,
    lorazepam_equivalent_mg_per_day,
    on_oral_antidepressant,
)


def row(
    drug: str,
    dose: str = "1",
    frequency: Frequency = Frequency.ONCE_DAILY,
    *,
    unit: DoseUnit = DoseUnit.MG,
    last_taken: LastTaken = LastTaken.YESTERDAY,
    name: str = "",
) -> MedicationUse:
    return MedicationUse(drug, name, Decimal(dose), unit, frequency, last_taken)


# Ashton: diazepam 10 mg ≈ lorazepam 1 mg ≈ alprazolam 0.5 ≈ clonazepam 0.5 ≈ oxazepam 20 ≈
# temazepam 20 ≈ chlordiazepoxide 25 mg
@pytest.mark.parametrize(
    ("drug", "dose", "frequency", "expected"),
    [
        ("lorazepam", "1", Frequency.ONCE_DAILY, "1"),
        ("lorazepam", "0.5", Frequency.THREE_TIMES_DAILY, "1.5"),
        ("diazepam", "10", Frequency.ONCE_DAILY, "1"),
        ("diazepam", "5", Frequency.TWICE_DAILY, "1"),
        ("alprazolam", "0.5", Frequency.ONCE_DAILY, "1"),
        ("alprazolam", "1", Frequency.FOUR_TIMES_DAILY, "8"),
        ("clonazepam", "0.5", Frequency.TWICE_DAILY, "2"),
        ("oxazepam", "20", Frequency.ONCE_DAILY, "1"),
        ("temazepam", "20", Frequency.AT_NIGHT, "1"),
        ("chlordiazepoxide", "25", Frequency.ONCE_DAILY, "1"),
    ],
)
def test_lorazepam_equivalents_follow_the_ashton_table(drug, dose, frequency, expected):
    assert lorazepam_equivalent_mg_per_day([row(drug, dose, frequency)]) == Decimal(expected)


def test_several_benzodiazepines_add_up():
    rows = [row("clonazepam", "0.5"), row("lorazepam", "1", Frequency.AT_NIGHT)]
    assert lorazepam_equivalent_mg_per_day(rows) == Decimal(2)


def test_micrograms_are_converted_to_mg():
    assert lorazepam_equivalent_mg_per_day(
        [row("lorazepam", "500", unit=DoseUnit.MICROGRAM)]
    ) == Decimal("0.5")


def test_no_benzodiazepine_is_zero_and_as_needed_is_unknown():
    assert lorazepam_equivalent_mg_per_day([row("sertraline", "100")]) == Decimal(0)
    assert lorazepam_equivalent_mg_per_day([]) == Decimal(0)
    unknown = [row("lorazepam", "1"), row("diazepam", "5", Frequency.AS_NEEDED)]
    assert lorazepam_equivalent_mg_per_day(unknown) is None


@given(
    st.sampled_from([d for d in DRUGS if d.lorazepam_mg_per_mg is not None]),
    st.decimals(min_value=Decimal("0.1"), max_value=Decimal(100), places=2),
    st.sampled_from([f for f in Frequency if f.doses_per_day is not None]),
)
def test_the_equivalent_scales_with_dose_and_frequency(drug, dose, frequency):
    single = lorazepam_equivalent_mg_per_day([row(drug.key, str(dose), frequency)])
    double = lorazepam_equivalent_mg_per_day([row(drug.key, str(dose * 2), frequency)])
    assert single is not None and double == single * 2
    assert single == dose * frequency.doses_per_day * drug.lorazepam_mg_per_mg


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([row("sertraline", "100")], True),
        ([row("phenelzine", "15")], True),
        ([row("bupropion", "150")], True),
        ([row("selegiline", "6")], False),
        ([row("lamotrigine", "100"), row("lithium", "600")], False),
        ([row("other", "20", name="fluoxetine capsules")], False),
        ([], False),
    ],
)
def test_on_oral_antidepressant(rows, expected):
    assert on_oral_antidepressant(rows) is expected


def test_classes_taken_are_the_union_of_the_rows_classes():
    rows = [row("lamotrigine", "50"), row("tramadol", "50")]
    assert classes_taken(rows) == {
        DrugClass.LAMOTRIGINE,
        DrugClass.MOOD_STABILISER,
        DrugClass.OPIOID,
    }


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"drug": "xanax"}, "not in the medication catalogue"),
        ({"drug": "other"}, "name the medicine"),
        ({"drug": "lorazepam", "dose": "0"}, "dose must be above 0"),
        ({"drug": "lorazepam", "dose": "NaN"}, "dose must be above 0"),
    ],
)
def test_a_row_refuses_what_it_cannot_judge(kwargs, message):
    fields = {"drug": "lorazepam", "dose": "1", **kwargs}
    with pytest.raises(ClinicalInputError, match=message):
        row(fields["drug"], fields["dose"])
