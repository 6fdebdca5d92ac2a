"""The coded medication catalogue (``clinical.medications.catalogue``)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from remission.clinical.evidence import Confidence
from remission.clinical.medications import CATALOGUE, DRUGS, OTHER, DrugClass, drug, drugs_in
from remission.clinical.medications.catalogue import RXNORM_CODE


def test_keys_and_rxnorm_codes_are_unique():
    keys = [d.key for d in DRUGS]
    codes = [d.rxnorm for d in DRUGS if d.rxnorm is not None]
    assert len(keys) == len(set(keys))
    assert len(codes) == len(set(codes))
    assert OTHER not in keys


def test_every_rxnorm_code_is_a_well_formed_rxcui():
    for entry in DRUGS:
        if entry.rxnorm is not None:
            assert RXNORM_CODE.match(entry.rxnorm), entry


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("lorazepam", "6470"),
        ("diazepam", "3322"),
        ("sertraline", "36437"),
        ("naltrexone", "7243"),
        ("lamotrigine", "28439"),
        ("gabapentin", "25480"),
        ("vortioxetine", "1455099"),
    ],
)
def test_codes_read_in_the_sources(key, code):
    found = drug(key)
    assert found is not None and found.rxnorm == code


def test_the_catalogue_says_how_sure_it_is():
    assert CATALOGUE.confidence is Confidence.SECONDARY
    assert "RxNav" in CATALOGUE.note


@pytest.mark.parametrize("drug_class", list(DrugClass))
def test_every_class_the_rules_name_has_a_drug(drug_class):
    assert drugs_in(drug_class)


def test_only_benzodiazepines_carry_a_lorazepam_equivalent():
    for entry in DRUGS:
        is_benzodiazepine = DrugClass.BENZODIAZEPINE in entry.classes
        assert (entry.lorazepam_mg_per_mg is not None) is is_benzodiazepine, entry.key
        if entry.lorazepam_mg_per_mg is not None:
            assert entry.lorazepam_mg_per_mg > Decimal(0)


def test_transdermal_selegiline_is_an_maoi_but_not_an_oral_antidepressant():
    selegiline = drug("selegiline")
    phenelzine = drug("phenelzine")
    assert selegiline is not None and phenelzine is not None
    assert DrugClass.ORAL_ANTIDEPRESSANT not in selegiline.classes
    assert {DrugClass.MAOI, DrugClass.ORAL_ANTIDEPRESSANT} <= phenelzine.classes
