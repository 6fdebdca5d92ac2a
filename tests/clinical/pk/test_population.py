"""Virtual populations: reproducible, centred on the typical patient, exact per patient."""

from __future__ import annotations

import numpy as np
import pytest

from remission.clinical.errors import ClinicalInputError
from remission.clinical.pk.models import MODELS
from remission.clinical.pk.population import (
    covariance_matrix,
    sample_parameters,
    simulate_population,
)
from remission.clinical.pk.regimen import Infusion, NasalDose, Regimen
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.summary import reference_summary, summarise

REGIMEN = Regimen.of([Infusion(0, 40, 35)])


def _population(**kw):  # type: ignore[no-untyped-def]
    args = {
        "weight_kg": 70.0,
        "n_patients": 3000,
        "seed": 11,
        "end_min": 1440.0,
        "threshold_ng_per_ml": 150.0,
        "times_min": np.arange(0, 241.0, 10.0),
    }
    args.update(kw)
    return simulate_population(MODELS["fanta2015"], REGIMEN, **args)


def test_a_fixed_seed_reproduces_every_patient_exactly_whatever_the_chunking() -> None:
    a = _population(chunk_size=512, workers=2)
    b = _population(chunk_size=4096, workers=1)
    s_a, s_b = a.summaries["esketamine"], b.summaries["esketamine"]
    assert np.array_equal(s_a.cmax_ng_per_ml, s_b.cmax_ng_per_ml)
    assert np.array_equal(s_a.auc_ng_min_per_ml, s_b.auc_ng_min_per_ml)
    assert s_a.minutes_above is not None and s_b.minutes_above is not None
    assert np.array_equal(s_a.minutes_above, s_b.minutes_above)
    assert np.array_equal(a.bands["esketamine"], b.bands["esketamine"])


def test_a_different_seed_gives_different_patients() -> None:
    a = _population(seed=1).summaries["esketamine"].cmax_ng_per_ml
    b = _population(seed=2).summaries["esketamine"].cmax_ng_per_ml
    assert not np.array_equal(a, b)


def test_sampled_random_effects_have_the_published_covariance() -> None:
    model = MODELS["otto2021"]
    params = sample_parameters(model, 200_000, seed=3)
    eta = np.column_stack(
        [
            np.log(params[r.parameter] / model.parameters[r.parameter].value)
            for r in model.random_effects
        ]
    )
    np.testing.assert_allclose(np.cov(eta.T), covariance_matrix(model), atol=0.004)


def test_population_median_is_close_to_the_typical_patient() -> None:
    pop = _population()
    median = pop.bands["esketamine"][2]  # p50
    typical = pop.typical["esketamine"]
    later = slice(1, None)
    np.testing.assert_allclose(median[later], typical[later], rtol=0.05)
    cmax_median = np.median(pop.summaries["esketamine"].cmax_ng_per_ml)
    assert cmax_median == pytest.approx(158.04, rel=0.03)


def test_bands_are_ordered_by_percentile() -> None:
    bands = _population().bands["esketamine"]
    assert np.all(np.diff(bands, axis=0) >= 0)


def test_fanta_band_at_end_of_infusion_matches_the_reference_notes() -> None:
    # pk.md §3: 17.5 mg S over 40 min → median Cmax 79 ng/mL (5th–95th 59–100)
    pop = simulate_population(
        MODELS["fanta2015"],
        Regimen.of([Infusion(0, 40, 17.5)]),
        weight_kg=70.0,
        n_patients=5000,
        seed=5,
        end_min=240.0,
    )
    cmax = pop.summaries["esketamine"].cmax_ng_per_ml
    p5, p50, p95 = np.percentile(cmax, [5, 50, 95])
    assert p50 == pytest.approx(79, abs=2)
    assert p5 == pytest.approx(59, abs=3)
    assert p95 == pytest.approx(100, abs=4)


def test_population_summaries_equal_the_closed_form_reference_per_patient() -> None:
    model = MODELS["fanta2015"]
    params = sample_parameters(model, 40, seed=9)
    sim = simulate(model, REGIMEN, weight_kg=70.0, parameters=params)
    fast = summarise(sim.solution, "esketamine", end_min=1440.0, threshold_ng_per_ml=150.0)
    assert fast.minutes_above is not None
    for patient in range(40):
        ref = reference_summary(
            sim.solution, "esketamine", patient, end_min=1440.0, threshold=150.0
        )
        assert ref.minutes_above is not None
        assert fast.cmax_ng_per_ml[patient] == pytest.approx(ref.cmax_ng_per_ml[0], rel=1e-9)
        assert fast.auc_ng_min_per_ml[patient] == pytest.approx(ref.auc_ng_min_per_ml[0], rel=1e-9)
        assert fast.minutes_above[patient] == pytest.approx(ref.minutes_above[0], abs=1e-9)


def test_nasal_population_with_metabolite_runs_and_is_plausible() -> None:
    pop = simulate_population(
        MODELS["perezruixo2021"],
        Regimen.of([NasalDose(0, 2)]),
        weight_kg=None,
        n_patients=300,
        seed=4,
        end_min=1440.0,
    )
    cmax = pop.summaries["esketamine"].cmax_ng_per_ml
    assert 50 < np.median(cmax) < 100
    assert np.all(pop.summaries["noresketamine"].cmax_ng_per_ml > 0)


def test_models_without_published_variability_have_no_population() -> None:
    with pytest.raises(ClinicalInputError, match="no inter-individual variability"):
        sample_parameters(MODELS["clements1981"], 10, seed=1)


def test_nasal_population_summaries_equal_the_reference_for_parent_and_metabolite() -> None:
    # the metabolite rises like τ³ after each device: the hardest case for the cell bounds
    model = MODELS["perezruixo2021"]
    params = sample_parameters(model, 6, seed=21)
    sim = simulate(model, Regimen.of([NasalDose(0, 3)]), weight_kg=None, parameters=params)
    for analyte, level in (("esketamine", 40.0), ("noresketamine", 60.0)):
        fast = summarise(sim.solution, analyte, end_min=1440.0, threshold_ng_per_ml=level)
        assert fast.minutes_above is not None
        for patient in range(6):
            ref = reference_summary(sim.solution, analyte, patient, end_min=1440.0, threshold=level)
            assert ref.minutes_above is not None
            assert fast.cmax_ng_per_ml[patient] == pytest.approx(ref.cmax_ng_per_ml[0], rel=1e-9)
            assert fast.minutes_above[patient] == pytest.approx(ref.minutes_above[0], abs=1e-9)


def test_shared_evaluation_of_several_analytes_equals_one_at_a_time() -> None:
    model = MODELS["otto2021"]
    params = sample_parameters(model, 5, seed=2)
    sim = simulate(model, REGIMEN, weight_kg=70.0, parameters=params)
    t = np.linspace(0, 600, 601)
    both = sim.solution.concentrations(t, ("esketamine", "noresketamine"))
    for analyte, curve in both.items():
        np.testing.assert_array_equal(curve, sim.solution.concentration(t, analyte))
