"""PCL-5: cluster sums, the total cut-off (a registry setting) and the DSM-5 cluster rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from remission.clinical import instruments
from remission.clinical.errors import ClinicalInputError

CLUSTER_ITEMS = {"B": range(1, 6), "C": range(6, 8), "D": range(8, 15), "E": range(15, 21)}


def pcl5(**clusters: list[int]) -> list[int]:
    answers = [0] * 20
    for name, values in clusters.items():
        for item, value in zip(CLUSTER_ITEMS[name], values, strict=False):
            answers[item - 1] = value
    return answers


def classifications(
    answers: Sequence[int | None], overrides: Mapping[str, object] | None = None
) -> dict[str, bool | None]:
    result = instruments.score("pcl5", answers, overrides=overrides)
    return {c.id: c.met for c in result.classifications}


def test_clusters_b_c_d_e_are_items_1_5_6_7_8_14_15_20() -> None:
    answers = pcl5(B=[1, 1, 1, 1, 1], C=[2, 2], D=[3] * 7, E=[4] * 6)
    result = instruments.score("pcl5", answers)
    assert {s.id: s.value for s in result.subscores} == {"B": 5, "C": 4, "D": 21, "E": 24}
    assert {s.id: s.maximum for s in result.subscores} == {"B": 20, "C": 8, "D": 28, "E": 24}
    assert result.total == 54


def test_pcl5_has_no_severity_band() -> None:
    assert instruments.score("pcl5", [4] * 20).severity is None


def test_dsm_rule_met_with_one_b_one_c_two_d_two_e_rated_2_or_more() -> None:
    answers = pcl5(B=[2], C=[3], D=[2, 4], E=[2, 2])
    assert classifications(answers)["provisional_ptsd_dsm"] is True


@pytest.mark.parametrize(
    "short_of",
    [
        pcl5(C=[3], D=[2, 4], E=[2, 2]),  # no B
        pcl5(B=[2], D=[2, 4], E=[2, 2]),  # no C
        pcl5(B=[2], C=[3], D=[2], E=[2, 2]),  # one D
        pcl5(B=[2], C=[3], D=[2, 4], E=[2]),  # one E
    ],
)
def test_dsm_rule_not_met_when_one_cluster_falls_short(short_of: list[int]) -> None:
    assert classifications(short_of)["provisional_ptsd_dsm"] is False


def test_dsm_rule_counts_only_items_rated_2_or_more_as_endorsed() -> None:
    all_ones = [1] * 20
    assert classifications(all_ones)["provisional_ptsd_dsm"] is False


def test_total_cut_off_defaults_to_33() -> None:
    assert classifications(pcl5(D=[4, 4, 4, 4, 4, 4, 4], E=[4]))["provisional_ptsd_total"] is False
    assert classifications(pcl5(D=[4] * 7, E=[4, 1]))["provisional_ptsd_total"] is True


def test_total_cut_off_follows_the_clinic_setting_of_31() -> None:
    answers = pcl5(D=[4] * 7, B=[3])  # total 31
    overrides = {"instruments.pcl5.provisional_ptsd_min_total": 31}
    assert classifications(answers)["provisional_ptsd_total"] is False
    assert classifications(answers, overrides=overrides)["provisional_ptsd_total"] is True


def test_a_cut_off_outside_31_to_33_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="below the minimum 31"):
        instruments.score(
            "pcl5", [0] * 20, overrides={"instruments.pcl5.provisional_ptsd_min_total": 20}
        )


def test_incomplete_pcl5_leaves_both_readings_undecided() -> None:
    answers: list[int | None] = list(pcl5(B=[4] * 5, C=[4, 4], D=[4] * 7, E=[4] * 6))
    answers[19] = None
    assert classifications(answers) == {
        "provisional_ptsd_total": None,
        "provisional_ptsd_dsm": None,
    }
