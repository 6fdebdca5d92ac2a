"""Pharmacokinetics of ketamine and esketamine: published models, exact solver, populations.

The application calls ``predict_session``; the CLI and the validation report use the rest.
Concentrations are informational and do not predict antidepressant response.
"""

from remission.clinical.pk.builders import Covariates, PkModel
from remission.clinical.pk.models import MODELS, get_model
from remission.clinical.pk.population import simulate_population
from remission.clinical.pk.predict import DISCLAIMER, Administration, Prediction, predict_session
from remission.clinical.pk.regimen import (
    Bolus,
    DoseBasis,
    Infusion,
    IntramuscularInjection,
    NasalDose,
    Regimen,
)
from remission.clinical.pk.simulate import Simulation, simulate
from remission.clinical.pk.summary import Summaries, summarise

__all__ = [
    "DISCLAIMER",
    "MODELS",
    "Administration",
    "Bolus",
    "Covariates",
    "DoseBasis",
    "Infusion",
    "IntramuscularInjection",
    "NasalDose",
    "PkModel",
    "Prediction",
    "Regimen",
    "Simulation",
    "Summaries",
    "get_model",
    "predict_session",
    "simulate",
    "simulate_population",
    "summarise",
]
