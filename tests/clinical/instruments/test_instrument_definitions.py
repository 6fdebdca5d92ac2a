"""Every scale definition: ids, item ranges, bands, licences, sources and registry settings."""

from __future__ import annotations

import dataclasses
import re

import pytest

from remission.clinical import instruments, registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence, Evidence
from remission.clinical.instruments import Instrument
from remission.clinical.instruments.base import Rater, SeverityBand, SeverityBands

ALL = instruments.all_instruments()

# id: (number of items, lowest total, highest total, rater) — clinical.md §5
REFERENCE_SHAPE = {
    "phq9": (9, 0, 27, Rater.SELF),
    "gad7": (7, 0, 21, Rater.SELF),
    "qids-sr16": (16, 0, 27, Rater.SELF),
    "madrs": (10, 0, 60, Rater.CLINICIAN),
    "hamd17": (17, 0, 52, Rater.CLINICIAN),
    "cadss6": (6, 0, 24, Rater.CLINICIAN),
    "moaas": (1, 0, 5, Rater.CLINICIAN),
    "pcl5": (20, 0, 80, Rater.SELF),
    "pain-nrs": (1, 0, 10, Rater.SELF),
    "cgi-s": (1, 1, 7, Rater.CLINICIAN),
    "cgi-i": (1, 1, 7, Rater.CLINICIAN),
    "suicide-screen": (6, 0, 3, Rater.CLINICIAN),
}


def by_id(instrument: Instrument) -> str:
    return instrument.id


def test_registry_holds_exactly_the_agreed_instrument_ids() -> None:
    assert set(instruments.ids()) == set(REFERENCE_SHAPE)
    assert len(instruments.ids()) == len(REFERENCE_SHAPE)


def test_get_unknown_instrument_names_the_known_ones() -> None:
    with pytest.raises(ClinicalInputError, match=r"unknown instrument 'phq-9'.*phq9"):
        instruments.get("phq-9")


@pytest.mark.parametrize("instrument", ALL, ids=by_id)
def test_item_count_total_range_and_rater_match_the_reference(instrument: Instrument) -> None:
    items, lowest, highest, rater = REFERENCE_SHAPE[instrument.id]
    assert len(instrument.items) == items
    assert (instrument.minimum_total, instrument.maximum_total) == (lowest, highest)
    assert instrument.rater is rater


@pytest.mark.parametrize("instrument", [i for i in ALL if i.severity.bands], ids=by_id)
def test_severity_bands_cover_every_possible_total_exactly_once(instrument: Instrument) -> None:
    bands = instrument.severity.bands
    for total in range(instrument.minimum_total, instrument.maximum_total + 1):
        holders = [band.id for band in bands if band.minimum <= total <= band.maximum]
        assert len(holders) == 1, f"total {total} lies in {holders}"
    assert min(band.minimum for band in bands) == instrument.minimum_total
    assert max(band.maximum for band in bands) == instrument.maximum_total
    assert len({band.id for band in bands}) == len(bands)


def test_only_cadss6_and_pcl5_lack_bands_and_their_evidence_says_none_are_validated() -> None:
    without = {i.id: i.severity.evidence.citation for i in ALL if not i.severity.bands}
    assert set(without) == {"cadss6", "pcl5"}
    assert all(citation.startswith("No ") for citation in without.values())


def test_bands_with_a_gap_are_refused_when_a_scale_is_defined() -> None:
    phq9 = instruments.get("phq9")
    gapped = SeverityBands(
        bands=(SeverityBand("low", "Low", 0, 9), SeverityBand("high", "High", 11, 27)),
        evidence=phq9.severity.evidence,
    )
    with pytest.raises(ValueError, match="gap"):
        dataclasses.replace(phq9, severity=gapped)


def test_bands_stopping_short_of_the_maximum_are_refused() -> None:
    phq9 = instruments.get("phq9")
    short = SeverityBands(bands=(SeverityBand("all", "All", 0, 26),), evidence=phq9.source)
    with pytest.raises(ValueError, match="end at 26"):
        dataclasses.replace(phq9, severity=short)


@pytest.mark.parametrize(
    ("instrument_id", "item_range"),
    [
        ("phq9", (0, 3)),
        ("gad7", (0, 3)),
        ("qids-sr16", (0, 3)),
        ("madrs", (0, 6)),
        ("cadss6", (0, 4)),
        ("pcl5", (0, 4)),
        ("moaas", (0, 5)),
        ("pain-nrs", (0, 10)),
        ("cgi-s", (1, 7)),
        ("cgi-i", (1, 7)),
    ],
)
def test_every_item_has_the_reference_answer_range(
    instrument_id: str, item_range: tuple[int, int]
) -> None:
    ranges = {(item.minimum, item.maximum) for item in instruments.get(instrument_id).items}
    assert ranges == {item_range}


def test_hamd17_has_nine_items_scored_0_to_4_and_eight_scored_0_to_2() -> None:
    items = instruments.get("hamd17").items
    two_point = [item.number for item in items if item.maximum == 2]
    four_point = [item.number for item in items if item.maximum == 4]
    assert two_point == [4, 5, 6, 12, 13, 14, 16, 17]
    assert four_point == [1, 2, 3, 7, 8, 9, 10, 11, 15]
    assert all(item.minimum == 0 for item in items)


def test_cgi_zero_is_a_not_assessed_option_outside_the_scored_range() -> None:
    for instrument_id in ("cgi-s", "cgi-i"):
        (item,) = instruments.get(instrument_id).items
        option = item.option(0)
        assert option is not None
        assert option.not_assessed
        assert 0 not in item.scored_values


def test_only_scales_free_to_reproduce_ship_published_item_text() -> None:
    with_text = {i.id for i in ALL if any(item.text for item in i.all_items)}
    assert with_text == {"phq9", "gad7"}
    for instrument in ALL:
        if not instrument.licence.text_redistributable:
            assert instrument.instructions is None


@pytest.mark.parametrize("instrument_id", ["madrs", "qids-sr16", "hamd17", "cadss6", "pcl5"])
def test_restricted_scales_refuse_item_text_in_their_definition(instrument_id: str) -> None:
    instrument = instruments.get(instrument_id)
    first = dataclasses.replace(instrument.items[0], text="published wording")
    with pytest.raises(ValueError, match="licence"):
        dataclasses.replace(instrument, items=(first, *instrument.items[1:]))


def test_restricted_scales_use_short_labels_of_our_own() -> None:
    for instrument in ALL:
        for item in instrument.items:
            assert 0 < len(item.label) <= 40, (instrument.id, item.number, item.label)


def test_suicide_screen_ships_only_generic_question_labels_and_says_the_clinic_supplies_text() -> (
    None
):
    screen = instruments.get("suicide-screen")
    assert [item.label for item in screen.items] == [f"Screen question {n}" for n in range(1, 7)]
    assert "clinic supplies licensed question text" in screen.licence.note
    assert "Clario" in screen.licence.note
    assert not screen.licence.text_redistributable


def test_phq9_item_loinc_codes_follow_item_order_and_item9_is_44260_8() -> None:
    phq9 = instruments.get("phq9")
    assert [item.loinc for item in phq9.items] == [
        "44250-9",
        "44255-8",
        "44259-0",
        "44254-1",
        "44251-7",
        "44258-2",
        "44252-5",
        "44253-3",
        "44260-8",
    ]
    assert (phq9.loinc.panel, phq9.loinc.total) == ("44249-1", "44261-6")


def test_gad7_loinc_codes_match_the_reference() -> None:
    gad7 = instruments.get("gad7")
    assert [item.loinc for item in gad7.items] == [
        "69725-0",
        "68509-9",
        "69733-4",
        "69734-2",
        "69735-9",
        "69689-8",
        "69736-7",
    ]
    assert (gad7.loinc.panel, gad7.loinc.total) == ("69737-5", "70274-6")


def test_unverified_loinc_codes_are_left_empty_and_marked_uncertain() -> None:
    for instrument_id in ("madrs", "qids-sr16", "hamd17", "pcl5", "cgi-s", "cgi-i"):
        loinc = instruments.get(instrument_id).loinc
        assert (loinc.panel, loinc.total) == (None, None)
        assert loinc.evidence.confidence is Confidence.UNCERTAIN
        assert all(item.loinc is None for item in instruments.get(instrument_id).items)


def test_phq9_difficulty_question_is_supplementary_and_not_one_of_the_nine_answers() -> None:
    phq9 = instruments.get("phq9")
    assert len(phq9.items) == 9
    (difficulty,) = phq9.supplementary_items
    assert difficulty.loinc == "69722-7"
    assert [option.value for option in difficulty.options] == [0, 1, 2, 3]


def test_cadss6_items_are_full_cadss_items_1_2_6_7_15_22() -> None:
    notes = [item.note for item in instruments.get("cadss6").items]
    assert notes == [f"CADSS item {n}" for n in (1, 2, 6, 7, 15, 22)]


def _evidence_in(instrument: Instrument) -> list[Evidence]:
    found = [
        instrument.source,
        instrument.severity.evidence,
        instrument.loinc.evidence,
        instrument.licence.evidence,
        instrument.recall_period.evidence,
        instrument.missing_policy.evidence,
        *(rule.evidence for rule in instrument.flag_rules),
        *(rule.evidence for rule in instrument.classification_rules),
    ]
    if instrument.skip_rule is not None:
        found.append(instrument.skip_rule.evidence)
    if instrument.outcome is not None:
        for default in (
            instrument.outcome.response_min_percent_drop,
            instrument.outcome.remission_max_total,
            instrument.outcome.mcid_points,
        ):
            if default is not None:
                found.append(default.evidence)
    return found


@pytest.mark.parametrize("instrument", ALL, ids=by_id)
def test_every_rule_names_a_source_with_a_reference_confidence_label(
    instrument: Instrument,
) -> None:
    for evidence in _evidence_in(instrument):
        assert evidence.citation.strip()
        assert evidence.confidence in set(Confidence)


@pytest.mark.parametrize(
    ("key", "default", "confidence"),
    [
        ("instruments.response_min_percent_drop", 50, Confidence.PRIMARY),
        ("instruments.phq9.remission_max_total", 4, Confidence.PRIMARY),
        ("instruments.gad7.remission_max_total", 4, Confidence.RECALLED),
        ("instruments.qids_sr16.remission_max_total", 5, Confidence.PRIMARY),
        ("instruments.madrs.remission_max_total", 10, Confidence.PRIMARY),
        ("instruments.hamd17.remission_max_total", 7, Confidence.PRIMARY),
        ("instruments.phq9.mcid_points", 6, Confidence.PRIMARY),
        ("instruments.madrs.mcid_points", 10, Confidence.PRIMARY),
        ("instruments.pcl5.mcid_points", 10, Confidence.SECONDARY),
        ("instruments.pain_nrs.mcid_points", 2, Confidence.PRIMARY),
        ("instruments.pcl5.provisional_ptsd_min_total", 33, Confidence.PRIMARY),
    ],
)
def test_outcome_thresholds_are_registry_defaults_with_reference_values(
    key: str, default: int, confidence: Confidence
) -> None:
    setting = registry.get(key)
    assert setting.value == default
    assert setting.evidence.confidence is confidence


def test_madrs_remission_threshold_may_be_set_to_12_but_not_beyond_the_scale() -> None:
    setting = registry.get("instruments.madrs.remission_max_total")
    assert setting.coerce("12") == 12
    with pytest.raises(ClinicalInputError, match="above the maximum 60"):
        setting.coerce(61)


def test_pcl5_cut_off_is_limited_to_the_published_31_to_33() -> None:
    setting = registry.get("instruments.pcl5.provisional_ptsd_min_total")
    assert setting.coerce(31) == 31
    with pytest.raises(ClinicalInputError, match="below the minimum 31"):
        setting.coerce(30)


def test_only_moaas_scores_higher_as_better() -> None:
    assert [i.id for i in ALL if not i.higher_is_worse] == ["moaas"]


def test_scales_that_refuse_comparison_are_moaas_cgi_i_and_the_suicide_screen() -> None:
    assert {i.id for i in ALL if i.outcome is None} == {"moaas", "cgi-i", "suicide-screen"}


def test_flag_ids_at_the_worst_answers_are_snake_case_and_unique() -> None:
    flag_ids = [
        flag.id
        for instrument in ALL
        if instrument.higher_is_worse
        for flag in instruments.score(
            instrument.id, [item.maximum for item in instrument.items]
        ).flags
    ]
    assert sorted(flag_ids) == [
        "hamd17_item3_positive",
        "madrs_item10_positive",
        "phq9_item9_positive",
        "qids_item12_positive",
        "suicide_screen_high_risk",
    ]
    assert all(re.fullmatch(r"[a-z0-9_]+", flag_id) for flag_id in flag_ids)
