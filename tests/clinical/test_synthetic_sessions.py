"""Synthetic courses and sessions: deterministic for a seed, inside the plausible ranges, and
calibrated to the clinical reference over a few thousand simulated patients and sessions."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import statistics
from collections import Counter

import pytest

from remission.clinical import instruments
from remission.clinical.monitoring import VitalSigns, evaluate_vitals
from remission.clinical.protocols import get_protocol
from remission.clinical.routes import Route
from remission.clinical.synthetic import sessions as syn

START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
PLANS = {
    Route.IV_RACEMIC: get_protocol("iv-induction-3x-weekly").monitoring_plan(),
    Route.IM_RACEMIC: get_protocol("im-induction").monitoring_plan(),
    Route.ESKETAMINE_NASAL: get_protocol("esketamine-induction").monitoring_plan(),
}
SERIES = {Route.IV_RACEMIC: 6, Route.IM_RACEMIC: 6, Route.ESKETAMINE_NASAL: 8}
N = 2000


def _session(
    rng: random.Random, route: Route, index: int = 0, age: int | None = None
) -> syn.SimulatedSession:
    physiology = syn.draw_physiology(rng, age_years=age or rng.randint(19, 74))
    profile = syn.draw_adverse_event_profile(rng, route, series_sessions=SERIES[route])
    return syn.simulate_session(
        rng,
        route=route,
        plan=PLANS[route],
        physiology=physiology,
        dose_started_at=START,
        session_index=index,
        adverse_events=profile,
        devices=2 if index == 0 else 3,
    )


def _sessions(route: Route, count: int = N, seed: int = 11) -> list[syn.SimulatedSession]:
    rng = random.Random(seed)
    return [_session(rng, route, index=i % SERIES[route]) for i in range(count)]


@pytest.fixture(scope="module")
def iv_sessions() -> list[syn.SimulatedSession]:
    return _sessions(Route.IV_RACEMIC)


@pytest.fixture(scope="module")
def esketamine_sessions() -> list[syn.SimulatedSession]:
    return _sessions(Route.ESKETAMINE_NASAL)


# --- determinism ---------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_course_and_session() -> None:
    def build(seed: int) -> tuple[object, ...]:
        rng = random.Random(seed)
        profile = syn.draw_response(rng, Route.IV_RACEMIC)
        doses = [START + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
        trajectory = syn.course_trajectory(
            profile, rng, baseline_at=START - dt.timedelta(days=7), dose_starts=doses,
            series_doses=6,
        )  # fmt: skip
        session = _session(rng, Route.IV_RACEMIC)
        return profile, trajectory, session.vitals, session.scales, session.adverse_events

    assert build(5) == build(5)
    assert build(5) != build(6)


# --- (a) response over a course ----------------------------------------------------------------


def test_phq9_and_gad7_answers_score_to_the_intended_totals() -> None:
    rng = random.Random(3)
    for _ in range(300):
        profile = syn.draw_response(rng, Route.IV_RACEMIC)
        doses = [START + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
        follow = [doses[-1] + dt.timedelta(weeks=w) for w in range(1, 9)]
        for scores in syn.course_trajectory(
            profile, rng, baseline_at=START - dt.timedelta(days=5), dose_starts=doses,
            series_doses=6, follow_up_at=follow,
        ):  # fmt: skip
            for draw in (scores.phq9, scores.gad7):
                if draw is None:
                    continue
                result = instruments.score(draw.instrument_id, list(draw.answers))
                assert result.valid
                assert result.total == draw.total
                assert all(0 <= a <= 3 for a in draw.answers)


def test_baseline_phq9_is_in_the_tdr_clinic_range_and_the_end_of_series_score_is_exact() -> None:
    rng = random.Random(4)
    profiles = [syn.draw_response(rng, Route.IV_RACEMIC) for _ in range(N)]
    assert all(15 <= p.phq9_baseline <= 22 for p in profiles)
    assert 17 <= statistics.mean(p.phq9_baseline for p in profiles) <= 20
    profile = profiles[0]
    doses = [START + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    trajectory = syn.course_trajectory(
        profile, rng, baseline_at=START - dt.timedelta(days=5), dose_starts=doses, series_doses=6
    )
    kinds = Counter(s.kind for s in trajectory)
    assert kinds == {"baseline": 1, "pre_dose": 6, "end_of_series": 1}
    assert trajectory[0].phq9.total == profile.phq9_baseline
    end = next(s for s in trajectory if s.kind == "end_of_series")
    assert end.phq9.total == profile.phq9_end_of_series


@pytest.mark.parametrize("route", [Route.IV_RACEMIC, Route.IM_RACEMIC, Route.ESKETAMINE_NASAL])
def test_end_of_series_response_and_remission_match_the_published_ranges(route: Route) -> None:
    """§6.4: response ~50–70 %, remission ~25–45 % after the series (PHQ-9 <5 = remission)."""
    rng = random.Random(21)
    profiles = [syn.draw_response(rng, route) for _ in range(N)]
    response = sum(p.responder for p in profiles) / N
    remission = sum(p.remitter for p in profiles) / N
    assert 0.55 <= response <= 0.65
    assert 0.30 <= remission <= 0.40
    assert all(p.responder for p in profiles if p.remitter)


def test_most_responders_respond_by_the_third_infusion() -> None:
    """Phillips 2019: a median of 3 infusions to response (§1.3, §6.4)."""
    rng = random.Random(22)
    responders = [
        p for p in (syn.draw_response(rng, Route.IV_RACEMIC) for _ in range(N)) if p.responder
    ]
    first = [next(k for k in range(1, 7) if p.response_after(k, 6)) for p in responders]
    assert statistics.median(first) == 3
    assert sum(k <= 3 for k in first) / len(first) >= 0.6


def test_relapse_after_the_series_has_a_median_of_about_two_and_a_half_to_three_weeks() -> None:
    """Murrough 2013: median 18 days; §6.4: median ~2.5–3 weeks, most by 2–3 months."""
    rng = random.Random(23)
    profiles = [syn.draw_response(rng, Route.IV_RACEMIC) for _ in range(N)]
    durability = [p.durability_days for p in profiles]
    assert 17.5 <= statistics.median(durability) <= 21
    assert sum(d <= 90 for d in durability) / N >= 0.9
    # the measured course shows it: a responder's PHQ-9 climbs back after the durability ends
    responder = next(p for p in profiles if p.responder and 10 < p.durability_days < 30)
    doses = [START + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    well = responder.expected_phq9(
        doses_before=6, days_since_last_dose=responder.durability_days - 1, series_doses=6
    )
    relapsed = responder.expected_phq9(
        doses_before=6,
        days_since_last_dose=responder.durability_days + syn.RELAPSE_RISE_DAYS,
        series_doses=6,
    )
    assert well == responder.phq9_end_of_series
    assert relapsed > responder.phq9_baseline * 0.5
    assert doses  # a maintenance dose restarts the clock:
    assert (
        responder.expected_phq9(doses_before=7, days_since_last_dose=1, series_doses=6)
        == responder.phq9_end_of_series
    )


# --- (b) vital signs ---------------------------------------------------------------------------


def _baseline(session: syn.SimulatedSession) -> syn.VitalDraw:
    return session.baseline


def test_resting_vitals_match_the_derived_curve(iv_sessions: list[syn.SimulatedSession]) -> None:
    """§7.2: baseline SBP ~125 ± 15, DBP ~78 ± 10, HR ~75 ± 12."""
    systolic = [_baseline(s).systolic_mmhg or 0 for s in iv_sessions]
    diastolic = [_baseline(s).diastolic_mmhg or 0 for s in iv_sessions]
    heart = [_baseline(s).heart_rate_bpm or 0 for s in iv_sessions]
    assert 122 <= statistics.mean(systolic) <= 128
    assert 11 <= statistics.pstdev(systolic) <= 17
    assert 75 <= statistics.mean(diastolic) <= 81
    assert 72 <= statistics.mean(heart) <= 78


def test_the_pressor_rise_peaks_at_30_to_40_minutes_within_the_published_band(
    iv_sessions: list[syn.SimulatedSession],
) -> None:
    """§7.2: ΔSBP +12 to +16 (SD ~11), ΔDBP +8 to +11, ΔHR +4, peak at 30–40 min."""
    assert 12 <= statistics.mean(s.systolic_rise_mmhg for s in iv_sessions) <= 16
    assert 9 <= statistics.pstdev(s.systolic_rise_mmhg for s in iv_sessions) <= 14
    assert 8 <= statistics.mean(s.diastolic_rise_mmhg for s in iv_sessions) <= 11
    assert 2.5 <= statistics.mean(s.heart_rate_rise_bpm for s in iv_sessions) <= 5.5
    # as charted: the largest rise over the pre-dose reading (Yale 2024: +16.0 at 40 min)
    measured = [s.measured_rise()[0] for s in iv_sessions]
    assert 12 <= statistics.mean(measured) <= 18
    # the mean rise by check: highest at +30/+40, nearly gone by discharge (+100)
    by_check: dict[str, list[int]] = {}
    for s in iv_sessions:
        base = _baseline(s).systolic_mmhg or 0
        for v in s.vitals:
            if v.check_id.startswith("vitals@+") and v.systolic_mmhg is not None:
                by_check.setdefault(v.check_id, []).append(v.systolic_mmhg - base)
    means = {check: statistics.mean(rises) for check, rises in by_check.items()}
    assert max(means, key=lambda c: means[c]) in ("vitals@+30", "vitals@+40")
    assert means["vitals@+100"] < 4


def test_larger_rises_with_age_and_hypertension() -> None:
    rng = random.Random(31)
    young = [_session(rng, Route.IV_RACEMIC, age=25).systolic_rise_mmhg for _ in range(600)]
    old = [_session(rng, Route.IV_RACEMIC, age=70).systolic_rise_mmhg for _ in range(600)]
    assert statistics.mean(old) > statistics.mean(young) + 4
    plain = syn.draw_physiology(rng, age_years=50, hypertension=False)
    treated = syn.draw_physiology(rng, age_years=50, hypertension=True)
    assert syn.excursion_rate(treated, 0) == 2 * syn.excursion_rate(plain, 0)


def test_hypertensive_excursions_in_about_one_percent_of_sessions_mostly_early() -> None:
    """Yale 2024: ≥180/110 in 0.98 % of sessions, 43.4 % of them in the first 3 infusions
    (~17 infusions per patient)."""
    rng = random.Random(32)
    expected, early = 0.0, 0.0
    for _ in range(N):
        physiology = syn.draw_physiology(rng, age_years=rng.randint(19, 74))
        rates = [syn.excursion_rate(physiology, i) for i in range(17)]
        expected += sum(rates)
        early += sum(rates[:3])
    assert 0.008 <= expected / (N * 17) <= 0.012
    assert 0.35 <= early / expected <= 0.52


def test_an_excursion_is_charted_exactly_when_one_is_drawn() -> None:
    rng = random.Random(33)
    sessions = [_session(rng, Route.IV_RACEMIC, index=0, age=72) for _ in range(1500)]
    for s in sessions:
        charted = any(
            (v.systolic_mmhg or 0) >= 180 or (v.diastolic_mmhg or 0) >= 110 for v in s.vitals
        )
        assert charted == s.excursion
    assert 0.01 <= sum(s.excursion for s in sessions) / len(sessions) <= 0.08
    surge = next(s for s in sessions if s.excursion)
    assert any(a.alert.code in ("BP_SYSTOLIC_HIGH", "BP_DIASTOLIC_HIGH") for a in surge.alerts)
    assert any(e.event_type == "hypertension" for e in surge.adverse_events)
    assert surge.discharge.ready


def test_spo2_is_essentially_unchanged_with_rare_dips(
    iv_sessions: list[syn.SimulatedSession], esketamine_sessions: list[syn.SimulatedSession]
) -> None:
    both = iv_sessions + esketamine_sessions
    dips = [s for s in both if any((v.spo2_percent or 100) < 92 for v in s.vitals)]
    assert len(dips) / len(both) < 0.01
    after = [v.spo2_percent for s in both for v in s.vitals if v.spo2_percent]
    assert statistics.mean(after) >= 96


def test_every_reading_is_plausible_and_alerts_are_the_rules_own(
    iv_sessions: list[syn.SimulatedSession], esketamine_sessions: list[syn.SimulatedSession]
) -> None:
    for s in iv_sessions[:500] + esketamine_sessions[:500]:
        base = s.baseline.signs()
        stored: dict[int, set[str]] = {}
        for a in s.alerts:
            if a.vital_index is not None:
                stored.setdefault(a.vital_index, set()).add(a.alert.code)
            assert a.acknowledged_at > a.alert.measured_at
        for index, v in enumerate(s.vitals):
            signs = v.signs()  # raises on an implausible reading
            assert isinstance(signs, VitalSigns)
            if v.measured_at > s.dose_started_at:
                codes = {a.code for a in evaluate_vitals(signs, base)}
                assert codes == stored.get(index, set())
        assert s.vitals[0].check_id == "vitals@-10"
        assert s.baseline.measured_at < s.dose_started_at
        assert [v.measured_at for v in s.vitals] == sorted(v.measured_at for v in s.vitals)


def test_sessions_end_ready_for_discharge_after_the_minimum_observation(
    iv_sessions: list[syn.SimulatedSession], esketamine_sessions: list[syn.SimulatedSession]
) -> None:
    for s, plan in [(s, PLANS[Route.IV_RACEMIC]) for s in iv_sessions] + [
        (s, PLANS[Route.ESKETAMINE_NASAL]) for s in esketamine_sessions
    ]:
        assert s.discharge.ready
        end = plan.observation_ends_at(s.dose_started_at, s.dose_ended_at)
        assert end is not None
        assert s.discharge_at >= end
        assert s.discharge_at - s.dose_started_at < dt.timedelta(minutes=200)
    esketamine = esketamine_sessions[0]
    assert len(esketamine.device_times) == 2
    gaps = [b - a for a, b in itertools.pairwise(esketamine.device_times)]
    assert all(g >= dt.timedelta(minutes=5) for g in gaps)


# --- (c) dissociation and sedation -------------------------------------------------------------


def test_dissociation_peaks_near_the_end_of_the_infusion_and_resolves_by_discharge(
    iv_sessions: list[syn.SimulatedSession],
) -> None:
    end, discharge = [], []
    for s in iv_sessions:
        cadss = {c.check_id: c for c in s.scales if c.instrument_id == "cadss6"}
        end.append(cadss["cadss6@+40"].total)
        discharge.append(cadss["cadss6@+100"].total)
        for c in cadss.values():
            assert all(0 <= a <= 4 for a in c.answers)
            assert sum(c.answers) == c.total
    assert statistics.mean(end) >= 3
    assert sum(t >= 1 for t in end) / len(end) >= 0.75  # near-universal on the CADSS (§7.1)
    assert max(discharge) <= 2
    assert statistics.mean(discharge) < 0.5


def test_moaas_is_5_except_for_rare_transient_dips(
    iv_sessions: list[syn.SimulatedSession],
) -> None:
    dipped = 0
    for s in iv_sessions:
        scores = [c for c in s.scales if c.instrument_id == "moaas"]
        assert scores[-1].total == 5
        assert all(c.total in (3, 4, 5) for c in scores)
        dipped += any(c.total < 5 for c in scores)
    assert dipped / len(iv_sessions) < 0.12


# --- (d) adverse events ------------------------------------------------------------------------


@pytest.mark.parametrize("route", [Route.IV_RACEMIC, Route.ESKETAMINE_NASAL])
def test_adverse_events_occur_at_the_published_per_patient_rates(route: Route) -> None:
    """Per-patient incidence over an induction series: the esketamine label's Table 2 (§2.4),
    the assumed IV rates (§7.1); each reaction is charted in the session it first occurs."""
    rng = random.Random(41)
    seen: Counter[str] = Counter()
    for patient in range(N):
        profile = syn.draw_adverse_event_profile(rng, route, series_sessions=SERIES[route])
        seen.update(profile.first_session.keys())
        if patient % 10:
            continue
        physiology = syn.draw_physiology(rng, age_years=45)
        for code, index in profile.first_session.items():
            assert 0 <= index < SERIES[route]
            session = syn.simulate_session(
                rng, route=route, plan=PLANS[route], physiology=physiology,
                dose_started_at=START, session_index=index, adverse_events=profile,
            )  # fmt: skip
            event = next(e for e in session.adverse_events if e.code == code)
            assert START <= event.onset_at <= session.discharge_at
            assert event.grade in (1, 2)
    for rate in syn.ADVERSE_EVENTS[route]:
        spread = 3.5 * (rate.per_patient * (1 - rate.per_patient) / N) ** 0.5 + 0.005
        assert abs(seen[rate.code] / N - rate.per_patient) < spread, rate.code


def test_every_rate_is_cited_with_a_confidence_label() -> None:
    for rates in syn.ADVERSE_EVENTS.values():
        for rate in rates:
            assert any(label in rate.source for label in ("[src]", "[mem]", "[?]", "[2nd]"))
            assert 0 < rate.per_patient < 1
