"""Chair-side monitoring: pre-dose check, alerts, the due/overdue board and discharge."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.clinical import registry
from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Confidence
from remission.clinical.monitoring import (
    CheckState,
    Criterion,
    DischargeCharting,
    DischargeFacts,
    PredoseStatus,
    ScoredCheck,
    Severity,
    VitalSigns,
    due_checks,
    evaluate_discharge,
    evaluate_sedation,
    evaluate_vitals,
    predose_check,
)
from remission.clinical.protocols import get_protocol

UTC = dt.UTC
START = dt.datetime(2026, 12, 2, 9, 10, tzinfo=UTC)
IV_PLAN = get_protocol("iv-induction-3x-weekly").monitoring_plan()
ESKETAMINE_PLAN = get_protocol("esketamine-induction").monitoring_plan()


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def vitals(
    minutes: float = 0,
    bp: tuple[int, int] | None = (128, 80),
    hr: int | None = 76,
    spo2: int | None = 98,
    rr: int | None = 14,
) -> VitalSigns:
    return VitalSigns(
        measured_at=at(minutes),
        systolic_mmhg=None if bp is None else bp[0],
        diastolic_mmhg=None if bp is None else bp[1],
        heart_rate_bpm=hr,
        spo2_percent=spo2,
        respiratory_rate_per_min=rr,
    )


BASELINE = vitals(-10)

# -- pre-dose ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bp", "status", "code"),
    [
        ((128, 80), PredoseStatus.PROCEED, None),
        ((140, 90), PredoseStatus.PROCEED, None),
        ((141, 88), PredoseStatus.CAUTION, "PREDOSE_BP_ELEVATED"),
        ((135, 91), PredoseStatus.CAUTION, "PREDOSE_BP_ELEVATED"),
        ((159, 99), PredoseStatus.CAUTION, "PREDOSE_BP_ELEVATED"),
        ((160, 85), PredoseStatus.HOLD, "PREDOSE_BP_HOLD"),
        ((150, 100), PredoseStatus.HOLD, "PREDOSE_BP_HOLD"),
        ((182, 104), PredoseStatus.HOLD, "PREDOSE_BP_SYSTOLIC_HIGH"),
    ],
)
def test_predose_blood_pressure_decides_proceed_caution_or_hold(
    bp: tuple[int, int], status: PredoseStatus, code: str | None
) -> None:
    decision = predose_check(vitals(-10, bp=bp))
    assert decision.status is status
    assert decision.proceed is (status is not PredoseStatus.HOLD)
    codes = [f.code for f in decision.findings]
    assert (code in codes) if code else codes == []


def test_predose_caution_leaves_the_decision_to_the_prescriber() -> None:
    decision = predose_check(vitals(-10, bp=(150, 88)))
    assert "prescriber" in decision.message
    (finding,) = decision.findings
    assert finding.evidence is not None
    assert finding.evidence.confidence is Confidence.RECALLED  # label wording not re-read
    assert finding.setting == "monitoring.predose_caution_systolic_above_mmhg"


def test_the_sop_hold_level_is_labelled_a_convention() -> None:
    (finding,) = predose_check(vitals(-10, bp=(165, 95))).findings
    assert finding.evidence is not None
    assert finding.evidence.confidence is Confidence.UNCERTAIN


@pytest.mark.parametrize(
    ("reading", "code"),
    [
        (vitals(-10, bp=None), "BP_NOT_RECORDED"),
        (vitals(-10, hr=None), "HR_NOT_RECORDED"),
        (vitals(-10, spo2=None), "SPO2_NOT_RECORDED"),
        (vitals(-10, spo2=90), "PREDOSE_SPO2_LOW"),
        (vitals(-10, hr=118), "PREDOSE_HR_HIGH"),
        (vitals(-10, rr=8), "PREDOSE_RR_LOW"),
    ],
)
def test_predose_holds_for_a_missing_or_abnormal_vital_sign(reading: VitalSigns, code: str) -> None:
    decision = predose_check(reading)
    assert decision.status is PredoseStatus.HOLD
    assert code in [f.code for f in decision.findings]


def test_a_clinic_can_lower_its_predose_hold_level() -> None:
    overrides = {"monitoring.predose_hold_systolic_at_or_above_mmhg": 150}
    assert predose_check(vitals(-10, bp=(152, 85)), overrides).status is PredoseStatus.HOLD


# -- in-session alerts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("firing", "quiet", "code", "severity"),
    [
        (vitals(30, bp=(180, 100)), vitals(30, bp=(179, 100)), "BP_SYSTOLIC_HIGH", Severity.URGENT),
        (
            vitals(30, bp=(150, 110)),
            vitals(30, bp=(150, 109)),
            "BP_DIASTOLIC_HIGH",
            Severity.URGENT,
        ),
        (vitals(30, bp=(168, 90)), vitals(30, bp=(167, 90)), "BP_SYSTOLIC_RISE", Severity.CAUTION),
        (
            vitals(30, bp=(150, 105)),
            vitals(30, bp=(150, 104)),
            "BP_DIASTOLIC_RISE",
            Severity.CAUTION,
        ),
        (vitals(30, hr=111), vitals(30, hr=110), "HR_HIGH", Severity.CAUTION),
        (vitals(30, hr=49), vitals(30, hr=50), "HR_LOW", Severity.CAUTION),
        (vitals(30, spo2=91), vitals(30, spo2=92), "SPO2_LOW", Severity.URGENT),
        (vitals(30, rr=9), vitals(30, rr=10), "RR_LOW", Severity.URGENT),
        (vitals(30, rr=25), vitals(30, rr=24), "RR_HIGH", Severity.CAUTION),
    ],
)
def test_each_alert_fires_at_its_threshold_and_not_below(
    firing: VitalSigns, quiet: VitalSigns, code: str, severity: Severity
) -> None:
    alerts = {a.code: a for a in evaluate_vitals(firing, BASELINE)}
    assert code in alerts
    assert alerts[code].severity is severity
    assert code not in {a.code for a in evaluate_vitals(quiet, BASELINE)}


def test_an_alert_shows_value_threshold_setting_and_source_for_acknowledgement() -> None:
    (alert,) = evaluate_vitals(vitals(40, bp=(184, 100)))
    assert alert.code == "BP_SYSTOLIC_HIGH"
    assert alert.value == 184
    assert alert.threshold == 180
    assert alert.setting == "monitoring.alert_systolic_at_or_above_mmhg"
    assert alert.measured_at == at(40)
    assert alert.message == "Systolic BP 184 mmHg is at or above 180 mmHg"
    assert "SOP" in alert.advice
    assert alert.evidence.confidence is Confidence.PRIMARY
    assert "Table 6" in alert.evidence.citation


def test_a_rise_from_baseline_needs_a_baseline() -> None:
    reading = vitals(40, bp=(170, 90))
    assert evaluate_vitals(reading, None) == []
    (rise,) = evaluate_vitals(reading, BASELINE)
    assert rise.message == "Systolic BP rose 42 mmHg from baseline 128 (at or above 40 mmHg)"


def test_alert_thresholds_follow_the_clinic_settings() -> None:
    overrides = {"monitoring.alert_heart_rate_above_bpm": 100}
    assert [a.code for a in evaluate_vitals(vitals(20, hr=105), BASELINE, overrides)] == ["HR_HIGH"]


def test_sedation_alert_is_urgent_when_the_patient_barely_responds() -> None:
    assert evaluate_sedation(5, at(20)) == []
    assert evaluate_sedation(4, at(20)) == []
    (moderate,) = evaluate_sedation(3, at(20))
    assert (moderate.code, moderate.severity) == ("SEDATION_DEEP", Severity.CAUTION)
    (deep,) = evaluate_sedation(0, at(20))
    assert deep.severity is Severity.URGENT
    with pytest.raises(ClinicalInputError, match="0 to 5"):
        evaluate_sedation(6, at(20))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measured_at": dt.datetime(2026, 12, 2, 9)}, "naive"),
        ({"systolic_mmhg": 400, "diastolic_mmhg": 80}, "plausible range"),
        ({"systolic_mmhg": 120}, "both systolic and diastolic"),
        ({"systolic_mmhg": 90, "diastolic_mmhg": 95}, "not below systolic"),
        ({"heart_rate_bpm": 72.5}, "whole number"),
    ],
)
def test_implausible_or_incomplete_readings_are_refused(
    kwargs: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {"measured_at": START, **kwargs}
    with pytest.raises(ClinicalInputError, match=message):
        VitalSigns(**values)  # type: ignore[arg-type]


def test_readings_are_kept_in_utc() -> None:
    plus_one = dt.timezone(dt.timedelta(hours=1))
    reading = VitalSigns(measured_at=dt.datetime(2026, 12, 2, 10, 10, tzinfo=plus_one))
    assert reading.measured_at == START
    assert reading.measured_at.tzinfo is UTC


# -- due / overdue board -----------------------------------------------------------------------


def states(now_min: float, charted: dict[str, dt.datetime] | None = None) -> dict[str, CheckState]:
    board = due_checks(IV_PLAN, dose_started_at=START, now=at(now_min), charted=charted or {})
    return {s.check.check_id: s.state for s in board}


def test_before_the_dose_starts_only_the_baseline_is_due() -> None:
    board = due_checks(IV_PLAN, dose_started_at=None, now=at(-30), charted={})
    by_id = {s.check.check_id: s for s in board}
    assert by_id["vitals@-10"].state is CheckState.DUE
    assert by_id["vitals@+15"].state is CheckState.UPCOMING
    assert by_id["vitals@+15"].due_at is None


@pytest.mark.parametrize(
    ("now_min", "expected"),
    [
        (9, CheckState.UPCOMING),
        (10, CheckState.DUE),  # 5 min before its time
        (15, CheckState.DUE),
        (20, CheckState.DUE),  # 5 min grace
        (21, CheckState.OVERDUE),
    ],
)
def test_a_check_becomes_due_then_overdue(now_min: float, expected: CheckState) -> None:
    assert states(now_min)["vitals@+15"] is expected


def test_the_baseline_is_overdue_once_the_dose_has_started() -> None:
    assert states(-1)["vitals@-10"] is CheckState.DUE
    assert states(1)["vitals@-10"] is CheckState.OVERDUE


def test_a_charted_check_is_done_whatever_the_time() -> None:
    charted = {"vitals@+15": at(16)}
    assert states(200, charted)["vitals@+15"] is CheckState.DONE
    board = due_checks(IV_PLAN, dose_started_at=START, now=at(200), charted=charted)
    assert next(s for s in board if s.check.check_id == "vitals@+15").charted_at == at(16)


def test_grace_minutes_are_configurable() -> None:
    board = due_checks(
        IV_PLAN,
        dose_started_at=START,
        now=at(21),
        charted={},
        overrides={"monitoring.check_overdue_after_min": 10},
    )
    assert next(s for s in board if s.check.check_id == "vitals@+15").state is CheckState.DUE


def test_post_infusion_checks_follow_the_recorded_end_of_the_infusion() -> None:
    board = due_checks(IV_PLAN, dose_started_at=START, now=at(50), charted={}, dose_ended_at=at(50))
    by_id = {s.check.check_id: s for s in board}
    assert by_id["vitals@+40"].due_at == at(50)
    assert by_id["vitals@+55"].due_at == at(65)
    assert by_id["vitals@+30"].due_at == at(30)  # during-infusion checks keep their time


def test_the_board_refuses_unknown_checks_and_naive_times() -> None:
    with pytest.raises(ClinicalInputError, match="not on this monitoring plan"):
        due_checks(IV_PLAN, dose_started_at=START, now=at(5), charted={"vitals@+16": at(16)})
    with pytest.raises(ClinicalInputError, match="naive"):
        due_checks(IV_PLAN, dose_started_at=START, now=dt.datetime(2026, 12, 2, 9), charted={})


_RANK = {CheckState.UPCOMING: 0, CheckState.DUE: 1, CheckState.OVERDUE: 2}


@settings(max_examples=100, deadline=None)
@given(
    plan_id=st.sampled_from(["iv-induction-3x-weekly", "esketamine-induction", "kap"]),
    earlier=st.integers(-60, 400),
    later_by=st.integers(0, 400),
    charted_share=st.sets(st.integers(0, 60)),
)
def test_a_check_never_goes_back_from_overdue_to_due_or_upcoming(
    plan_id: str, earlier: int, later_by: int, charted_share: set[int]
) -> None:
    plan = get_protocol(plan_id).monitoring_plan()
    charted = {
        c.check_id: at(c.offset_min) for i, c in enumerate(plan.checks) if i in charted_share
    }
    first = due_checks(plan, dose_started_at=START, now=at(earlier), charted=charted)
    second = due_checks(plan, dose_started_at=START, now=at(earlier + later_by), charted=charted)
    for before, after in zip(first, second, strict=True):
        if before.check.check_id in charted:
            assert before.state is after.state is CheckState.DONE
        else:
            assert _RANK[before.state] <= _RANK[after.state]


# -- discharge --------------------------------------------------------------------------------


PADSS_CHARTED = {"ambulation": 2, "nausea_vomiting": 2, "pain": 2, "bleeding": 2}


def charting(when: dt.datetime, **changes: object) -> DischargeCharting:
    """A discharge assessment with every hand-charted PADSS item at 2 and every check done."""
    values: dict[str, object] = {
        "charted_at": when,
        "points": PADSS_CHARTED,
        "oriented": True,
        "escort_present": True,
        "driving_advice_given": True,
    }
    values.update(changes)
    return DischargeCharting(**values)  # type: ignore[arg-type]


def esketamine_facts(now_min: float, **changes: object) -> DischargeFacts:
    facts: dict[str, object] = {
        "plan": ESKETAMINE_PLAN,
        "dose_started_at": START,
        "now": at(now_min),
        "baseline": BASELINE,
        "vitals": [vitals(40, bp=(150, 92)), vitals(60, bp=(136, 84)), vitals(now_min - 5)],
        "moaas": [ScoredCheck(at(30), 3), ScoredCheck(at(75), 5), ScoredCheck(at(now_min - 5), 5)],
        "cadss6": [ScoredCheck(at(40), 9), ScoredCheck(at(90), 1)],
        "escort_arranged": True,
        "charting": charting(at(now_min)),
    }
    facts.update(changes)
    return DischargeFacts(**facts)  # type: ignore[arg-type]


def test_esketamine_patient_is_ready_after_two_hours_with_everything_resolved() -> None:
    assessment = evaluate_discharge(esketamine_facts(125))
    assert assessment.ready
    assert all(c.met for c in assessment.criteria)
    assert assessment.minutes_since_dose_start == 125


def test_rems_ready_to_leave_time_ignores_the_two_hour_minimum() -> None:
    assessment = evaluate_discharge(esketamine_facts(125))
    # vitals acceptable from 40 min, MOAA/S 5 from 75 min, CADSS-6 resolved from 90 min
    assert assessment.clinically_ready_at == at(90)
    assert assessment.clinically_ready_min_from_dose_start == 90


def test_not_ready_before_the_minimum_observation_even_if_all_else_is_fine() -> None:
    assessment = evaluate_discharge(esketamine_facts(119))
    assert not assessment.ready
    unmet = [c for c in assessment.criteria if not c.met]
    assert [c.criterion for c in unmet] == [Criterion.MIN_OBSERVATION]
    assert unmet[0].reason == "minimum observation of 120 min ends at 11:10 UTC (1 min to go)"
    assert assessment.clinically_ready_min_from_dose_start == 90


def test_the_observation_end_is_told_in_the_time_zone_of_now() -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assessment = evaluate_discharge(esketamine_facts(119, now=at(119).astimezone(new_york)))
    unmet = [c for c in assessment.criteria if not c.met]
    assert unmet[0].reason == "minimum observation of 120 min ends at 06:10 EST (1 min to go)"


def test_iv_observation_waits_for_the_recorded_end_of_the_infusion() -> None:
    facts = esketamine_facts(125, plan=IV_PLAN)
    assessment = evaluate_discharge(facts)
    criterion = next(c for c in assessment.criteria if c.criterion is Criterion.MIN_OBSERVATION)
    assert not criterion.met
    assert "end of the infusion is not recorded" in criterion.reason
    ended = evaluate_discharge(esketamine_facts(125, plan=IV_PLAN, dose_ended_at=at(45)))
    assert ended.ready  # 45 + 60 = 105 min ≤ 125 min


@pytest.mark.parametrize(
    ("changes", "criterion", "reason"),
    [
        ({"moaas": [ScoredCheck(at(110), 4)]}, Criterion.SEDATION_RESOLVED, "latest MOAA/S 4"),
        ({"moaas": []}, Criterion.SEDATION_RESOLVED, "no MOAA/S since the dose"),
        ({"cadss6": [ScoredCheck(at(110), 3)]}, Criterion.DISSOCIATION_RESOLVED, "CADSS-6 3"),
        (
            {"open_alert_codes": ("BP_SYSTOLIC_HIGH",)},
            Criterion.NO_OPEN_ALERTS,
            "systolic blood pressure high",
        ),
        (
            {"charting": charting(at(120), escort_present=False)},
            Criterion.ESCORT,
            "escort arranged before the dose but not confirmed present at discharge",
        ),
        (
            {"charting": charting(at(120), escort_present=False), "escort_arranged": False},
            Criterion.ESCORT,
            "no escort confirmed present at discharge",
        ),
        (
            {"charting": charting(at(120), oriented=False)},
            Criterion.ORIENTED,
            "orientation (person, place, time) not confirmed",
        ),
        (
            {"charting": charting(at(120), driving_advice_given=False)},
            Criterion.DRIVING_ADVICE,
            "advice not to drive until the next day after restful sleep not recorded",
        ),
        ({"charting": None}, Criterion.DISCHARGE_SCORE, "modified PADSS ambulation: not charted"),
        ({"vitals": [vitals(90)]}, Criterion.VITALS, "35 min old"),
        ({"vitals": [vitals(120, bp=(166, 96))]}, Criterion.VITALS, "is not below 160/100"),
        ({"vitals": [vitals(120, spo2=90)]}, Criterion.VITALS, "SpO2 90 % is below 92 %"),
        ({"vitals": []}, Criterion.VITALS, "no vital signs since the dose"),
    ],
)
def test_each_unmet_criterion_blocks_discharge_and_says_why(
    changes: dict[str, object], criterion: Criterion, reason: str
) -> None:
    assessment = evaluate_discharge(esketamine_facts(125, **changes))
    assert not assessment.ready
    result = next(c for c in assessment.criteria if c.criterion is criterion)
    assert not result.met
    assert reason in result.reason
    assert reason in assessment.message


def _discharge_reason(reading: VitalSigns, baseline: VitalSigns | None = None) -> str:
    facts = esketamine_facts(125, baseline=baseline or BASELINE, vitals=[reading])
    (vitals_result,) = [c for c in evaluate_discharge(facts).criteria if c.criterion == "vitals"]
    return "" if vitals_result.met else vitals_result.reason


def test_a_high_baseline_cannot_lift_the_absolute_discharge_limit() -> None:
    high_baseline = vitals(-10, bp=(155, 94))
    assert "is not below 160/100" in _discharge_reason(vitals(120, bp=(175, 109)), high_baseline)
    assert _discharge_reason(vitals(120, bp=(158, 96)), high_baseline) == ""


def test_discharge_vitals_are_within_the_band_of_the_pre_dose_values_both_ways() -> None:
    baseline = vitals(-10, bp=(130, 80), hr=70)
    assert _discharge_reason(vitals(120, bp=(130, 80), hr=70), baseline) == ""
    assert "fell 23 % from baseline 130" in _discharge_reason(
        vitals(120, bp=(100, 70), hr=70), baseline
    )
    assert "diastolic BP 60 mmHg is not within 20 % of the pre-dose 80" in _discharge_reason(
        vitals(120, bp=(126, 60), hr=70), baseline
    )
    assert "heart rate 90 bpm is not within 20 %" in _discharge_reason(
        vitals(120, bp=(130, 80), hr=90), baseline
    )
    assert _discharge_reason(vitals(120, bp=(150, 90), hr=80), baseline) == ""  # +15 %, +12 %


def test_a_hypotensive_discharge_is_refused_whatever_the_baseline() -> None:
    low_baseline = vitals(-10, bp=(95, 60), hr=60)
    assert "below 90 mmHg" in _discharge_reason(vitals(120, bp=(86, 58), hr=60), low_baseline)


def test_the_last_vital_signs_must_be_a_full_set() -> None:
    assert "no SpO2 or respiratory rate" in _discharge_reason(vitals(120, spo2=None, rr=None))
    assert "no heart rate" in _discharge_reason(vitals(120, hr=None))


def test_dissociation_back_to_the_patients_own_baseline_counts_as_resolved() -> None:
    facts = esketamine_facts(125, cadss6=[ScoredCheck(at(110), 4)], baseline_cadss6=4)
    assert evaluate_discharge(facts).ready


def test_a_clinic_can_drop_the_escort_requirement() -> None:
    facts = esketamine_facts(125, charting=charting(at(120), escort_present=False))
    assert evaluate_discharge(facts, {"monitoring.discharge_requires_escort": False}).ready


def test_scores_before_the_dose_do_not_count_towards_discharge() -> None:
    facts = esketamine_facts(125, moaas=[ScoredCheck(at(-10), 5)])
    assert not evaluate_discharge(facts).ready


def test_discharge_refuses_naive_times_and_impossible_scores() -> None:
    with pytest.raises(ClinicalInputError, match="naive"):
        evaluate_discharge(esketamine_facts(125, now=dt.datetime(2026, 12, 2, 11, 15)))
    with pytest.raises(ClinicalInputError, match="CADSS-6 total must be 0 to 24"):
        evaluate_discharge(esketamine_facts(125, cadss6=[ScoredCheck(at(90), 25)]))
    with pytest.raises(ClinicalInputError, match="before the dose started"):
        evaluate_discharge(esketamine_facts(125, now=at(-5)))


@settings(max_examples=150, deadline=None)
@given(
    plan_id=st.sampled_from(["iv-booster", "esketamine-maintenance", "im-induction"]),
    end_min=st.integers(0, 80),
    minutes_from_observation_end=st.integers(-30, 30),
    observation_override=st.sampled_from([None, 150, 240]),
)
def test_discharge_is_never_ready_before_the_minimum_observation(
    plan_id: str, end_min: int, minutes_from_observation_end: int, observation_override: int | None
) -> None:
    overrides = (
        {}
        if observation_override is None
        else {"protocols.esketamine_nasal.observation_min": observation_override}
    )
    plan = get_protocol(plan_id).monitoring_plan(overrides)
    ends_at = plan.observation_ends_at(START, at(end_min))
    assert ends_at is not None
    now = ends_at + dt.timedelta(minutes=minutes_from_observation_end)
    facts = DischargeFacts(
        plan=plan,
        dose_started_at=START,
        now=now,
        baseline=BASELINE,
        vitals=[vitals((now - START).total_seconds() / 60 - 1)],
        moaas=[ScoredCheck(START, 5)],
        cadss6=[ScoredCheck(START, 0)],
        dose_ended_at=at(end_min),
        charting=charting(now),
    )
    assessment = evaluate_discharge(facts)
    assert assessment.ready == (minutes_from_observation_end >= 0)


# --- low blood pressure, before and during the dose ---------------------------------------------


def _codes_of(decision_or_alerts: object) -> list[str]:
    if isinstance(decision_or_alerts, list):
        return [a.code for a in decision_or_alerts]
    return [f.code for f in decision_or_alerts.findings]  # type: ignore[attr-defined]


def test_hypotension_before_the_dose_holds_it() -> None:
    decision = predose_check(vitals(bp=(86, 58)))
    assert decision.status is PredoseStatus.HOLD
    assert "PREDOSE_BP_SYSTOLIC_LOW" in _codes_of(decision)
    assert predose_check(vitals(bp=(92, 52))).status is PredoseStatus.PROCEED
    assert predose_check(vitals(bp=(92, 48))).status is PredoseStatus.HOLD


def test_a_fall_of_a_fifth_from_the_intake_bp_holds_the_dose() -> None:
    usual = vitals(bp=(140, 85))
    assert predose_check(vitals(bp=(110, 70)), reference=usual).status is PredoseStatus.HOLD
    assert "PREDOSE_BP_SYSTOLIC_FALL" in _codes_of(
        predose_check(vitals(bp=(110, 70)), reference=usual)
    )
    assert predose_check(vitals(bp=(115, 70)), reference=usual).status is PredoseStatus.PROCEED
    assert predose_check(vitals(bp=(110, 70))).status is PredoseStatus.PROCEED  # no intake BP


def test_bradycardia_and_low_oxygen_before_the_dose_hold_it() -> None:
    assert predose_check(vitals(hr=44)).status is PredoseStatus.HOLD
    assert predose_check(vitals(spo2=89)).status is PredoseStatus.HOLD


def test_falls_as_well_as_rises_alert_during_the_session() -> None:
    baseline = vitals(bp=(130, 80))
    assert _codes_of(evaluate_vitals(vitals(bp=(100, 66)), baseline)) == ["BP_SYSTOLIC_FALL"]
    urgent = evaluate_vitals(vitals(bp=(84, 50)), baseline)
    assert {"BP_SYSTOLIC_LOW", "BP_SYSTOLIC_FALL"} <= set(_codes_of(urgent))
    assert [a.severity for a in urgent if a.code == "BP_SYSTOLIC_LOW"] == [Severity.URGENT]
    assert evaluate_vitals(vitals(bp=(112, 72)), baseline) == []  # a 14 % fall


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("monitoring.predose_hold_systolic_at_or_above_mmhg", 180),
        ("monitoring.predose_hold_diastolic_at_or_above_mmhg", 120),
        ("monitoring.alert_systolic_at_or_above_mmhg", 190),
        ("monitoring.alert_diastolic_at_or_above_mmhg", 125),
        ("monitoring.discharge_systolic_below_mmhg", 180),
    ],
)
def test_no_clinic_can_move_a_hold_or_alert_to_hypertensive_crisis_levels(
    key: str, value: int
) -> None:
    with pytest.raises(ClinicalInputError):
        registry.resolve(key, {key: value})
