"""How a published PK model is represented and turned into a linear system: parameters with
their sources and variability, covariates, and one builder per model structure.

``PkModel.instance`` turns the parameters of one or many patients into a ``LinearSystem`` plus
the way each route of administration enters it; the parameter sets themselves are data in
``remission.clinical.pk.models``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.pk.regimen import (
    Bolus,
    Infusion,
    IntramuscularInjection,
    NasalDose,
    Regimen,
)
from remission.clinical.pk.solve import FloatArray, InputPulse, LinearSystem
from remission.clinical.routes import PkRoute

# Any weight outside this range is a data-entry error, whatever the model.
WEIGHT_LIMITS_KG = (2.0, 350.0)
MG_PER_L_TO_NG_PER_ML = 1000.0


@dataclass(frozen=True, slots=True)
class Parameter:
    value: float
    unit: str
    meaning: str


@dataclass(frozen=True, slots=True)
class RandomEffect:
    """Between-patient variability of one parameter: ``η ~ N(0, variance)``.

    ``log``: value = typical × e^η; ``logit``: value = expit(logit(typical) + η)."""

    parameter: str
    variance: float
    scale: Literal["log", "logit"]
    as_published: str


@dataclass(frozen=True, slots=True)
class Covariates:
    """Covariates beyond weight; only models that found an effect use them."""

    age_years: float | None = None
    asian: bool = False
    japanese: bool = False


Params = Mapping[str, FloatArray]


@dataclass(frozen=True)
class NasalInput:
    """How one nasal device enters the Perez-Ruixo structure (per patient arrays)."""

    nasal_state: int
    gut_state: int
    fraction_nasal_first_device: FloatArray  # FRn of the first device of a dose
    later_device_factor: float  # FRn × this for the 2nd and later devices of a dose
    fraction_gut: FloatArray  # Fgut of the swallowed part
    swallow_duration_min: float


@dataclass(frozen=True)
class ModelInstance:
    """A model with individual parameters: its linear system and its entry points."""

    system: LinearSystem
    iv_state: int | None = None
    im_state: int | None = None
    im_fraction: FloatArray | None = None
    nasal: NasalInput | None = None

    def pulses(self, regimen: Regimen, model_id: str) -> list[InputPulse]:
        out: list[InputPulse] = []
        one = np.ones(self.system.n_patients)
        for event in regimen.events:
            if isinstance(event, Infusion | Bolus):
                if self.iv_state is None:
                    raise ClinicalInputError(f"{model_id} has no intravenous route")
                start = event.start_min if isinstance(event, Infusion) else event.time_min
                duration = event.duration_min if isinstance(event, Infusion) else 0.0
                out.append(InputPulse(self.iv_state, start, duration, event.dose_mg * one))
            elif isinstance(event, IntramuscularInjection):
                if self.im_state is None or self.im_fraction is None:
                    raise ClinicalInputError(f"{model_id} has no intramuscular route")
                amount = event.dose_mg * self.im_fraction
                out.append(InputPulse(self.im_state, event.time_min, 0.0, amount))
            else:
                out.extend(self._nasal_pulses(event, model_id))
        return out

    def _nasal_pulses(self, event: NasalDose, model_id: str) -> list[InputPulse]:
        nasal = self.nasal
        if nasal is None:
            raise ClinicalInputError(f"{model_id} has no nasal route")
        out: list[InputPulse] = []
        device_mg = event.dose_mg / event.devices
        for index, time in enumerate(event.device_times_min()):
            frn = nasal.fraction_nasal_first_device
            if index > 0:
                frn = frn * nasal.later_device_factor
            out.append(InputPulse(nasal.nasal_state, time, 0.0, frn * device_mg))
            swallowed = (1.0 - frn) * nasal.fraction_gut * device_mg
            out.append(InputPulse(nasal.gut_state, time, nasal.swallow_duration_min, swallowed))
        return out


Builder = Callable[[Params, float | None, Covariates, frozenset[PkRoute]], ModelInstance]


@dataclass(frozen=True)
class PkModel:
    id: str
    title: str
    drug: str
    analyte: str
    metabolites: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    population: str
    sampling: str
    structure: str
    parameters: Mapping[str, Parameter]
    covariate_scaling: str
    routes: frozenset[PkRoute]
    route_notes: Mapping[PkRoute, str]
    builder: Builder = field(repr=False)
    random_effects: tuple[RandomEffect, ...] = ()
    # (parameter a, parameter b) -> covariance of their η
    random_effect_covariances: Mapping[tuple[str, str], float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    variability_note: str = ""
    weight_required: bool = True
    # outside these the model refuses (a paediatric model is not extrapolated to adults)
    weight_limits_kg: tuple[float, float] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def has_variability(self) -> bool:
        return bool(self.random_effects)

    def typical_parameters(self, n_patients: int = 1) -> dict[str, FloatArray]:
        return {k: np.full(n_patients, p.value) for k, p in self.parameters.items()}

    def check_weight(self, weight_kg: float | None) -> None:
        if weight_kg is None:
            if self.weight_required:
                raise ClinicalInputError(f"{self.id} needs the patient's weight (--weight-kg)")
            return
        low, high = WEIGHT_LIMITS_KG
        if not math.isfinite(weight_kg) or not low <= weight_kg <= high:
            raise ClinicalInputError(f"weight {weight_kg} kg is outside {low:g}–{high:g} kg")
        if self.weight_limits_kg is not None:
            low, high = self.weight_limits_kg
            if not low <= weight_kg <= high:
                raise ClinicalInputError(
                    f"{self.id} was built for {low:g}–{high:g} kg and is not extrapolated "
                    f"to {weight_kg:g} kg; choose an adult model"
                )

    def check_routes(self, routes: frozenset[PkRoute]) -> None:
        missing = sorted(r.value for r in routes - self.routes)
        if missing:
            offered = ", ".join(sorted(r.value for r in self.routes))
            raise ClinicalInputError(
                f"{self.id} does not model route {', '.join(missing)} (it models: {offered})"
            )

    def instance(
        self,
        params: Params,
        *,
        weight_kg: float | None,
        covariates: Covariates | None = None,
        routes: frozenset[PkRoute],
    ) -> ModelInstance:
        self.check_weight(weight_kg)
        self.check_routes(routes)
        return self.builder(params, weight_kg, covariates or Covariates(), routes)


# ---------------------------------------------------------------------------------------------
# assembling rate matrices


def _rate_matrix(
    names: Sequence[str], flows: Sequence[tuple[str, str | None, FloatArray]], n_patients: int
) -> FloatArray:
    """K for amounts: each flow (from, to or None for elimination, rate constant per min)."""
    index = {name: i for i, name in enumerate(names)}
    k = np.zeros((n_patients, len(names), len(names)))
    for source, target, rate in flows:
        i = index[source]
        k[:, i, i] -= rate
        if target is not None:
            k[:, index[target], i] += rate
    return k


def _observe(names: Sequence[str], state: str, volume_l: FloatArray) -> FloatArray:
    obs = np.zeros((volume_l.shape[0], len(names)))
    obs[:, names.index(state)] = MG_PER_L_TO_NG_PER_ML / volume_l
    return obs


def _n(params: Params) -> int:
    return int(next(iter(params.values())).shape[0])


def _weight(weight_kg: float | None) -> float:
    assert weight_kg is not None  # checked by PkModel.check_weight
    return weight_kg


def _im_depot(
    names: list[str], flows: list[tuple[str, str | None, FloatArray]], params: Params
) -> None:
    names.insert(0, "im_depot")
    flows.append(("im_depot", "central", params["ka_im_per_min"]))


def build_micro(
    params: Params, weight_kg: float | None, routes: frozenset[PkRoute]
) -> ModelInstance:
    """2- or 3-compartment model given as V1 per kg and micro-constants (per min)."""
    v1 = params["v1_l_per_kg"] * _weight(weight_kg)
    names = ["central", "peripheral1"]
    flows: list[tuple[str, str | None, FloatArray]] = [
        ("central", None, params["k10_per_min"]),
        ("central", "peripheral1", params["k12_per_min"]),
        ("peripheral1", "central", params["k21_per_min"]),
    ]
    if "k13_per_min" in params:
        names.append("peripheral2")
        flows += [
            ("central", "peripheral2", params["k13_per_min"]),
            ("peripheral2", "central", params["k31_per_min"]),
        ]
    im = PkRoute.INTRAMUSCULAR in routes
    if im:
        _im_depot(names, flows, params)
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {"ketamine": _observe(names, "central", v1)},
    )
    return ModelInstance(
        system,
        iv_state=names.index("central"),
        im_state=names.index("im_depot") if im else None,
        im_fraction=params["f_im"] if im else None,
    )


def build_clearance_form(
    params: Params, weight_kg: float | None, routes: frozenset[PkRoute]
) -> ModelInstance:
    """Hijazi: CL and V1 per kg (each with its own IIV), distribution as micro-constants."""
    weight = _weight(weight_kg)
    v1 = params["v1_l_per_kg"] * weight
    cl = params["cl_l_per_min_per_kg"] * weight
    names = ["central", "peripheral1"]
    flows: list[tuple[str, str | None, FloatArray]] = [
        ("central", None, cl / v1),
        ("central", "peripheral1", params["k12_per_min"]),
        ("peripheral1", "central", params["k21_per_min"]),
    ]
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {"ketamine": _observe(names, "central", v1)},
    )
    return ModelInstance(system, iv_state=0)


def build_herd(
    params: Params, weight_kg: float | None, routes: frozenset[PkRoute]
) -> ModelInstance:
    size = _weight(weight_kg) / 70.0
    v1 = params["v1_l"] * size
    v2 = params["v2_l"] * size
    cl = params["cl_l_per_h"] * size**0.75 / 60.0
    q = params["q_l_per_h"] * size**0.75 / 60.0
    names = ["central", "peripheral1"]
    flows: list[tuple[str, str | None, FloatArray]] = [
        ("central", None, cl / v1),
        ("central", "peripheral1", q / v1),
        ("peripheral1", "central", q / v2),
    ]
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {"ketamine": _observe(names, "central", v1)},
    )
    return ModelInstance(system, iv_state=0)


def _fanta_flows(
    params: Params, size: float
) -> tuple[FloatArray, list[tuple[str, str | None, FloatArray]]]:
    v1 = params["v1_l"] * size
    q1 = params["q1_l_per_h"] / 60.0
    q2 = params["q2_l_per_h"] / 60.0
    flows: list[tuple[str, str | None, FloatArray]] = [
        ("central", "peripheral1", q1 / v1),
        ("peripheral1", "central", q1 / params["vp1_l"]),
        ("central", "peripheral2", q2 / v1),
        ("peripheral2", "central", q2 / params["vp2_l"]),
    ]
    return v1, flows


def build_fanta(
    params: Params, weight_kg: float | None, routes: frozenset[PkRoute]
) -> ModelInstance:
    size = _weight(weight_kg) / 70.0
    v1, flows = _fanta_flows(params, size)
    flows.append(("central", None, params["cl_l_per_h"] * size**0.75 / 60.0 / v1))
    names = ["central", "peripheral1", "peripheral2"]
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {"esketamine": _observe(names, "central", v1)},
    )
    return ModelInstance(system, iv_state=0)


def build_otto(
    params: Params, weight_kg: float | None, routes: frozenset[PkRoute]
) -> ModelInstance:
    size = _weight(weight_kg) / 70.0
    v1, flows = _fanta_flows(params, size)
    # all S-ketamine clearance forms S-norketamine, carried in S-ketamine mass as fitted
    flows.append(("central", "nk_central", params["cl_l_per_h"] * size**0.75 / 60.0 / v1))
    v_nk = params["v_nk_l"] * size
    cl_nk = params["cl_nk_l_per_h"] * size**0.75 / 60.0
    q_nk = params["q_nk_l_per_h"] / 60.0
    flows += [
        ("nk_central", None, cl_nk / v_nk),
        ("nk_central", "nk_peripheral", q_nk / v_nk),
        ("nk_peripheral", "nk_central", q_nk / params["vp_nk_l"]),
    ]
    names = ["central", "peripheral1", "peripheral2", "nk_central", "nk_peripheral"]
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {
            "esketamine": _observe(names, "central", v1),
            "noresketamine": _observe(names, "nk_central", v_nk),
        },
    )
    return ModelInstance(system, iv_state=0)


def build_perezruixo(
    params: Params, weight_kg: float | None, covariates: Covariates, routes: frozenset[PkRoute]
) -> ModelInstance:
    per_h = 1.0 / 60.0
    vc = params["vc_l"]
    vh = params["vh_l"]
    age_excess = max(0.0, (covariates.age_years or 0.0) - 60.0)
    # Qh falls linearly above 60 y; the IIV multiplies the age-adjusted typical value
    qh_typical = 151.0 - 2.19 * age_excess
    if qh_typical <= 0:
        raise ClinicalInputError("age is beyond the range where the Qh age effect is defined")
    qh = params["qh_l_per_h"] * (qh_typical / 151.0) * per_h
    kel = params["kel_per_h"] * (0.36 if covariates.asian else 1.0) * per_h
    kmet = params["kmet_per_h"] * per_h
    cln = params["cln_l_per_h"] * (0.81 if covariates.asian else 1.0) * per_h
    names = ["central", "peripheral1", "peripheral2", "liver", "nk_central", "nk_peripheral"]
    flows: list[tuple[str, str | None, FloatArray]] = [
        ("central", "peripheral1", params["q1_l_per_h"] * per_h / vc),
        ("peripheral1", "central", params["q1_l_per_h"] * per_h / params["vp1_l"]),
        ("central", "peripheral2", params["q2_l_per_h"] * per_h / vc),
        ("peripheral2", "central", params["q2_l_per_h"] * per_h / params["vp2_l"]),
        ("central", "liver", qh / vc),
        ("liver", "central", qh / vh),
        ("liver", None, kel),
        ("liver", "nk_central", kmet),
        ("nk_central", None, cln / params["vcn_l"]),
        ("nk_central", "nk_peripheral", params["q3_l_per_h"] * per_h / params["vcn_l"]),
        ("nk_peripheral", "nk_central", params["q3_l_per_h"] * per_h / params["vpn_l"]),
    ]
    nasal = PkRoute.NASAL in routes
    if nasal:
        names = ["nasal_depot", "gut_depot", *names]
        flows += [
            ("nasal_depot", "central", params["ka_n_per_h"] * per_h),
            ("gut_depot", "liver", params["ka_sw_per_h"] * per_h),
        ]
    system = LinearSystem(
        tuple(names),
        _rate_matrix(names, flows, _n(params)),
        {
            "esketamine": _observe(names, "central", vc),
            "noresketamine": _observe(names, "nk_central", params["vcn_l"]),
        },
    )
    nasal_input = None
    if nasal:
        frn = params["frn"] * (1.34 if covariates.japanese else 1.0)
        # the published ×1.34 is multiplicative on a fraction; a fraction cannot exceed 1
        frn = np.minimum(frn, 1.0)
        nasal_input = NasalInput(
            nasal_state=0,
            gut_state=1,
            fraction_nasal_first_device=frn,
            later_device_factor=0.62,
            fraction_gut=params["fgut"],
            swallow_duration_min=0.53 * 60.0,
        )
    return ModelInstance(system, iv_state=names.index("central"), nasal=nasal_input)


def ignore_covariates(
    build: Callable[[Params, float | None, frozenset[PkRoute]], ModelInstance],
) -> Builder:
    def wrapped(
        params: Params, weight_kg: float | None, covariates: Covariates, routes: frozenset[PkRoute]
    ) -> ModelInstance:
        return build(params, weight_kg, routes)

    return wrapped


def cv_variance(cv: float) -> float:
    """ω² of a log-normal parameter whose CV is reported: ω² = ln(1 + CV²)."""
    return math.log1p(cv * cv)


def frozen(values: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    return MappingProxyType(dict(values))
