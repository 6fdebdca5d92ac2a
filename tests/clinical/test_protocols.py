"""Protocol definitions and their in-session monitoring plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import pytest

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from remission.clinical.protocols import (
    PROTOCOLS,
    CheckPhase,
    ObservationFrom,
    Protocol,
    SessionKind,
    all_protocols,
    get_protocol,
)
from remission.clinical.routes import Route

UTC = dt.UTC
DOSE_START = dt.datetime(2026, 12, 2, 9, 10, tzinfo=UTC)


def offsets(
    protocol_id: str, instrument: str, overrides: Mapping[str, object] | None = None
) -> list[int]:
    plan = get_protocol(protocol_id).monitoring_plan(overrides)
    return [c.offset_min for c in plan.checks if c.instrument == instrument]


def test_the_clinic_can_choose_from_the_nine_specified_protocols() -> None:
    assert list(PROTOCOLS) == [
        "iv-induction-3x-weekly",
        "iv-induction-2x-weekly",
        "iv-maintenance",
        "iv-booster",
        "im-induction",
        "esketamine-induction",
        "esketamine-maintenance-weekly",
        "esketamine-maintenance",
        "kap",
    ]


@pytest.mark.parametrize("protocol", all_protocols(), ids=lambda p: p.id)
def test_every_protocol_cites_its_sources_with_a_confidence_label(protocol: Protocol) -> None:
    assert protocol.evidence
    for evidence in protocol.evidence:
        assert evidence.citation
        assert evidence.confidence in set(Confidence)


@pytest.mark.parametrize(
    ("protocol_id", "route", "dosing_sessions", "target_gap_days", "per_week"),
    [
        ("iv-induction-3x-weekly", Route.IV_RACEMIC, 6, 2, 3),
        ("iv-induction-2x-weekly", Route.IV_RACEMIC, 6, 3, 2),
        ("iv-maintenance", Route.IV_RACEMIC, 4, 7, 1),
        ("iv-booster", Route.IV_RACEMIC, 1, 7, 1),
        ("im-induction", Route.IM_RACEMIC, 6, 3, 2),
        ("esketamine-induction", Route.ESKETAMINE_NASAL, 8, 3, 2),
        ("esketamine-maintenance-weekly", Route.ESKETAMINE_NASAL, 4, 7, 1),
        ("esketamine-maintenance", Route.ESKETAMINE_NASAL, 6, 14, 1),
        ("kap", Route.IM_RACEMIC, 6, 7, 1),
    ],
)
def test_protocol_route_count_and_cadence(
    protocol_id: str, route: Route, dosing_sessions: int, target_gap_days: int, per_week: int
) -> None:
    protocol = get_protocol(protocol_id)
    assert protocol.route is route
    assert protocol.dosing_sessions == dosing_sessions
    assert protocol.cadence.target_gap_days == target_gap_days
    assert protocol.cadence.max_doses_per_week == per_week


def test_iv_induction_is_half_a_mg_per_kg_over_forty_minutes_from_murrough_and_phillips() -> None:
    protocol = get_protocol("iv-induction-3x-weekly")
    assert protocol.dose.mg_per_kg == Decimal("0.5")
    assert protocol.infusion_min == 40
    citations = " ".join(e.citation for e in protocol.evidence)
    assert "Murrough" in citations
    assert "Phillips" in citations


def test_twice_weekly_iv_induction_cites_elekt_d() -> None:
    assert "ELEKT-D" in get_protocol("iv-induction-2x-weekly").evidence[0].citation


def test_iv_maintenance_says_no_validated_schedule_exists() -> None:
    protocol = get_protocol("iv-maintenance")
    assert protocol.open_ended
    assert any("no validated" in e.citation for e in protocol.evidence)
    assert any("No validated maintenance schedule" in n for n in protocol.notes)


@pytest.mark.parametrize("protocol_id", ["iv-booster", "im-induction", "kap"])
def test_clinic_conventions_are_labelled_uncertain(protocol_id: str) -> None:
    labels = {e.confidence for e in get_protocol(protocol_id).evidence}
    assert Confidence.UNCERTAIN in labels


def test_im_induction_doses_come_from_chilukuri_2014() -> None:
    protocol = get_protocol("im-induction")
    assert protocol.dose.mg_per_kg_options == (Decimal("0.25"), Decimal("0.5"))
    assert "Chilukuri" in protocol.evidence[0].citation


def test_esketamine_induction_starts_at_56_mg_then_56_or_84() -> None:
    dose = get_protocol("esketamine-induction").dose
    assert dose.fixed_mg == 56
    assert dose.fixed_mg_options == (56, 84)


def test_esketamine_maintenance_leaves_56_or_84_mg_to_the_prescriber() -> None:
    dose = get_protocol("esketamine-maintenance").dose
    assert dose.fixed_mg is None
    assert dose.fixed_mg_options == (56, 84)


def test_kap_surrounds_each_dose_with_therapy_sessions() -> None:
    kap = get_protocol("kap")
    assert kap.session_kinds == (
        SessionKind.PREPARATION,
        SessionKind.DOSING,
        SessionKind.INTEGRATION,
    )
    assert kap.session_count == 1 + 6 + 6
    confidences = {e.confidence for e in kap.evidence}
    assert confidences <= {Confidence.SECONDARY, Confidence.UNCERTAIN}


def test_therapy_sessions_do_not_hold_an_infusion_chair() -> None:
    timings = {t.kind: t for t in get_protocol("kap").session_timings()}
    assert timings[SessionKind.PREPARATION].chair_occupancy_min == 0
    assert timings[SessionKind.INTEGRATION].chair_occupancy_min == 0
    assert timings[SessionKind.DOSING].chair_occupancy_min == 120


@pytest.mark.parametrize(
    ("protocol_id", "chair_min"),
    [
        ("iv-induction-3x-weekly", 120),  # 10 baseline + 40 infusion + 60 observation + 10
        ("im-induction", 90),
        ("esketamine-induction", 150),  # 10 baseline + 120 observation + 10, booked as 150
    ],
)
def test_chair_occupancy_per_dosing_session(protocol_id: str, chair_min: int) -> None:
    assert get_protocol(protocol_id).chair_occupancy_min() == chair_min


@pytest.mark.parametrize("protocol", all_protocols(), ids=lambda p: p.id)
def test_chair_time_always_covers_baseline_dose_and_minimum_observation(protocol: Protocol) -> None:
    plan = protocol.monitoring_plan()
    assert protocol.chair_occupancy_min() >= 10 + plan.planned_discharge_offset_min


def test_longer_observation_set_by_a_clinic_lengthens_the_chair_booking() -> None:
    overrides = {"protocols.iv.observation_after_infusion_min": 120}
    assert get_protocol("iv-induction-3x-weekly").chair_occupancy_min(overrides) == 180


def test_iv_vital_signs_every_15_minutes_during_and_after_the_infusion() -> None:
    assert offsets("iv-induction-3x-weekly", "vitals") == [-10, 15, 30, 40, 55, 70, 85, 100]


def test_iv_vital_signs_every_10_minutes_when_the_clinic_chooses_10() -> None:
    overrides = {"protocols.iv.vitals_interval_during_infusion_min": 10}
    assert offsets("iv-induction-3x-weekly", "vitals", overrides)[:5] == [-10, 10, 20, 30, 40]


def test_iv_plan_scores_sedation_and_dissociation_at_end_of_infusion_and_discharge() -> None:
    assert offsets("iv-booster", "cadss6") == [40, 100]
    assert 40 in offsets("iv-booster", "moaas")
    assert 100 in offsets("iv-booster", "moaas")
    plan = get_protocol("iv-booster").monitoring_plan()
    assert {c.phase for c in plan.checks if c.offset_min == 100} == {CheckPhase.DISCHARGE}


def test_esketamine_bp_before_the_dose_at_40_minutes_and_before_discharge() -> None:
    assert offsets("esketamine-induction", "vitals") == [-10, 40, 120]
    plan = get_protocol("esketamine-induction").monitoring_plan()
    assert plan.min_observation_min == 120
    assert plan.observation_from is ObservationFrom.DOSE_START
    assert any("pulse oximetry" in c for c in plan.continuous)
    assert offsets("esketamine-induction", "spo2")[:3] == [15, 30, 45]


def test_esketamine_observation_cannot_be_set_below_the_rems_two_hours() -> None:
    with pytest.raises(ClinicalInputError, match="below the minimum 120"):
        get_protocol("esketamine-induction").monitoring_plan(
            {"protocols.esketamine_nasal.observation_min": 90}
        )


@pytest.mark.parametrize("protocol", all_protocols(), ids=lambda p: p.id)
def test_check_ids_are_unique_and_name_instrument_and_offset(protocol: Protocol) -> None:
    plan = protocol.monitoring_plan()
    ids = [c.check_id for c in plan.checks]
    assert len(ids) == len(set(ids))
    for check in plan.checks:
        assert check.check_id == f"{check.instrument}@{check.offset_min:+d}"
    assert [c.offset_min for c in plan.checks] == sorted(c.offset_min for c in plan.checks)
    assert plan.checks[0].phase is CheckPhase.PRE_DOSE
    assert plan.checks[-1].offset_min == plan.planned_discharge_offset_min


def test_iv_observation_counts_from_the_end_of_the_infusion() -> None:
    plan = get_protocol("iv-induction-3x-weekly").monitoring_plan()
    ended = DOSE_START + dt.timedelta(minutes=55)  # infusion ran long
    assert plan.observation_ends_at(DOSE_START, ended) == ended + dt.timedelta(minutes=60)
    assert plan.observation_ends_at(DOSE_START, None) is None


def test_esketamine_observation_counts_from_the_first_device() -> None:
    plan = get_protocol("esketamine-maintenance").monitoring_plan()
    assert plan.observation_ends_at(DOSE_START, None) == DOSE_START + dt.timedelta(hours=2)


def test_observation_end_refuses_a_naive_datetime() -> None:
    plan = get_protocol("esketamine-maintenance").monitoring_plan()
    with pytest.raises(ClinicalInputError, match="naive"):
        plan.observation_ends_at(dt.datetime(2026, 12, 2, 9, 10), None)


def test_unknown_check_id_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="not on this monitoring plan"):
        get_protocol("iv-booster").monitoring_plan().check("vitals@+16")


def test_minimum_interval_is_48_hours_by_default_and_configurable_per_route() -> None:
    iv = get_protocol("iv-induction-3x-weekly")
    assert iv.min_interval_hours() == 48
    assert iv.min_interval_key == "protocols.iv.min_interval_hours"
    assert iv.min_interval_hours({"protocols.iv.min_interval_hours": 72}) == 72
    assert get_protocol("kap").min_interval_hours({"protocols.iv.min_interval_hours": 72}) == 48


def test_minimum_interval_cannot_allow_two_doses_within_a_day() -> None:
    with pytest.raises(ClinicalInputError, match="below the minimum 24"):
        get_protocol("iv-booster").min_interval_hours({"protocols.iv.min_interval_hours": 12})


def test_unknown_protocol_names_the_known_ones() -> None:
    with pytest.raises(ClinicalInputError, match="known: iv-induction-3x-weekly"):
        get_protocol("iv-weekly")


def test_every_protocol_setting_is_in_the_registry_with_a_source() -> None:
    keys = [d for d in registry.all_defaults() if d.group == "protocols"]
    assert {d.key for d in keys} >= {
        "protocols.iv.min_interval_hours",
        "protocols.im.min_interval_hours",
        "protocols.esketamine_nasal.min_interval_hours",
        "protocols.iv.vitals_interval_during_infusion_min",
        "protocols.iv.observation_after_infusion_min",
        "protocols.esketamine_nasal.observation_min",
    }
    for default in keys:
        assert default.evidence.citation


@pytest.mark.parametrize(
    ("family_code", "drug_route"),
    [
        ("iv", Route.IV_RACEMIC),
        ("im", Route.IM_RACEMIC),
        ("esketamine_nasal", Route.ESKETAMINE_NASAL),
        ("none", None),
    ],
)
def test_each_stored_course_route_names_the_route_dosing_and_eligibility_use(
    family_code: str, drug_route: Route | None
) -> None:
    assert Route.of_family_code(family_code) is drug_route


def test_every_dosing_protocol_gives_a_drug() -> None:
    for protocol in all_protocols():
        if protocol.dosing_sessions:
            assert protocol.route is not None, protocol.id
            assert protocol.drug is protocol.route.drug, protocol.id
