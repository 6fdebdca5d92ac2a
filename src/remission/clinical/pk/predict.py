"""The predicted concentration curve for a planned or charted ketamine session.

This is the one function the application calls (``predict_session``): it takes the patient's
weight and the administrations as planned or as charted (aware datetimes, mg, route; an IV
infusion with pauses or rate changes is one record per constant-rate segment) and returns the
typical-patient curve, the population band where the model publishes variability, the
exposure summaries, and the disclaimer that must be shown with them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from remission.clinical.errors import ClinicalInputError
from remission.clinical.pk.builders import Covariates, PkModel
from remission.clinical.pk.models import DEFAULT_ADULT_IV_MODEL, get_model
from remission.clinical.pk.population import simulate_population
from remission.clinical.pk.regimen import (
    Bolus,
    DoseBasis,
    DoseEvent,
    Infusion,
    IntramuscularInjection,
    NasalDose,
    Regimen,
    to_base_mg,
)
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.solve import FloatArray
from remission.clinical.pk.summary import summarise
from remission.clinical.routes import PkRoute

DISCLAIMER = (
    "Predicted plasma concentrations are informational. They come from published population "
    "models with wide between-patient variability, are not measured values, and do not "
    "predict antidepressant response."
)
BAND_PERCENTILES = (5.0, 50.0, 95.0)
DEFAULT_BAND_PATIENTS = 1000
DEFAULT_BAND_SEED = 20240601


@dataclass(frozen=True, slots=True)
class Administration:
    """One administration as planned or charted.

    IV infusion: ``start``–``stop`` with either ``dose_mg`` (given over the segment) or
    ``rate_mg_per_h``. Bolus, IM and nasal: ``start`` and ``dose_mg`` (nasal: a multiple of
    28 mg, devices 5 min apart)."""

    route: PkRoute
    start: dt.datetime
    dose_mg: Decimal | float | None = None
    stop: dt.datetime | None = None
    rate_mg_per_h: Decimal | float | None = None
    dose_basis: DoseBasis = DoseBasis.BASE


@dataclass(frozen=True)
class Band:
    percentiles: tuple[float, ...]
    # (len(percentiles), T) in ng/mL
    values_ng_per_ml: FloatArray
    n_patients: int
    seed: int

    def at(self, percentile: float) -> FloatArray:
        row: FloatArray = self.values_ng_per_ml[self.percentiles.index(percentile)]
        return row


@dataclass(frozen=True)
class Prediction:
    model_id: str
    model_title: str
    analyte: str
    unit: str
    reference_time: dt.datetime
    times_min: FloatArray
    concentration_ng_per_ml: FloatArray
    band: Band | None
    band_note: str
    metabolites: dict[str, FloatArray]
    cmax_ng_per_ml: float
    tmax_min: float
    auc_ng_h_per_ml: float
    warnings: tuple[str, ...]
    citations: tuple[str, ...]
    disclaimer: str = DISCLAIMER

    def times(self) -> list[dt.datetime]:
        return [self.reference_time + dt.timedelta(minutes=float(t)) for t in self.times_min]


def _minutes(since: dt.datetime, moment: dt.datetime) -> float:
    if moment.tzinfo is None or since.tzinfo is None:
        raise ClinicalInputError("administration times must be timezone-aware")
    return (moment - since).total_seconds() / 60.0


def _number(value: Decimal | float | None, what: str) -> float:
    if value is None:
        raise ClinicalInputError(f"{what} is missing")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ClinicalInputError(f"{what} must be positive, got {value}")
    return number


def regimen_from_administrations(
    administrations: Sequence[Administration],
) -> tuple[Regimen, dt.datetime]:
    """Dose events in minutes from the first administration, doses as free base."""
    if not administrations:
        raise ClinicalInputError("no administrations to predict from")
    origin = min(a.start for a in administrations)
    events: list[DoseEvent] = []
    for record in administrations:
        start = _minutes(origin, record.start)
        if record.route is PkRoute.IV_INFUSION:
            if record.stop is None:
                raise ClinicalInputError("an IV infusion record needs a stop time")
            duration = _minutes(record.start, record.stop)
            if duration <= 0:
                raise ClinicalInputError("an IV infusion must stop after it starts")
            if (record.dose_mg is None) == (record.rate_mg_per_h is None):
                raise ClinicalInputError("give an IV infusion's dose or its rate, not both")
            if record.dose_mg is not None:
                dose = _number(record.dose_mg, "infusion dose")
            else:
                dose = _number(record.rate_mg_per_h, "infusion rate") * duration / 60.0
            events.append(Infusion(start, duration, to_base_mg(dose, record.dose_basis)))
            continue
        dose = to_base_mg(_number(record.dose_mg, f"{record.route.value} dose"), record.dose_basis)
        if record.route is PkRoute.IV_BOLUS:
            events.append(Bolus(start, dose))
        elif record.route is PkRoute.INTRAMUSCULAR:
            events.append(IntramuscularInjection(start, dose))
        else:
            if record.dose_basis is not DoseBasis.BASE:
                raise ClinicalInputError("nasal esketamine doses are written as base (28 mg)")
            events.append(NasalDose.of_mg(start, dose))
    return Regimen.of(events), origin


def predict_regimen(
    model: PkModel,
    regimen: Regimen,
    *,
    weight_kg: float | None,
    times_min: FloatArray,
    covariates: Covariates | None = None,
    band_patients: int = DEFAULT_BAND_PATIENTS,
    seed: int = DEFAULT_BAND_SEED,
) -> tuple[FloatArray, dict[str, FloatArray], Band | None, str, tuple[float, float, float]]:
    """Typical curve, metabolite curves, band and (Cmax, Tmax, AUC ng·h/mL) over the window."""
    sim = simulate(model, regimen, weight_kg=weight_kg, covariates=covariates)
    end_min = float(times_min[-1])
    curves = sim.solution.concentrations(times_min, sim.analytes)
    curve = curves[model.analyte][0]
    metabolites = {m: curves[m][0] for m in model.metabolites}
    summary = summarise(sim.solution, model.analyte, end_min=end_min)
    band = None
    if model.has_variability and band_patients > 0:
        pop = simulate_population(
            model,
            regimen,
            weight_kg=weight_kg,
            covariates=covariates,
            n_patients=band_patients,
            seed=seed,
            end_min=end_min,
            times_min=times_min,
            percentiles=BAND_PERCENTILES,
            with_summaries=False,
        )
        band = Band(BAND_PERCENTILES, pop.bands[model.analyte], band_patients, seed)
        note = (
            f"Band: {BAND_PERCENTILES[0]:g}th–{BAND_PERCENTILES[-1]:g}th percentile of "
            f"{band_patients} virtual patients with the published variability."
        )
    else:
        note = f"No band: {model.variability_note or 'no published variability.'}"
    stats = (
        float(summary.cmax_ng_per_ml[0]),
        float(summary.tmax_min[0]),
        float(summary.auc_ng_h_per_ml[0]),
    )
    return curve, metabolites, band, note, stats


def predict_session(
    *,
    weight_kg: float | None,
    administrations: Sequence[Administration],
    model_id: str = DEFAULT_ADULT_IV_MODEL,
    until: dt.datetime | None = None,
    step_min: float = 1.0,
    covariates: Covariates | None = None,
    band_patients: int = DEFAULT_BAND_PATIENTS,
    seed: int = DEFAULT_BAND_SEED,
) -> Prediction:
    """Predicted curve and band for a planned or charted session (the app's entry point).

    ``until`` defaults to 4 h after the last administration ends."""
    model = get_model(model_id)
    regimen, origin = regimen_from_administrations(administrations)
    end_min = regimen.last_end_min + 240.0 if until is None else _minutes(origin, until)
    if end_min <= 0:
        raise ClinicalInputError("the prediction must end after the first administration")
    if not math.isfinite(step_min) or step_min <= 0:
        raise ClinicalInputError("the output step must be positive")
    times = np.arange(0.0, end_min + step_min * 1e-9, step_min)
    if times[-1] < end_min:
        times = np.append(times, end_min)
    curve, metabolites, band, note, (cmax, tmax, auc) = predict_regimen(
        model,
        regimen,
        weight_kg=weight_kg,
        times_min=times,
        covariates=covariates,
        band_patients=band_patients,
        seed=seed,
    )
    return Prediction(
        model_id=model.id,
        model_title=model.title,
        analyte=model.analyte,
        unit="ng/mL",
        reference_time=origin,
        times_min=times,
        concentration_ng_per_ml=curve,
        band=band,
        band_note=note,
        metabolites=metabolites,
        cmax_ng_per_ml=cmax,
        tmax_min=tmax,
        auc_ng_h_per_ml=auc,
        warnings=model.warnings,
        citations=tuple(e.label() for e in model.evidence),
    )
