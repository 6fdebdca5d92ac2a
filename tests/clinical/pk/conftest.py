"""Independent reference solutions for the PK tests: expm of the augmented system, LSODA."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import scipy.integrate
import scipy.linalg

from remission.clinical.pk.solve import FloatArray, LinearSystem, PiecewiseInput

Reference = Callable[[LinearSystem, PiecewiseInput, FloatArray, str], FloatArray]


def _expm_reference(
    system: LinearSystem, inputs: PiecewiseInput, times: FloatArray, analyte: str
) -> FloatArray:
    """Patient 0: amounts propagated piece by piece with expm([[K, u], [0, 0]] Δt)."""
    k = system.rate_matrix_per_min[0]
    obs = system.observations[analyte][0]
    n = k.shape[0]
    bp = inputs.breakpoints_min
    out = np.zeros(times.size)
    for j, t in enumerate(times):
        amount = np.zeros(n)
        for piece in range(bp.size):
            if bp[piece] > t:
                break
            amount = amount + inputs.boluses_mg[0, piece]
            end = min(t, bp[piece + 1]) if piece + 1 < bp.size else t
            aug = np.zeros((n + 1, n + 1))
            aug[:n, :n] = k
            aug[:n, n] = inputs.rates_mg_per_min[0, piece]
            amount = (scipy.linalg.expm(aug * (end - bp[piece])) @ np.append(amount, 1.0))[:n]
        out[j] = obs @ amount
    return out


def _lsoda_reference(
    system: LinearSystem, inputs: PiecewiseInput, times: FloatArray, analyte: str
) -> FloatArray:
    """Patient 0: LSODA at rtol 1e-10, restarted at every breakpoint (boluses, rate changes)."""
    k = system.rate_matrix_per_min[0]
    obs = system.observations[analyte][0]
    bp = inputs.breakpoints_min
    out = np.zeros(times.size)
    amount = np.zeros(k.shape[0])
    edges = [*bp.tolist(), max(float(times[-1]), float(bp[-1])) + 1.0]
    for piece in range(bp.size):
        amount = amount + inputs.boluses_mg[0, piece]
        rate = inputs.rates_mg_per_min[0, piece]
        lo, hi = edges[piece], edges[piece + 1]
        inside = (times >= lo) & (times < hi) if piece + 1 < bp.size else times >= lo
        t_eval = np.unique(np.concatenate([[lo], times[inside], [hi]]))
        sol = scipy.integrate.solve_ivp(
            lambda _t, a, rate=rate: k @ a + rate,
            (lo, hi),
            amount,
            method="LSODA",
            t_eval=t_eval,
            rtol=1e-10,
            atol=1e-14,
            jac=lambda _t, _a: k,
        )
        assert sol.success
        lookup = dict(zip(sol.t.tolist(), sol.y.T @ obs, strict=True))
        for j in np.flatnonzero(inside):
            out[j] = lookup[float(times[j])]
        amount = sol.y[:, -1]
    return out


@pytest.fixture
def expm_reference() -> Reference:
    return _expm_reference


@pytest.fixture
def lsoda_reference() -> Reference:
    return _lsoda_reference
