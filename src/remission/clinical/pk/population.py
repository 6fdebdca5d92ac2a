"""Virtual populations: published inter-individual variability, vectorised over patients.

Random effects are drawn once, up front, from ``numpy.random.default_rng(seed)`` in a fixed
order, so a seed reproduces every patient exactly whatever the chunking or the number of
worker threads. Patients are then solved in chunks (bounded memory) on a thread pool: numpy's
linear algebra and element-wise kernels release the GIL, so threads use every core without
copying data between processes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from remission.clinical.errors import ClinicalInputError
from remission.clinical.pk.builders import Covariates, PkModel
from remission.clinical.pk.regimen import Regimen
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.solve import FloatArray
from remission.clinical.pk.summary import Summaries, summarise

DEFAULT_PERCENTILES = (5.0, 25.0, 50.0, 75.0, 95.0)
# small chunks keep the per-patient work arrays in cache (measured fastest at 2–4 k)
DEFAULT_CHUNK = 4096
MAX_PATIENTS = 10_000_000


def covariance_matrix(model: PkModel) -> FloatArray:
    """Ω of the model's random effects, in ``model.random_effects`` order."""
    names = [r.parameter for r in model.random_effects]
    omega = np.diag([r.variance for r in model.random_effects])
    for (a, b), value in model.random_effect_covariances.items():
        i, j = names.index(a), names.index(b)
        omega[i, j] = omega[j, i] = value
    return omega


def sample_parameters(model: PkModel, n_patients: int, seed: int) -> dict[str, FloatArray]:
    """Individual parameters of ``n_patients`` virtual patients (typical values × e^η)."""
    if not model.has_variability:
        raise ClinicalInputError(
            f"{model.id} publishes no inter-individual variability, so it has no population; "
            "use fanta2015, otto2021, perezruixo2021, herd2007 or hijazi2003"
        )
    if not 1 <= n_patients <= MAX_PATIENTS:
        raise ClinicalInputError(f"number of patients must be 1–{MAX_PATIENTS}, got {n_patients}")
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(covariance_matrix(model))
    eta = rng.standard_normal((n_patients, chol.shape[0])) @ chol.T
    params = model.typical_parameters(n_patients)
    for column, effect in enumerate(model.random_effects):
        typical = model.parameters[effect.parameter].value
        if effect.scale == "log":
            params[effect.parameter] = typical * np.exp(eta[:, column])
        else:
            logit = np.log(typical / (1.0 - typical)) + eta[:, column]
            params[effect.parameter] = 1.0 / (1.0 + np.exp(-logit))
    return params


@dataclass(frozen=True)
class PopulationResult:
    model_id: str
    n_patients: int
    seed: int
    times_min: FloatArray | None
    percentiles: tuple[float, ...]
    # analyte -> (len(percentiles), T) concentration bands in ng/mL
    bands: dict[str, FloatArray]
    # analyte -> typical-patient curve (T,)
    typical: dict[str, FloatArray]
    summaries: dict[str, Summaries]


def simulate_population(
    model: PkModel,
    regimen: Regimen,
    *,
    weight_kg: float | None,
    n_patients: int,
    seed: int,
    end_min: float,
    covariates: Covariates | None = None,
    times_min: FloatArray | None = None,
    threshold_ng_per_ml: float | None = None,
    percentiles: Sequence[float] = DEFAULT_PERCENTILES,
    chunk_size: int = DEFAULT_CHUNK,
    workers: int | None = None,
    with_summaries: bool = True,
) -> PopulationResult:
    """Summaries for every virtual patient, and percentile bands over ``times_min``."""
    params = sample_parameters(model, n_patients, seed)
    analytes = (model.analyte, *model.metabolites)
    starts = list(range(0, n_patients, chunk_size))

    def run(start: int) -> tuple[dict[str, Summaries], dict[str, FloatArray]]:
        chunk = {k: v[start : start + chunk_size] for k, v in params.items()}
        sim = simulate(model, regimen, weight_kg=weight_kg, covariates=covariates, parameters=chunk)
        summaries = (
            {}
            if not with_summaries
            else {
                a: summarise(
                    sim.solution,
                    a,
                    end_min=end_min,
                    threshold_ng_per_ml=threshold_ng_per_ml if a == model.analyte else None,
                )
                for a in analytes
            }
        )
        curves: dict[str, FloatArray] = {}
        if times_min is not None:
            # float32 halves the memory of the bands; they are shown to 0.01 ng/mL
            curves = {
                a: c.astype(np.float32)
                for a, c in sim.solution.concentrations(times_min, analytes).items()
            }
        return summaries, curves

    n_workers = workers or min(os.cpu_count() or 1, len(starts))
    if n_workers > 1:
        with ThreadPoolExecutor(max_workers=n_workers) as pool:
            parts = list(pool.map(run, starts))
    else:
        parts = [run(s) for s in starts]

    summaries = {}
    if with_summaries:
        summaries = {a: _concat_summaries([p[0][a] for p in parts]) for a in analytes}
    bands: dict[str, FloatArray] = {}
    typical: dict[str, FloatArray] = {}
    if times_min is not None:
        typical_sim = simulate(model, regimen, weight_kg=weight_kg, covariates=covariates)
        typical_curves = typical_sim.solution.concentrations(times_min, analytes)
        for a in analytes:
            curves = np.concatenate([p[1][a] for p in parts], axis=0)
            bands[a] = np.percentile(curves, list(percentiles), axis=0).astype(np.float64)
            typical[a] = typical_curves[a][0]
    return PopulationResult(
        model_id=model.id,
        n_patients=n_patients,
        seed=seed,
        times_min=times_min,
        percentiles=tuple(percentiles),
        bands=bands,
        typical=typical,
        summaries=summaries,
    )


def _concat_summaries(parts: list[Summaries]) -> Summaries:
    first = parts[0]
    above = None
    if first.minutes_above is not None:
        above = np.concatenate([p.minutes_above for p in parts if p.minutes_above is not None])
    return Summaries(
        cmax_ng_per_ml=np.concatenate([p.cmax_ng_per_ml for p in parts]),
        tmax_min=np.concatenate([p.tmax_min for p in parts]),
        auc_ng_min_per_ml=np.concatenate([p.auc_ng_min_per_ml for p in parts]),
        minutes_above=above,
        threshold_ng_per_ml=first.threshold_ng_per_ml,
        end_min=first.end_min,
    )


def distribution(values: FloatArray, percentiles: Sequence[float]) -> dict[str, float]:
    """Percentiles and mean of a per-patient summary."""
    out = {
        f"p{p:g}": float(v)
        for p, v in zip(percentiles, np.percentile(values, percentiles), strict=True)
    }
    out["mean"] = float(np.mean(values))
    return out
