"""Pain NRS, CGI-S and CGI-I: single ratings."""

from __future__ import annotations

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError


@pytest.mark.parametrize(
    ("rating", "band"),
    [(0, "none"), (1, "mild"), (3, "mild"), (4, "moderate"), (6, "moderate"), (7, "severe")],
)
def test_pain_nrs_bands(rating: int, band: str) -> None:
    result = instruments.score("pain-nrs", [rating])
    assert result.total == rating
    assert result.severity is not None
    assert result.severity.id == band


def test_pain_nrs_11_is_out_of_range() -> None:
    with pytest.raises(
        ClinicalInputError, match=r"^pain-nrs: item 1 answer 11 is out of range 0–10$"
    ):
        instruments.score("pain-nrs", [11])


def test_pain_nrs_two_point_drop_is_clinically_important_one_point_is_not() -> None:
    assert instruments.compare("pain-nrs", [6], [4]).meets_mcid is True
    assert instruments.compare("pain-nrs", [6], [5]).meets_mcid is False


def test_pain_nrs_has_no_response_or_remission_rule() -> None:
    change = instruments.compare("pain-nrs", [8], [2])
    assert (change.response, change.remission) == (None, None)


@pytest.mark.parametrize(
    ("rating", "band"),
    [
        (1, "normal"),
        (2, "borderline"),
        (3, "mild"),
        (4, "moderate"),
        (5, "marked"),
        (6, "severe"),
        (7, "extreme"),
    ],
)
def test_cgi_s_each_rating_is_its_own_band(rating: int, band: str) -> None:
    result = instruments.score("cgi-s", [rating])
    assert result.severity is not None
    assert result.severity.id == band


@pytest.mark.parametrize("instrument_id", ["cgi-s", "cgi-i"])
def test_cgi_zero_not_assessed_counts_as_missing(instrument_id: str) -> None:
    result = instruments.score(instrument_id, [0])
    assert not result.valid
    assert result.total is None
    assert result.missing == 1
    assert result.answers == (None,)


@pytest.mark.parametrize("instrument_id", ["cgi-s", "cgi-i"])
def test_cgi_8_is_out_of_range(instrument_id: str) -> None:
    with pytest.raises(ClinicalInputError, match=r"out of range 1–7 \(0 = not assessed\)$"):
        instruments.score(instrument_id, [8])


def test_cgi_i_2_is_much_improved_and_4_no_change() -> None:
    much = instruments.score("cgi-i", [2]).severity
    same = instruments.score("cgi-i", [4]).severity
    assert much is not None
    assert same is not None
    assert (much.id, same.id) == ("much_improved", "no_change")


def test_cgi_i_comparison_is_refused_because_it_already_rates_change() -> None:
    with pytest.raises(ClinicalInputError, match="cgi-i: comparing two administrations"):
        instruments.compare("cgi-i", [4], [2])


def test_cgi_s_change_is_reported_without_thresholds() -> None:
    change = instruments.compare("cgi-s", [6], [3])
    assert change.change == -3
    assert (change.response, change.remission, change.meets_mcid) == (None, None, None)
