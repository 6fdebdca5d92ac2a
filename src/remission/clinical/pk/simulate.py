"""One call from (model, regimen, patient) to an exact solution."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from remission.clinical.pk.builders import Covariates, ModelInstance, PkModel
from remission.clinical.pk.regimen import Regimen
from remission.clinical.pk.solve import FloatArray, Solution, piecewise_input, solve


@dataclass(frozen=True)
class Simulation:
    model: PkModel
    regimen: Regimen
    instance: ModelInstance
    solution: Solution

    @property
    def analytes(self) -> tuple[str, ...]:
        return (self.model.analyte, *self.model.metabolites)


def simulate(
    model: PkModel,
    regimen: Regimen,
    *,
    weight_kg: float | None,
    covariates: Covariates | None = None,
    parameters: Mapping[str, FloatArray] | None = None,
) -> Simulation:
    """Solve ``regimen`` for the typical patient, or for the given per-patient parameters."""
    params = parameters if parameters is not None else model.typical_parameters()
    instance = model.instance(
        params, weight_kg=weight_kg, covariates=covariates, routes=regimen.routes
    )
    system = instance.system
    pulses = instance.pulses(regimen, model.id)
    inputs = piecewise_input(pulses, n_patients=system.n_patients, n_states=system.n_states)
    return Simulation(model, regimen, instance, solve(system, inputs))
