"""Exact exposure summaries without a fine time grid: Cmax, Tmax, AUC, time above a level.

Within one piece of constant input the concentration is a sum of exponentials plus a constant,
``c(τ) = Σᵢ βᵢ e^{λᵢτ} + γ``. Each term is monotone in τ, so over any cell ``[a, b]``

    γ + Σᵢ min(βᵢe^{λᵢa}, βᵢe^{λᵢb})  ≤  c(τ)  ≤  γ + Σᵢ max(βᵢe^{λᵢa}, βᵢe^{λᵢb})

and the same holds for the first and second derivatives. These bounds decide, per patient
and cell, whether the cell can hold the maximum or a threshold crossing at all. A coarse grid
(doubling from 1 min after every input change) is enough to discard almost every cell; the few
undecided ones are cut into monotone pieces (splitting at a root of c′ where c′ is monotone,
bisecting otherwise) and their crossings and peaks are found by bracketed Newton iteration to
rounding. AUC uses the closed-form integral of each piece. No step size enters any result.

Patients whose eigenbasis is ill-conditioned (the expm path of ``solve``) are summarised by
``reference_summary``: a 1-second evaluation with local refinement, also used as the
independent check in the tests and benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.optimize

from remission.clinical.pk.solve import BoolArray, FloatArray, IntArray, Solution

_FIRST_CELL_MIN = 1.0
_MAX_SPLITS = 60
_TINY_CELL_MIN = 1e-9
_NEWTON_ITERATIONS = 100


@dataclass(frozen=True)
class Summaries:
    """Per-patient exposure over ``[0, end_min]`` (arrays of shape (P,))."""

    cmax_ng_per_ml: FloatArray
    tmax_min: FloatArray
    auc_ng_min_per_ml: FloatArray
    minutes_above: FloatArray | None
    threshold_ng_per_ml: float | None
    end_min: float

    @property
    def auc_ng_h_per_ml(self) -> FloatArray:
        return self.auc_ng_min_per_ml / 60.0


def summarise(
    solution: Solution,
    analyte: str,
    *,
    end_min: float,
    threshold_ng_per_ml: float | None = None,
) -> Summaries:
    """Cmax, Tmax, AUC and minutes above ``threshold_ng_per_ml`` on ``[0, end_min]``."""
    if not np.isfinite(end_min) or end_min <= 0:
        raise ValueError("the summary window must end after 0 min")
    n_patients = solution.system.n_patients
    cmax = np.zeros(n_patients)
    tmax = np.zeros(n_patients)
    above = None if threshold_ng_per_ml is None else np.zeros(n_patients)
    ok = solution.eigen.well_conditioned
    if ok.any():
        fast = _FastSummary(solution, analyte, end_min, threshold_ng_per_ml, np.flatnonzero(ok))
        cmax[ok], tmax[ok] = fast.cmax, fast.tmax
        if above is not None:
            above[ok] = fast.above
    for patient in np.flatnonzero(~ok):
        ref = reference_summary(
            solution, analyte, int(patient), end_min=end_min, threshold=threshold_ng_per_ml
        )
        cmax[patient], tmax[patient] = ref.cmax_ng_per_ml[0], ref.tmax_min[0]
        if above is not None and ref.minutes_above is not None:
            above[patient] = ref.minutes_above[0]
    auc = solution.auc(analyte, end_min)
    return Summaries(cmax, tmax, auc, above, threshold_ng_per_ml, end_min)


def _bracketed_newton(
    coef: FloatArray, lam: FloatArray, offset: FloatArray, lo: FloatArray, hi: FloatArray
) -> FloatArray:
    """Roots of f(τ) = Σ coef e^{λτ} + offset with f(lo), f(hi) of opposite signs.

    Newton steps inside a shrinking bracket, bisection when a step leaves it."""

    def f_df(idx: IntArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        terms = coef[idx] * np.exp(lam[idx] * x[:, None])
        return terms.sum(axis=1) + offset[idx], (lam[idx] * terms).sum(axis=1)

    lo = lo.copy()
    hi = hi.copy()
    all_idx = np.arange(lo.size)
    f_lo, _ = f_df(all_idx, lo)
    f_hi, _ = f_df(all_idx, hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = lo - f_lo * (hi - lo) / (f_hi - f_lo)  # regula falsi start
    x = np.where(np.isfinite(x) & (x > lo) & (x < hi), x, 0.5 * (lo + hi))
    active = all_idx
    for _ in range(_NEWTON_ITERATIONS):
        if active.size == 0:
            break
        xa = x[active]
        fx, dfx = f_df(active, xa)
        same = np.sign(fx) == np.sign(f_lo[active])
        lo[active] = np.where(same, xa, lo[active])
        f_lo[active] = np.where(same, fx, f_lo[active])
        hi[active] = np.where(same, hi[active], xa)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = fx / dfx
        new = xa - step
        inside = np.isfinite(new) & (new > lo[active]) & (new < hi[active])
        new = np.where(inside, new, 0.5 * (lo[active] + hi[active]))
        x[active] = new
        width = hi[active] - lo[active]
        scale = np.maximum(1.0, np.abs(new))
        done = (fx == 0) | (np.abs(new - xa) <= 4e-16 * scale) | (width <= 4e-16 * scale)
        # quadratic convergence: after a step this small the error is below rounding
        done |= inside & (np.abs(step) <= 1e-9 * scale)
        x[active[fx == 0]] = xa[fx == 0]
        active = active[~done]
    return x


class _FastSummary:
    """The bound-and-refine algorithm for well-conditioned patients."""

    def __init__(
        self,
        solution: Solution,
        analyte: str,
        end_min: float,
        threshold: float | None,
        patients: IntArray,
    ) -> None:
        bp = solution.breakpoints_min
        ends = np.minimum(np.append(bp[1:], np.inf), end_min)
        pieces = np.flatnonzero(bp < end_min)
        lam = solution.eigen.eigenvalues_per_min[patients]  # (P, n)
        p = solution.modal_observation(analyte)[patients]
        z = solution.modal_start[patients][:, pieces]  # (P, K, n)
        w = solution.modal_rate[patients][:, pieces]
        # c(τ) = Σ β e^{λτ} + γ on each piece
        beta = p[:, None, :] * (z + w / lam[:, None, :])
        gamma = -np.sum(p[:, None, :] * w / lam[:, None, :], axis=2)
        self.lam, self.beta, self.gamma = lam, beta, gamma
        starts = bp[pieces]
        lengths = ends[pieces] - starts

        cmax, tmax, grids, bounds = self._coarse_scan(lengths, starts, patients.size)

        above = np.zeros(patients.size)
        picked: list[tuple[IntArray, IntArray, FloatArray, FloatArray, BoolArray]] = []
        for k, (tau, (upper, lower)) in enumerate(zip(grids, bounds, strict=True)):
            undecided = upper > cmax[:, None]
            crossing = np.zeros_like(undecided)
            if threshold is not None:
                full = lower >= threshold
                above += np.where(full, np.diff(tau)[None, :], 0.0).sum(axis=1)
                crossing = ~full & (upper >= threshold)
                undecided |= crossing
            pi, ci = np.nonzero(undecided)
            picked.append((pi, np.full(pi.size, k), tau[ci], tau[ci + 1], crossing[pi, ci]))
        seg = self._monotone_segments(
            np.concatenate([x[0] for x in picked]),
            np.concatenate([x[1] for x in picked]),
            np.concatenate([x[2] for x in picked]),
            np.concatenate([x[3] for x in picked]),
            np.concatenate([x[4] for x in picked]),
        )
        s_pi, s_k, s_a, s_b, s_count, c_a, c_b = seg

        # peaks: the larger end of every monotone segment
        seg_max = np.maximum(c_a, c_b)
        seg_arg = np.where(c_b > c_a, s_b, s_a) + starts[s_k]
        better = seg_max > cmax[s_pi]
        if better.any():
            np.maximum.at(cmax, s_pi[better], seg_max[better])
            winner = better & (seg_max == cmax[s_pi])
            tmax[s_pi[winner]] = seg_arg[winner]
        if threshold is not None:
            above += self._time_above(s_pi, s_k, s_a, s_b, s_count, c_a, c_b, threshold)
        self.cmax, self.tmax, self.above = cmax, tmax, above

    def _coarse_scan(
        self, lengths: FloatArray, starts: FloatArray, n_patients: int
    ) -> tuple[FloatArray, FloatArray, list[FloatArray], list[tuple[FloatArray, FloatArray]]]:
        """Each piece on a doubling grid: the best peak seen so far, and per grid cell the
        bounds within which the curve stays (each exponential term is monotone)."""
        lam, beta, gamma = self.lam, self.beta, self.gamma
        rows = np.arange(n_patients)
        cmax = np.zeros(n_patients)  # before the first dose c = 0, and c ≥ 0 throughout
        tmax = np.zeros(n_patients)
        grids: list[FloatArray] = []
        bounds: list[tuple[FloatArray, FloatArray]] = []
        for k, length in enumerate(lengths):
            # grid 0, 1, 2, 4, 8, ... min after the piece start, then the piece end
            taus = [0.0]
            step = _FIRST_CELL_MIN
            while step < length:
                taus.append(step)
                step *= 2.0
            taus.append(float(length))
            tau = np.array(taus)
            grids.append(tau)
            g = gamma[:, k, None]
            values = np.zeros((n_patients, tau.size)) + g
            upper = np.zeros((n_patients, tau.size - 1)) + g
            lower = upper.copy()
            for i in range(lam.shape[1]):
                term = np.exp(np.multiply.outer(lam[:, i], tau))
                term *= beta[:, k, i, None]
                values += term
                # each exponential term is monotone: its cell extremes sit at the cell ends
                upper += np.maximum(term[:, :-1], term[:, 1:])
                lower += np.minimum(term[:, :-1], term[:, 1:])
            bounds.append((upper, lower))
            best = np.argmax(values, axis=1)
            best_val = values[rows, best]
            better = best_val > cmax
            cmax = np.where(better, best_val, cmax)
            tmax = np.where(better, starts[k] + tau[best], tmax)

        return cmax, tmax, grids, bounds

    def _terms(self, pi: IntArray, k: IntArray, tau: FloatArray) -> FloatArray:
        return self.beta[pi, k] * np.exp(self.lam[pi] * tau[:, None])

    def _monotone_segments(
        self, pi: IntArray, k: IntArray, a: FloatArray, b: FloatArray, count: BoolArray
    ) -> tuple[IntArray, IntArray, FloatArray, FloatArray, BoolArray, FloatArray, FloatArray]:
        """Cut cells into pieces on which c is monotone; return them with end values."""
        done: list[tuple[IntArray, IntArray, FloatArray, FloatArray, BoolArray]] = []
        for _ in range(_MAX_SPLITS):
            if pi.size == 0:
                break
            lam = self.lam[pi]
            va, vb = self._terms(pi, k, a), self._terms(pi, k, b)
            d1a, d1b = lam * va, lam * vb
            mono = (np.minimum(d1a, d1b).sum(axis=1) >= 0) | (np.maximum(d1a, d1b).sum(axis=1) <= 0)
            # A cell shrunk below 1e-9 min around a point where c′ and c″ both vanish (a
            # metabolite at the start of its chain rises like τ³) is taken as monotone: its
            # values and crossing times are then exact to 1e-9 min.
            mono |= (b - a) <= _TINY_CELL_MIN * np.maximum(1.0, b)
            d2a, d2b = lam * d1a, lam * d1b
            # c′ monotone on the cell: at most one turning point, found by Newton on c′
            convex = ~mono & (
                (np.minimum(d2a, d2b).sum(axis=1) >= 0) | (np.maximum(d2a, d2b).sum(axis=1) <= 0)
            )
            slope_a, slope_b = d1a.sum(axis=1), d1b.sum(axis=1)
            turns = convex & (np.sign(slope_a) * np.sign(slope_b) < 0)
            # c′ of one sign on the whole cell: already monotone
            keep = mono | (convex & ~turns)
            done.append((pi[keep], k[keep], a[keep], b[keep], count[keep]))
            if turns.any():
                coef = (lam * self.beta[pi, k])[turns]
                root = _bracketed_newton(
                    coef, lam[turns], np.zeros(int(turns.sum())), a[turns], b[turns]
                )
                done.append((pi[turns], k[turns], a[turns], root, count[turns]))
                done.append((pi[turns], k[turns], root, b[turns], count[turns]))
            split = ~mono & ~convex
            mid = 0.5 * (a[split] + b[split])
            pi = np.concatenate([pi[split], pi[split]])
            k = np.concatenate([k[split], k[split]])
            a, b = np.concatenate([a[split], mid]), np.concatenate([mid, b[split]])
            count = np.concatenate([count[split], count[split]])
        if pi.size:
            raise ArithmeticError("could not resolve the concentration curve into monotone parts")
        if not done:
            empty_i = np.zeros(0, dtype=np.intp)
            empty_f = np.zeros(0)
            return empty_i, empty_i, empty_f, empty_f, np.zeros(0, dtype=bool), empty_f, empty_f
        s_pi = np.concatenate([d[0] for d in done])
        s_k = np.concatenate([d[1] for d in done])
        s_a = np.concatenate([d[2] for d in done])
        s_b = np.concatenate([d[3] for d in done])
        s_count = np.concatenate([d[4] for d in done])
        c_a = self._terms(s_pi, s_k, s_a).sum(axis=1) + self.gamma[s_pi, s_k]
        c_b = self._terms(s_pi, s_k, s_b).sum(axis=1) + self.gamma[s_pi, s_k]
        return s_pi, s_k, s_a, s_b, s_count, c_a, c_b

    def _time_above(
        self,
        pi: IntArray,
        k: IntArray,
        a: FloatArray,
        b: FloatArray,
        count: BoolArray,
        c_a: FloatArray,
        c_b: FloatArray,
        threshold: float,
    ) -> FloatArray:
        out = np.zeros(self.lam.shape[0])
        hi_a, hi_b = c_a >= threshold, c_b >= threshold
        whole = count & hi_a & hi_b
        np.add.at(out, pi[whole], (b - a)[whole])
        cross = count & (hi_a != hi_b)
        if cross.any():
            root = _bracketed_newton(
                self.beta[pi[cross], k[cross]],
                self.lam[pi[cross]],
                self.gamma[pi[cross], k[cross]] - threshold,
                a[cross],
                b[cross],
            )
            part = np.where(hi_b[cross], b[cross] - root, root - a[cross])
            np.add.at(out, pi[cross], part)
        return out


def reference_summary(
    solution: Solution,
    analyte: str,
    patient: int,
    *,
    end_min: float,
    threshold: float | None = None,
    step_min: float = 1.0 / 60.0,
) -> Summaries:
    """Summaries of one patient from a 1-second evaluation refined by scipy.

    Independent of the piece algebra in ``summarise`` (it only calls
    ``Solution.concentration`` and ``Solution.auc``): the fallback for ill-conditioned
    patients and the yardstick in tests and benchmarks."""
    index = np.array([patient])
    n_steps = int(np.ceil(end_min / step_min))
    grid = np.linspace(0.0, end_min, n_steps + 1)
    conc = solution.concentration(grid, analyte, index)[0]

    def at(t: float) -> float:
        return float(solution.concentration(np.array([t]), analyte, index)[0, 0])

    j = int(np.argmax(conc))
    lo, hi = grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]
    best_t, best_c = float(grid[j]), float(conc[j])
    if hi > lo:
        res = scipy.optimize.minimize_scalar(
            lambda t: -at(t), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        if -res.fun > best_c:
            best_t, best_c = float(res.x), float(-res.fun)
    minutes_above = None
    if threshold is not None:
        sign = conc >= threshold
        total = float(np.sum(np.diff(grid)[sign[:-1] & sign[1:]]))
        for i in np.flatnonzero(sign[:-1] != sign[1:]):
            root = scipy.optimize.brentq(
                lambda t: at(t) - threshold, grid[i], grid[i + 1], xtol=1e-13, rtol=1e-15
            )
            total += (grid[i + 1] - root) if sign[i + 1] else (root - grid[i])
        minutes_above = np.array([total])
    auc = solution.auc(analyte, end_min)[patient]
    return Summaries(
        np.array([best_c]),
        np.array([best_t]),
        np.array([auc]),
        minutes_above,
        threshold,
        end_min,
    )
