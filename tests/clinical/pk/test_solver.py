"""The exact solver against independent references, mass balance and degenerate spectra."""

from __future__ import annotations

import numpy as np
import pytest

from remission.clinical.pk.builders import Covariates
from remission.clinical.pk.models import MODELS
from remission.clinical.pk.population import sample_parameters
from remission.clinical.pk.regimen import (
    Bolus,
    DoseEvent,
    Infusion,
    IntramuscularInjection,
    NasalDose,
    Regimen,
    charted_infusion,
)
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.solve import (
    InputPulse,
    LinearSystem,
    piecewise_input,
    solve,
)
from remission.clinical.pk.summary import reference_summary, summarise

WEIGHT_KG = {"herd2007": 32.5, "perezruixo2021": None}

# every model × every route it models
CASES: list[tuple[str, list[DoseEvent]]] = [
    ("clements1981", [Infusion(0, 40, 35)]),
    ("clements1981", [Bolus(0, 10), IntramuscularInjection(60, 35)]),
    ("domino1984", [Infusion(0, 40, 35), Bolus(90, 5)]),
    ("domino1984", [IntramuscularInjection(0, 35)]),
    ("hijazi2003", [Infusion(0, 40, 35), Bolus(50, 5)]),
    ("herd2007", [Bolus(0, 32.5), Infusion(30, 30, 10)]),
    ("fanta2015", [Infusion(0, 40, 17.5), Bolus(45, 2)]),
    ("otto2021", [Infusion(0, 40, 17.5), Bolus(45, 2)]),
    ("perezruixo2021", [NasalDose(0, 3)]),
    ("perezruixo2021", [Infusion(0, 40, 28), Bolus(60, 5)]),
]
TIMES = np.array([0.0, 0.5, 1.0, 5.0, 20.0, 39.0, 40.0, 41.0, 47.5, 60.0, 95.0, 240.0, 720.0])


def _run(model_id: str, events: list[DoseEvent]):  # type: ignore[no-untyped-def]
    return simulate(MODELS[model_id], Regimen.of(events), weight_kg=WEIGHT_KG.get(model_id, 70.0))


@pytest.mark.parametrize(("model_id", "events"), CASES)
def test_closed_form_matches_expm_of_the_augmented_system(model_id, events, expm_reference):  # type: ignore[no-untyped-def]
    sim = _run(model_id, events)
    for analyte in sim.analytes:
        exact = sim.solution.concentration(TIMES, analyte)[0]
        ref = expm_reference(sim.solution.system, sim.solution.inputs, TIMES, analyte)
        np.testing.assert_allclose(exact, ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(("model_id", "events"), CASES)
def test_closed_form_matches_lsoda_at_rtol_1e_10(model_id, events, lsoda_reference):  # type: ignore[no-untyped-def]
    sim = _run(model_id, events)
    for analyte in sim.analytes:
        exact = sim.solution.concentration(TIMES, analyte)[0]
        ref = lsoda_reference(sim.solution.system, sim.solution.inputs, TIMES, analyte)
        np.testing.assert_allclose(exact, ref, rtol=1e-7, atol=1e-8)


def _clearance_l_per_min(sim) -> float:  # type: ignore[no-untyped-def]
    """Elimination out of the sampled compartment: k_out × V (mammillary models)."""
    system = sim.solution.system
    k = system.rate_matrix_per_min[0]
    central = system.state_index("central")
    k_out = -k[:, central].sum()  # what leaves the system from central
    volume_l = 1000.0 / system.observations[sim.model.analyte][0, central]
    return float(k_out * volume_l)


@pytest.mark.parametrize(
    "model_id", ["clements1981", "domino1984", "hijazi2003", "herd2007", "fanta2015"]
)
def test_mass_balance_auc_times_clearance_equals_the_dose(model_id: str) -> None:
    sim = _run(model_id, [Infusion(0, 40, 35), Bolus(100, 7)])
    auc_mg_min_per_l = sim.solution.auc(sim.model.analyte)[0] / 1000.0
    assert auc_mg_min_per_l * _clearance_l_per_min(sim) == pytest.approx(42.0, rel=1e-9)


def test_mass_balance_after_im_injection_equals_bioavailable_dose() -> None:
    sim = _run("clements1981", [IntramuscularInjection(0, 35)])
    auc_mg_min_per_l = sim.solution.auc("ketamine")[0] / 1000.0
    assert auc_mg_min_per_l * _clearance_l_per_min(sim) == pytest.approx(0.93 * 35, rel=1e-9)


def test_mass_balance_of_the_metabolite_in_otto2021() -> None:
    # all S-ketamine clearance forms S-norketamine: AUC_NK × CL_NK = dose
    sim = _run("otto2021", [Infusion(0, 40, 17.5)])
    k = sim.solution.system.rate_matrix_per_min[0]
    nk = sim.solution.system.state_index("nk_central")
    v_nk = 1000.0 / sim.solution.system.observations["noresketamine"][0, nk]
    cl_nk = -k[:, nk].sum() * v_nk
    assert sim.solution.auc("noresketamine")[0] / 1000.0 * cl_nk == pytest.approx(17.5, rel=1e-9)


def test_mass_balance_of_nasal_esketamine_matches_the_first_pass_bioavailability() -> None:
    model = MODELS["perezruixo2021"]
    sim = simulate(model, Regimen.of([NasalDose(0, 1)]), weight_kg=None)
    p = model.parameters
    intrinsic = p["vh_l"].value * (p["kel_per_h"].value + p["kmet_per_h"].value)
    extraction = intrinsic / (p["qh_l_per_h"].value + intrinsic)
    clearance_l_per_min = p["qh_l_per_h"].value * extraction / 60.0
    frn, fgut = p["frn"].value, p["fgut"].value
    bioavailable = 28.0 * (frn + (1 - frn) * fgut * (1 - extraction))
    auc = sim.solution.auc("esketamine")[0] / 1000.0
    assert auc * clearance_l_per_min == pytest.approx(bioavailable, rel=1e-9)


def _one_compartment(k_el: float, ka: float) -> LinearSystem:
    k = np.array([[[-ka, 0.0], [ka, -k_el]]])
    obs = np.array([[0.0, 1000.0 / 50.0]])
    return LinearSystem(("depot", "central"), k, {"drug": obs})


def test_absorption_rate_equal_to_elimination_rate_takes_the_safe_path_and_is_exact() -> None:
    k_el = 0.05
    system = _one_compartment(k_el, ka=k_el)
    inputs = piecewise_input([InputPulse(0, 0.0, 0.0, np.array([10.0]))], n_patients=1, n_states=2)
    sol = solve(system, inputs)
    assert not sol.eigen.well_conditioned[0]
    t = np.array([0.0, 1.0, 20.0, 60.0, 300.0])
    expected = 10.0 * k_el * t * np.exp(-k_el * t) * 1000.0 / 50.0  # the limit form t·e^{-kt}
    np.testing.assert_allclose(sol.concentration(t, "drug")[0], expected, rtol=1e-12, atol=1e-12)
    auc = sol.auc("drug")[0]
    assert auc == pytest.approx(10.0 / 50.0 * 1000.0 / k_el, rel=1e-12)


@pytest.mark.parametrize("gap", [1e-3, 1e-7, 1e-9])
def test_nearly_equal_rates_agree_with_the_limit_form_to_1e_9(gap: float) -> None:
    k_el = 0.05
    system = _one_compartment(k_el, ka=k_el * (1 + gap))
    inputs = piecewise_input([InputPulse(0, 0.0, 0.0, np.array([10.0]))], n_patients=1, n_states=2)
    sol = solve(system, inputs)
    t = np.array([1.0, 20.0, 60.0, 300.0])
    ka = k_el * (1 + gap)
    # Bateman written without cancellation: ka e^{-kt} (1 − e^{−(ka−k)t}) / (ka − k)
    delta = ka - k_el
    expected = 10.0 * ka * np.exp(-k_el * t) * -np.expm1(-delta * t) / delta * 20.0
    # expm is accurate normwise: tiny late values carry an absolute error ~1e-13 × peak
    np.testing.assert_allclose(sol.concentration(t, "drug")[0], expected, rtol=1e-9, atol=1e-10)


def test_ka_equal_to_a_disposition_eigenvalue_of_clements_is_handled(expm_reference) -> None:  # type: ignore[no-untyped-def]
    model = MODELS["clements1981"]
    base = simulate(model, Regimen.of([Bolus(0, 1)]), weight_kg=70)
    params = model.typical_parameters()
    params["ka_im_per_min"] = np.array([-float(base.solution.eigen.eigenvalues_per_min[0].max())])
    sim = simulate(
        model, Regimen.of([IntramuscularInjection(0, 35)]), weight_kg=70, parameters=params
    )
    assert not sim.solution.eigen.well_conditioned[0]
    ref = expm_reference(sim.solution.system, sim.solution.inputs, TIMES, "ketamine")
    np.testing.assert_allclose(sim.solution.concentration(TIMES, "ketamine")[0], ref, rtol=1e-10)
    summary = summarise(sim.solution, "ketamine", end_min=240.0, threshold_ng_per_ml=50.0)
    assert summary.cmax_ng_per_ml[0] == pytest.approx(ref.max(), rel=0.05)


def test_charted_infusion_with_a_pause_and_a_rate_change(expm_reference) -> None:  # type: ignore[no-untyped-def]
    segments = charted_infusion([(0.0, 1.0), (15.0, 0.0), (20.0, 0.5), (30.0, 0.8)], stop_min=45.0)
    assert [s.dose_mg for s in segments] == pytest.approx([15.0, 5.0, 12.0])
    sim = simulate(MODELS["clements1981"], Regimen.of(segments), weight_kg=70)
    t = np.linspace(0, 120, 241)
    ref = expm_reference(sim.solution.system, sim.solution.inputs, t, "ketamine")
    conc = sim.solution.concentration(t, "ketamine")[0]
    np.testing.assert_allclose(conc, ref, rtol=1e-10, atol=1e-10)
    # during the pause the concentration falls; after restarting it rises again
    assert conc[32] < conc[30] and conc[50] > conc[40]


def test_an_induction_series_over_days_superposes_exactly() -> None:
    model = MODELS["clements1981"]
    one = Regimen.of([Infusion(0, 40, 35)])
    series = one.repeated(6, 3.5 * 1440)
    assert len(series.events) == 6
    sim_series = simulate(model, series, weight_kg=70)
    sim_one = simulate(model, one, weight_kg=70)
    t = np.array([3.5 * 1440 + 40.0])
    # dose 2 at 3.5 d = dose 2 alone + what is left of dose 1 (linearity)
    expected = (
        sim_one.solution.concentration(np.array([40.0]), "ketamine")[0, 0]
        + sim_one.solution.concentration(t, "ketamine")[0, 0]
    )
    assert sim_series.solution.concentration(t, "ketamine")[0, 0] == pytest.approx(
        expected, rel=1e-12
    )


def test_output_step_does_not_change_values_at_shared_times() -> None:
    sim = _run("domino1984", [Infusion(0, 40, 35)])
    fine = sim.solution.concentration(np.arange(0, 1440.0 + 1 / 120, 1 / 60), "ketamine")[0]
    coarse = sim.solution.concentration(np.arange(0, 1441.0, 60.0), "ketamine")[0]
    np.testing.assert_allclose(fine[::3600], coarse, rtol=1e-12, atol=1e-13)


def _point_by_point(solution, times, analyte, patients=None):  # type: ignore[no-untyped-def]
    """The direct path: calls of fewer than 64 times never take the even-grid ladder."""
    parts = [
        solution.concentration(times[i : i + 50], analyte, patients)
        for i in range(0, times.size, 50)
    ]
    return np.concatenate(parts, axis=1)


@pytest.mark.parametrize(("model_id", "events"), CASES)
def test_an_even_grid_by_the_ladder_equals_each_time_evaluated_directly(model_id, events) -> None:  # type: ignore[no-untyped-def]
    sim = _run(model_id, events)
    times = np.arange(0, 1440.0 + 1 / 12, 1 / 6)  # every 10 s for a day: ladder blocks
    for analyte in sim.analytes:
        ladder = sim.solution.concentration(times, analyte)
        direct = _point_by_point(sim.solution, times, analyte)
        peak = float(direct.max())
        np.testing.assert_allclose(ladder, direct, rtol=1e-11, atol=1e-13 * peak)


def test_an_uneven_grid_is_evaluated_directly_and_exactly(expm_reference) -> None:  # type: ignore[no-untyped-def]
    sim = _run("domino1984", [Infusion(0, 40, 35), Bolus(90, 5)])
    times = np.concatenate([[0.0], np.geomspace(0.01, 1440.0, 127)])  # 128 uneven times
    exact = sim.solution.concentration(times, "ketamine")[0]
    ref = expm_reference(sim.solution.system, sim.solution.inputs, times, "ketamine")
    np.testing.assert_allclose(exact, ref, rtol=1e-9, atol=1e-9)


def test_a_grid_evenly_spaced_but_for_one_time_is_still_exact() -> None:
    sim = _run("clements1981", [Infusion(0, 40, 35)])
    times = np.arange(0, 240.0 + 1 / 120, 1 / 60)
    times[5000] += 1e-7  # one charted time off the grid: its block must take the direct path
    ladder = sim.solution.concentration(times, "ketamine")
    np.testing.assert_allclose(
        ladder, _point_by_point(sim.solution, times, "ketamine"), rtol=1e-11, atol=1e-13
    )


def test_the_ladder_serves_many_patients_at_once() -> None:
    model = MODELS["fanta2015"]
    regimen = Regimen.of([Infusion(0, 40, 17.5)])
    params = sample_parameters(model, n_patients=300, seed=3)
    sim = simulate(model, regimen, weight_kg=70.0, parameters=params)
    times = np.arange(0, 720.0 + 1 / 2, 1.0)  # per minute for 12 h
    together = sim.solution.concentration(times, model.analyte)
    for patient in (0, 151, 299):
        alone = _point_by_point(sim.solution, times, model.analyte, np.array([patient]))
        np.testing.assert_allclose(together[patient], alone[0], rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize(("model_id", "events"), CASES)
def test_fast_summaries_match_the_one_second_reference_summary(model_id, events) -> None:  # type: ignore[no-untyped-def]
    sim = _run(model_id, events)
    for analyte in sim.analytes:
        fast = summarise(sim.solution, analyte, end_min=720.0, threshold_ng_per_ml=20.0)
        ref = reference_summary(sim.solution, analyte, 0, end_min=720.0, threshold=20.0)
        assert fast.cmax_ng_per_ml[0] == pytest.approx(ref.cmax_ng_per_ml[0], rel=1e-9)
        assert fast.tmax_min[0] == pytest.approx(ref.tmax_min[0], abs=1e-4)
        assert fast.auc_ng_min_per_ml[0] == pytest.approx(ref.auc_ng_min_per_ml[0], rel=1e-12)
        assert fast.minutes_above is not None and ref.minutes_above is not None
        assert fast.minutes_above[0] == pytest.approx(ref.minutes_above[0], rel=1e-9, abs=1e-9)


def test_perezruixo_covariates_change_what_the_paper_says_they_change() -> None:
    model = MODELS["perezruixo2021"]
    regimen = Regimen.of([NasalDose(0, 2)])
    base = simulate(model, regimen, weight_kg=None)
    japanese = simulate(model, regimen, weight_kg=None, covariates=Covariates(japanese=True))
    older = simulate(model, regimen, weight_kg=None, covariates=Covariates(age_years=75))
    auc = {
        n: s.solution.auc("esketamine")[0] for n, s in (("b", base), ("j", japanese), ("o", older))
    }
    assert auc["j"] > auc["b"]  # more absorbed through the nasal mucosa
    assert auc["o"] > auc["b"]  # lower hepatic blood flow, lower clearance
