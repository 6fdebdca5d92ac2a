"""Exact solution of linear compartment models under piecewise-constant input.

A model is a linear system ``dA/dt = K A + u(t)`` of drug amounts ``A`` (mg) in its states,
where ``K`` (per minute) holds the transfer and elimination rate constants and ``u`` is
piecewise constant (zero-order infusions) with instantaneous additions at the breakpoints
(boluses). Plasma concentrations are linear read-outs of the amounts (``ng/mL = o · A``).

Within one piece of constant input the solution is known exactly. With the eigen-decomposition
``K = V diag(λ) V⁻¹`` and modal amounts ``z = V⁻¹ A`` and ``w = V⁻¹ u``:

    z(τ) = e^{λτ} z₀ + (e^{λτ} − 1)/λ · w

so the solver carries the state from breakpoint to breakpoint (the per-interval state
recursion) and evaluates any output time directly from the state at the start of its piece.
Nothing is stepped: the result is exact to floating-point rounding at any output resolution.

When two eigenvalues (nearly) coincide — a depot absorption rate equal to a disposition rate,
a metabolite with the parent's half-life — the eigenvector basis becomes ill-conditioned
(``0/0`` in the textbook formulas). Such patients take the safe path: matrix exponentials of
the augmented system ``[[K, u], [0, 0]]`` (``scipy.linalg.expm``), which are exact for any
spectrum, Jordan blocks included.

Every array carries a leading patient axis ``P`` so one code path serves one patient and a
million virtual patients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.linalg

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]

# Rounding in the modal formulas grows with the condition number of the eigenvector basis;
# above this bound (relative error ≈ 1e-16 × 1e6 = 1e-10) the patient takes the expm path.
MAX_EIGENBASIS_CONDITION = 1e6
# Below |λτ| = 0.5 ``e^x − 1`` is computed with expm1; above it ``E − 1`` is already accurate
# to a few ulp and saves a second transcendental call per point.
_EXPM1_SWITCH = 0.5
# Output times are evaluated in blocks of about this many values per temporary, which keeps
# them in cache instead of costing fresh pages each (a day at 1 s ran ~2× slower unblocked).
_BLOCK_VALUES = 1 << 16
_MIN_BLOCK = 64
# Times per block on an even grid: each block costs a fixed overhead, each ladder step one
# exponential per eigenvalue; a few thousand balances the two for a day at 1 s.
_LADDER_STEPS = 4096
# How far (in ulp of the largest time) a block may stray from even spacing and still be
# evaluated by the ladder: the concentration then moves by at most |λ| · 8 ulp, ~1e-12.
_EVEN_GRID_ULPS = 8


@dataclass(frozen=True)
class LinearSystem:
    """A linear compartment model for ``P`` patients (one matrix per patient)."""

    state_names: tuple[str, ...]
    rate_matrix_per_min: FloatArray  # (P, n, n)
    # analyte -> (P, n): concentration in ng/mL contributed by 1 mg in each state
    observations: Mapping[str, FloatArray]

    @property
    def n_patients(self) -> int:
        return int(self.rate_matrix_per_min.shape[0])

    @property
    def n_states(self) -> int:
        return int(self.rate_matrix_per_min.shape[1])

    def state_index(self, name: str) -> int:
        return self.state_names.index(name)

    def take(self, patients: IntArray | slice) -> LinearSystem:
        """The same model restricted to some patients."""
        return LinearSystem(
            state_names=self.state_names,
            rate_matrix_per_min=self.rate_matrix_per_min[patients],
            observations={k: v[patients] for k, v in self.observations.items()},
        )


@dataclass(frozen=True)
class InputPulse:
    """``amount_mg`` into one state, spread evenly over ``duration_min`` (0 = instantaneous)."""

    state: int
    start_min: float
    duration_min: float
    amount_mg: FloatArray  # (P,)


@dataclass(frozen=True)
class PiecewiseInput:
    """Input that is constant on ``[breakpoints[k], breakpoints[k+1])``; the last piece is
    open-ended and carries no infusion. Boluses enter at the start of their piece."""

    breakpoints_min: FloatArray  # (K,)
    rates_mg_per_min: FloatArray  # (P, K, n)
    boluses_mg: FloatArray  # (P, K, n)

    @property
    def n_pieces(self) -> int:
        return int(self.breakpoints_min.shape[0])

    def take(self, patients: IntArray | slice) -> PiecewiseInput:
        return PiecewiseInput(
            breakpoints_min=self.breakpoints_min,
            rates_mg_per_min=self.rates_mg_per_min[patients],
            boluses_mg=self.boluses_mg[patients],
        )


def piecewise_input(
    pulses: Sequence[InputPulse], *, n_patients: int, n_states: int
) -> PiecewiseInput:
    """Superpose input pulses into one piecewise-constant schedule."""
    if not pulses:
        raise ValueError("the regimen has no doses")
    edges = {p.start_min for p in pulses}
    edges |= {p.start_min + p.duration_min for p in pulses if p.duration_min > 0}
    breakpoints = np.array(sorted(edges), dtype=np.float64)
    n_pieces = breakpoints.size
    rates = np.zeros((n_patients, n_pieces, n_states))
    boluses = np.zeros((n_patients, n_pieces, n_states))
    for pulse in pulses:
        amount = np.broadcast_to(np.asarray(pulse.amount_mg, dtype=np.float64), (n_patients,))
        first = int(np.searchsorted(breakpoints, pulse.start_min))
        if pulse.duration_min <= 0:
            boluses[:, first, pulse.state] += amount
            continue
        stop = int(np.searchsorted(breakpoints, pulse.start_min + pulse.duration_min))
        rates[:, first:stop, pulse.state] += (amount / pulse.duration_min)[:, None]
    return PiecewiseInput(breakpoints_min=breakpoints, rates_mg_per_min=rates, boluses_mg=boluses)


def _weighted_sum(terms: FloatArray, weights: FloatArray) -> FloatArray:
    """Σₙ weights[a, p, n] · terms[p, n, t] → (A, P, T), as batched (1×n)·(n×T) products."""
    if terms.shape[0] == 1:  # one patient: a single (A×n)·(n×T) BLAS product
        single: FloatArray = (weights[:, 0, :] @ terms[0])[:, None, :]
        return single
    out: FloatArray = np.einsum("apn,pnt->apt", weights, terms)
    return out


def _phi1(x: FloatArray) -> FloatArray:
    """(e^x − 1)/x, accurate near 0."""
    out = np.ones_like(x)
    nz = x != 0
    out[nz] = np.expm1(x[nz]) / x[nz]
    return out


def _phi2(x: FloatArray) -> FloatArray:
    """(e^x − 1 − x)/x², accurate near 0 (series below |x| = 1e-3)."""
    out = np.empty_like(x)
    small = np.abs(x) < 1e-3
    xs = x[small]
    out[small] = 0.5 + xs / 6.0 + xs * xs / 24.0 + xs * xs * xs / 120.0
    xl = x[~small]
    out[~small] = (np.expm1(xl) - xl) / (xl * xl)
    return out


def expm1_over(lam_tau: FloatArray, exp_lam_tau: FloatArray) -> FloatArray:
    """e^x − 1 from an already computed e^x, falling back to expm1 where it would cancel."""
    out = exp_lam_tau - 1.0
    small = np.abs(lam_tau) < _EXPM1_SWITCH
    if small.any():
        out[small] = np.expm1(lam_tau[small])
    return out


@dataclass(frozen=True)
class Eigensystem:
    eigenvalues_per_min: FloatArray  # (P, n), all negative
    vectors: FloatArray  # (P, n, n), columns are eigenvectors
    inverse: FloatArray  # (P, n, n)
    well_conditioned: BoolArray  # (P,)


def eigensystem(rate_matrix_per_min: FloatArray) -> Eigensystem:
    """Batched eigen-decomposition with a per-patient conditioning verdict.

    2×2 and 3×3 systems (the common 2- and 3-compartment IV models) use closed-form roots of
    the characteristic polynomial, polished by Newton steps, with eigenvectors from cross
    products: several times faster than LAPACK's per-matrix loop for a million patients.
    Larger systems, and any small one whose closed form is in doubt, use ``numpy.linalg.eig``.
    """
    n = rate_matrix_per_min.shape[-1]
    if n in (2, 3):
        lam, vec, ok = (_closed_form_2 if n == 2 else _closed_form_3)(rate_matrix_per_min)
        inverse = np.zeros_like(vec)
        if ok.any():
            inv_ok, det_ok = _small_inverse(vec[ok])
            inverse[ok] = inv_ok
            ok[ok] = det_ok
        if not ok.all():
            rest = _lapack_eigensystem(rate_matrix_per_min[~ok])
            lam[~ok], vec[~ok], inverse[~ok] = rest.eigenvalues_per_min, rest.vectors, rest.inverse
            ok[~ok] = rest.well_conditioned
    else:
        lapack = _lapack_eigensystem(rate_matrix_per_min)
        lam, vec, inverse, ok = (
            lapack.eigenvalues_per_min,
            lapack.vectors,
            lapack.inverse,
            lapack.well_conditioned,
        )
    ok &= np.all(lam < 0, axis=-1)
    # unit columns, so ‖V‖_F = √n and κ_F(V) = √n ‖V⁻¹‖_F
    condition = np.sqrt(n) * np.sqrt(np.einsum("pij,pij->p", inverse, inverse))
    ok &= condition < MAX_EIGENBASIS_CONDITION
    return Eigensystem(lam, vec, inverse, ok)


def _lapack_eigensystem(k: FloatArray) -> Eigensystem:
    lam_c, vec_c = np.linalg.eig(k)
    real = np.all(np.abs(lam_c.imag) <= 1e-12 * np.abs(lam_c.real), axis=-1)
    lam = np.ascontiguousarray(lam_c.real)
    vec = np.ascontiguousarray(vec_c.real)
    ok = real & np.all(lam < 0, axis=-1)
    inverse = np.zeros_like(vec)
    # inverting a singular basis would raise for the whole batch; screen it out first
    ok &= np.abs(np.linalg.det(vec)) > 1e-300
    if ok.any():
        inverse[ok] = np.linalg.inv(vec[ok])
    return Eigensystem(lam, vec, inverse, ok)


def _closed_form_2(k: FloatArray) -> tuple[FloatArray, FloatArray, BoolArray]:
    a, b, c, d = k[:, 0, 0], k[:, 0, 1], k[:, 1, 0], k[:, 1, 1]
    trace, det = a + d, a * d - b * c
    disc = (a - d) ** 2 + 4.0 * b * c
    ok = disc > 0
    root = np.sqrt(np.where(ok, disc, 0.0))
    # the larger-magnitude root without cancellation, the other by Vieta
    big = 0.5 * (trace - np.copysign(root, trace))
    with np.errstate(divide="ignore", invalid="ignore"):
        small = det / big
    lam = np.stack([big, small], axis=1)
    vec = np.empty_like(k)
    for i in range(2):
        li = lam[:, i]
        # null vector of K − λI from whichever row is larger
        r0 = np.stack([b, li - a], axis=1)
        r1 = np.stack([li - d, c], axis=1)
        use0 = np.einsum("pi,pi->p", r0, r0) >= np.einsum("pi,pi->p", r1, r1)
        v = np.where(use0[:, None], r0, r1)
        vec[:, :, i] = v
    return _normalised(lam, vec, ok)


def _closed_form_3(k: FloatArray) -> tuple[FloatArray, FloatArray, BoolArray]:
    trace = k[:, 0, 0] + k[:, 1, 1] + k[:, 2, 2]
    minors = (
        k[:, 0, 0] * k[:, 1, 1]
        - k[:, 0, 1] * k[:, 1, 0]
        + k[:, 0, 0] * k[:, 2, 2]
        - k[:, 0, 2] * k[:, 2, 0]
        + k[:, 1, 1] * k[:, 2, 2]
        - k[:, 1, 2] * k[:, 2, 1]
    )
    det = np.linalg.det(k)
    # λ³ + c2 λ² + c1 λ + c0 = 0
    c2, c1, c0 = -trace, minors, -det
    shift = c2 / 3.0
    p = c1 - c2 * shift
    q = 2.0 * shift**3 - shift * c1 + c0
    ok = p < 0
    safe_p = np.where(ok, p, -1.0)
    radius = 2.0 * np.sqrt(-safe_p / 3.0)
    cos_arg = 3.0 * q / (safe_p * radius)
    ok &= np.abs(cos_arg) <= 1.0
    angle = np.arccos(np.clip(cos_arg, -1.0, 1.0)) / 3.0
    lam = np.stack(
        [radius * np.cos(angle - 2.0 * np.pi * j / 3.0) - shift for j in range(3)], axis=1
    )
    # Newton polish on the cubic: the trigonometric roots lose digits on small eigenvalues
    for _ in range(2):
        value = ((lam + c2[:, None]) * lam + c1[:, None]) * lam + c0[:, None]
        slope = (3.0 * lam + 2.0 * c2[:, None]) * lam + c1[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            step = value / slope
        lam = np.where(np.isfinite(step), lam - step, lam)
    vec = np.empty_like(k)
    eye = np.eye(3)
    for i in range(3):
        m = k - lam[:, i, None, None] * eye
        candidates = np.stack(
            [np.cross(m[:, 0], m[:, 1]), np.cross(m[:, 0], m[:, 2]), np.cross(m[:, 1], m[:, 2])],
            axis=1,
        )
        norms = np.einsum("pci,pci->pc", candidates, candidates)
        best = np.argmax(norms, axis=1)
        vec[:, :, i] = candidates[np.arange(k.shape[0]), best]
    return _normalised(lam, vec, ok)


def _normalised(
    lam: FloatArray, vec: FloatArray, ok: BoolArray
) -> tuple[FloatArray, FloatArray, BoolArray]:
    norms = np.sqrt(np.einsum("pij,pij->pj", vec, vec))
    ok = ok & np.all(norms > 0, axis=1) & np.all(np.isfinite(lam), axis=1)
    vec = vec / np.where(norms > 0, norms, 1.0)[:, None, :]
    return np.ascontiguousarray(lam), vec, ok


def _small_inverse(vec: FloatArray) -> tuple[FloatArray, BoolArray]:
    """Inverse of 2×2 or 3×3 matrices by the adjugate; flags (near-)singular ones."""
    n = vec.shape[-1]
    if n == 2:
        a, b, c, d = vec[:, 0, 0], vec[:, 0, 1], vec[:, 1, 0], vec[:, 1, 1]
        det = a * d - b * c
        adj = np.stack([np.stack([d, -b], axis=1), np.stack([-c, a], axis=1)], axis=1)
    else:
        c0, c1, c2 = vec[:, :, 0], vec[:, :, 1], vec[:, :, 2]
        # rows of the inverse are cross products of the columns
        adj = np.stack([np.cross(c1, c2), np.cross(c2, c0), np.cross(c0, c1)], axis=1)
        det = np.einsum("pi,pi->p", c0, adj[:, 0])
    ok = np.abs(det) > 1e-300
    inverse = adj / np.where(ok, det, 1.0)[:, None, None]
    return inverse, ok


def _augmented_propagator(k: FloatArray, u: FloatArray, tau: FloatArray) -> FloatArray:
    """expm([[K, u], [0, 0]] τ) for each τ: maps [A(0); 1] to [A(τ); 1] under constant u."""
    n = k.shape[0]
    aug = np.zeros((n + 1, n + 1))
    aug[:n, :n] = k
    aug[:n, n] = u
    result: FloatArray = scipy.linalg.expm(aug[None, :, :] * tau[:, None, None])
    return result


def _propagate_grid(k: FloatArray, u: FloatArray, start: FloatArray, tau: FloatArray) -> FloatArray:
    """Amounts at offsets ``tau`` from ``[A(0); 1]`` under constant input, by expm.

    A uniform grid of m offsets is split into √m blocks: e^{A(τ₀ + bBΔ + jΔ)} =
    e^{AjΔ} e^{A(τ₀ + bBΔ)}, so only about 2√m matrix exponentials are needed (a day at
    1-second resolution: ~600 instead of 86 400). Other grids take one expm per offset."""
    m = tau.size
    if m > 64:
        step = (tau[-1] - tau[0]) / (m - 1)
        grid = tau[0] + step * np.arange(m)
        if step > 0 and np.all(np.abs(grid - tau) <= 1e-12 * np.maximum(1.0, np.abs(tau))):
            block = int(np.ceil(np.sqrt(m)))
            n_blocks = int(np.ceil(m / block))
            heads = _augmented_propagator(k, u, tau[0] + step * block * np.arange(n_blocks))
            head_states = heads @ start  # (blocks, n+1)
            offsets = _augmented_propagator(k, u, step * np.arange(block))  # (B, n+1, n+1)
            states = np.einsum("jab,kb->kja", offsets, head_states).reshape(-1, start.size)
            result: FloatArray = states[:m, :-1]
            return result
    unique_tau, inverse = np.unique(tau, return_inverse=True)
    props = _augmented_propagator(k, u, unique_tau)
    amounts: FloatArray = (props[:, :-1, :] @ start)[inverse]
    return amounts


def _augmented_integral(k: FloatArray, u: FloatArray, obs: FloatArray, tau: float) -> FloatArray:
    """expm of [[K, u, 0], [0, 0, 0], [o, 0, 0]] τ: its last row integrates o·A over [0, τ]."""
    n = k.shape[0]
    aug = np.zeros((n + 2, n + 2))
    aug[:n, :n] = k
    aug[:n, n] = u
    aug[n + 1, :n] = obs
    result: FloatArray = scipy.linalg.expm(aug * tau)
    return result


class _BlockExponentials:
    """Σₙ weights · e^{λτ} over output times, a cache-sized block of times at a time.

    On an evenly spaced block — every regular output grid — e^{λ(τ₀ + jΔ)} = e^{λτ₀} · e^{λjΔ}:
    the ladder e^{λjΔ} (j < block) is computed once per step Δ and shared by every block, whose
    own factor e^{λτ₀} folds into the weights. A day at 1-second resolution then costs a few
    thousand exponentials instead of one per point. Each value carries two roundings instead
    of one; a block whose times stray from even spacing by more than a few ulp (the times
    actually asked for are evaluated, not a nominal grid) takes the direct path.
    """

    def __init__(self, lam: FloatArray) -> None:
        self.lam = lam  # (P, n)
        self.block = min(_LADDER_STEPS, max(_MIN_BLOCK, _BLOCK_VALUES // lam.size))
        self._ladders: dict[float, tuple[FloatArray, FloatArray]] = {}

    def weighted_sum(self, tau: FloatArray, weights: FloatArray, out: FloatArray) -> None:
        """out[a, p, t] = Σₙ weights[a, p, n] · e^{λ[p, n] τ[t]} for sorted times τ."""
        step = float(tau[-1] - tau[0]) / (tau.size - 1) if tau.size >= _MIN_BLOCK else 0.0
        tolerance = _EVEN_GRID_ULPS * float(np.spacing(abs(tau[-1])))
        for first in range(0, tau.size, self.block):
            chunk = tau[first : first + self.block]
            if step > 0 and chunk.size >= _MIN_BLOCK:
                offsets, ladder = self._ladder(step)
                stray = np.abs((chunk - chunk[0]) - offsets[: chunk.size])
                if float(stray.max()) <= tolerance:
                    scaled = weights * np.exp(self.lam * chunk[0])
                    terms = ladder[:, :, : chunk.size]
                    out[:, :, first : first + chunk.size] = _weighted_sum(terms, scaled)
                    continue
            terms = np.exp(self.lam[:, :, None] * chunk[None, None, :])
            out[:, :, first : first + chunk.size] = _weighted_sum(terms, weights)

    def _ladder(self, step: float) -> tuple[FloatArray, FloatArray]:
        """The offsets jΔ and e^{λjΔ} for j < block."""
        if step not in self._ladders:
            offsets: FloatArray = step * np.arange(self.block, dtype=np.float64)
            ladder: FloatArray = np.exp(self.lam[:, :, None] * offsets[None, None, :])
            self._ladders[step] = (offsets, ladder)
        return self._ladders[step]


class Solution:
    """States at every breakpoint; concentrations and exposure at any time on demand."""

    def __init__(self, system: LinearSystem, inputs: PiecewiseInput) -> None:
        if inputs.rates_mg_per_min.shape[0] != system.n_patients:
            raise ValueError("inputs and system disagree on the number of patients")
        if np.any(inputs.rates_mg_per_min[:, -1, :] != 0):
            raise ValueError("the last piece of an input schedule must carry no infusion")
        self.system = system
        self.inputs = inputs
        self.eigen = eigensystem(system.rate_matrix_per_min)
        self.breakpoints_min = inputs.breakpoints_min
        p_count, k_count, n = inputs.rates_mg_per_min.shape
        # amounts at the start of each piece, just after its boluses
        self.amounts_mg = np.zeros((p_count, k_count, n))
        self.modal_start = np.zeros((p_count, k_count, n))
        self.modal_rate = np.zeros((p_count, k_count, n))
        ok = self.eigen.well_conditioned
        if ok.any():
            self._recurse_modal(ok)
        for patient in np.flatnonzero(~ok):
            self._recurse_expm(int(patient))

    # -- state recursion ------------------------------------------------------------------

    def _recurse_modal(self, ok: BoolArray) -> None:
        lam = self.eigen.eigenvalues_per_min[ok]
        vec = self.eigen.vectors[ok]
        inv = self.eigen.inverse[ok]
        w = np.einsum("pij,pkj->pki", inv, self.inputs.rates_mg_per_min[ok])
        b = np.einsum("pij,pkj->pki", inv, self.inputs.boluses_mg[ok])
        lengths = np.diff(self.breakpoints_min)
        z = np.zeros_like(lam)
        starts = np.empty_like(w)
        for k in range(self.inputs.n_pieces):
            z = z + b[:, k]
            starts[:, k] = z
            if k < lengths.size:
                x = lam * lengths[k]
                z = np.exp(x) * z + _phi1(x) * lengths[k] * w[:, k]
        self.modal_start[ok] = starts
        self.modal_rate[ok] = w
        self.amounts_mg[ok] = np.einsum("pij,pkj->pki", vec, starts)

    def _recurse_expm(self, patient: int) -> None:
        k_mat = self.system.rate_matrix_per_min[patient]
        rates = self.inputs.rates_mg_per_min[patient]
        boluses = self.inputs.boluses_mg[patient]
        lengths = np.diff(self.breakpoints_min)
        amount = np.zeros(self.system.n_states)
        for k in range(self.inputs.n_pieces):
            amount = amount + boluses[k]
            self.amounts_mg[patient, k] = amount
            if k < lengths.size:
                prop = _augmented_propagator(k_mat, rates[k], lengths[k : k + 1])[0]
                amount = prop[:-1, :-1] @ amount + prop[:-1, -1]

    # -- read-outs ------------------------------------------------------------------------

    def piece_index(self, times_min: FloatArray) -> IntArray:
        """Index of the piece holding each time (−1 before the first dose)."""
        index: IntArray = np.searchsorted(self.breakpoints_min, times_min, side="right") - 1
        return index

    def modal_observation(self, analyte: str) -> FloatArray:
        """The read-out in the eigenbasis: c = Σᵢ pᵢ zᵢ. Zero rows for expm-path patients."""
        obs = self.system.observations[analyte]
        out: FloatArray = np.einsum("pj,pji->pi", obs, self.eigen.vectors)
        out[~self.eigen.well_conditioned] = 0.0
        return out

    def concentration(
        self, times_min: FloatArray, analyte: str, patients: IntArray | None = None
    ) -> FloatArray:
        """Concentration (ng/mL) at ``times_min`` (non-decreasing), shape (P, T).

        ``patients`` restricts the result to some patients (rows in that order)."""
        return self.concentrations(times_min, (analyte,), patients)[analyte]

    def concentrations(
        self,
        times_min: FloatArray,
        analytes: Sequence[str],
        patients: IntArray | None = None,
    ) -> dict[str, FloatArray]:
        """Several analytes at once: the exponentials are computed once and shared."""
        times = np.asarray(times_min, dtype=np.float64)
        if times.ndim != 1 or np.any(np.diff(times) < 0):
            raise ValueError("output times must be a non-decreasing 1-D sequence")
        which = np.arange(self.system.n_patients) if patients is None else np.asarray(patients)
        result = np.zeros((len(analytes), which.size, times.size))
        piece = self.piece_index(times)
        ok = self.eigen.well_conditioned[which]
        if ok.any():
            result[:, ok] = self._concentration_modal(which[ok], times, piece, analytes)
        for row in np.flatnonzero(~ok):
            for i, analyte in enumerate(analytes):
                result[i, row] = self._concentration_expm(int(which[row]), times, piece, analyte)
        return {analyte: result[i] for i, analyte in enumerate(analytes)}

    def _concentration_modal(
        self, which: IntArray, times: FloatArray, piece: IntArray, analytes: Sequence[str]
    ) -> FloatArray:
        # (A, P, n): each analyte's read-out in the eigenbasis
        p = np.stack([self.modal_observation(a)[which] for a in analytes])
        lam = self.eigen.eigenvalues_per_min[which]
        slowest = float(np.min(np.abs(lam)))
        out = np.zeros((len(analytes), which.size, times.size))
        # times are sorted, so each piece owns one contiguous run of them
        bounds = np.searchsorted(piece, np.arange(self.inputs.n_pieces + 1), side="left")
        exponentials = _BlockExponentials(lam)
        for k in range(self.inputs.n_pieces):
            lo, hi = int(bounds[k]), int(bounds[k + 1])
            if lo == hi:
                continue
            start = self.breakpoints_min[k]
            a0 = p * self.modal_start[which, k]
            a1 = p * self.modal_rate[which, k] / lam
            if not a1.any():  # no infusion on this piece: a pure sum of exponentials
                exponentials.weighted_sum(times[lo:hi] - start, a0, out[:, :, lo:hi])
                continue
            # c = Σ a0 e + a1 (e − 1). Near the piece start (|λτ| < 0.5 for some λ) e − 1
            # needs expm1; beyond it e − 1 is exact to a few ulp and the sum folds into
            # Σ (a0 + a1) e − Σ a1
            cut = lo + int(np.searchsorted(times[lo:hi] - start, _EXPM1_SWITCH / slowest))
            for first in range(lo, cut, exponentials.block):
                last = min(first + exponentials.block, cut)
                x = lam[:, :, None] * (times[first:last] - start)[None, None, :]
                out[:, :, first:last] = _weighted_sum(np.exp(x), a0) + _weighted_sum(
                    np.expm1(x), a1
                )
            if cut < hi:
                exponentials.weighted_sum(times[cut:hi] - start, a0 + a1, out[:, :, cut:hi])
                out[:, :, cut:hi] -= np.sum(a1, axis=-1, keepdims=True)
        return out

    def _concentration_expm(
        self, patient: int, times: FloatArray, piece: IntArray, analyte: str
    ) -> FloatArray:
        out = np.zeros(times.size)
        k_mat = self.system.rate_matrix_per_min[patient]
        obs = self.system.observations[analyte][patient]
        for k in np.unique(piece[piece >= 0]):
            cols = np.flatnonzero(piece == k)
            tau = times[cols] - self.breakpoints_min[k]
            rate = self.inputs.rates_mg_per_min[patient, k]
            start = np.append(self.amounts_mg[patient, k], 1.0)
            amounts = _propagate_grid(k_mat, rate, start, tau)
            out[cols] = amounts @ obs
        return out

    def auc(self, analyte: str, end_min: float = np.inf) -> FloatArray:
        """Area under the curve from the first dose to ``end_min`` in ng·min/mL, shape (P,).

        ``end_min = inf`` gives AUC0–∞ (the last piece carries no infusion)."""
        bp = self.breakpoints_min
        ends = np.append(bp[1:], np.inf)
        total = np.zeros(self.system.n_patients)
        ok = self.eigen.well_conditioned
        p = self.modal_observation(analyte)
        lam = self.eigen.eigenvalues_per_min
        for k in range(bp.size):
            if bp[k] >= end_min:
                break
            length = min(ends[k], end_min) - bp[k]
            if np.isinf(length):
                # ∫₀^∞ e^{λτ} dτ = −1/λ; no input on the last piece
                total[ok] += np.sum(p[ok] * self.modal_start[ok, k] / -lam[ok], axis=-1)
            else:
                x = lam[ok] * length
                part = self.modal_start[ok, k] * _phi1(x) * length
                part += self.modal_rate[ok, k] * _phi2(x) * length * length
                total[ok] += np.sum(p[ok] * part, axis=-1)
        for patient in np.flatnonzero(~ok):
            total[patient] = self._auc_expm(int(patient), analyte, end_min)
        return total

    def _auc_expm(self, patient: int, analyte: str, end_min: float) -> float:
        bp = self.breakpoints_min
        ends = np.append(bp[1:], np.inf)
        k_mat = self.system.rate_matrix_per_min[patient]
        obs = self.system.observations[analyte][patient]
        total = 0.0
        for k in range(bp.size):
            if bp[k] >= end_min:
                break
            amount = self.amounts_mg[patient, k]
            rate = self.inputs.rates_mg_per_min[patient, k]
            length = min(ends[k], end_min) - bp[k]
            if np.isinf(length):
                # ∫₀^∞ e^{Kτ} A dτ = −K⁻¹ A when every state drains
                total += float(obs @ np.linalg.solve(-k_mat, amount))
            else:
                prop = _augmented_integral(k_mat, rate, obs, length)
                total += float(prop[-1, :-1] @ np.append(amount, 1.0))
        return total


def solve(system: LinearSystem, inputs: PiecewiseInput) -> Solution:
    return Solution(system, inputs)
