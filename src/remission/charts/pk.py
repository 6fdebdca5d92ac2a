"""Concentration–time chart: the typical curve, its population band, optional anchors.

Used by ``remission pk simulate --svg``, the validation report and (through the same
function) the session page. Curves are thinned to a few hundred points before plotting:
the chart cannot show more, and the SVG stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import numpy as np
import numpy.typing as npt
import vl_convert

FloatArray = npt.NDArray[np.float64]
MAX_POINTS = 400


@dataclass(frozen=True, slots=True)
class Anchor:
    """An observed or published value to mark on the chart."""

    time_min: float
    conc_ng_per_ml: float
    label: str


def _thin(n: int) -> npt.NDArray[np.intp]:
    if n <= MAX_POINTS:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(np.intp))


def concentration_chart(
    times_min: FloatArray,
    conc_ng_per_ml: FloatArray,
    *,
    title: str,
    analyte: str,
    band_low: FloatArray | None = None,
    band_high: FloatArray | None = None,
    band_label: str = "5th–95th percentile",
    metabolites: dict[str, FloatArray] | None = None,
    anchors: Sequence[Anchor] = (),
    threshold_ng_per_ml: float | None = None,
    width: int = 520,
    height: int = 260,
) -> alt.LayerChart | alt.FacetChart:
    keep = _thin(times_min.size)
    hours = times_min[-1] > 360
    scale = 60.0 if hours else 1.0
    x_title = "Time (h)" if hours else "Time (min)"
    t = np.round(times_min[keep] / scale, 4)
    rows: list[dict[str, Any]] = [
        {"t": float(x), "c": round(float(c), 3), "series": analyte}
        for x, c in zip(t, conc_ng_per_ml[keep], strict=True)
    ]
    for name, curve in (metabolites or {}).items():
        rows += [
            {"t": float(x), "c": round(float(c), 3), "series": name}
            for x, c in zip(t, curve[keep], strict=True)
        ]
    x = alt.X("t:Q", title=x_title)
    y = alt.Y("c:Q", title="Plasma concentration (ng/mL)")
    layers: list[alt.Chart] = []
    if band_low is not None and band_high is not None:
        band_rows = [
            {"t": float(a), "lo": round(float(lo), 3), "hi": round(float(hi), 3)}
            for a, lo, hi in zip(t, band_low[keep], band_high[keep], strict=True)
        ]
        layers.append(
            alt.Chart(alt.Data(values=band_rows))
            .mark_area(opacity=0.25, color="#4c78a8")
            .encode(x=x, y=alt.Y("lo:Q", title="Plasma concentration (ng/mL)"), y2="hi:Q")
            .properties(description=band_label)
        )
    layers.append(
        alt.Chart(alt.Data(values=rows))
        .mark_line(strokeWidth=2)
        .encode(x=x, y=y, color=alt.Color("series:N", title=None))
    )
    if threshold_ng_per_ml is not None:
        layers.append(
            alt.Chart(alt.Data(values=[{"c": threshold_ng_per_ml}]))
            .mark_rule(strokeDash=[4, 4], color="#888")
            .encode(y="c:Q")
        )
    if anchors:
        anchor_rows = [
            {"t": a.time_min / scale, "c": a.conc_ng_per_ml, "label": a.label} for a in anchors
        ]
        layers.append(
            alt.Chart(alt.Data(values=anchor_rows))
            .mark_point(shape="diamond", size=80, filled=True, color="#e45756")
            .encode(x="t:Q", y="c:Q", tooltip=["label:N"])
        )
    notes = []
    if band_low is not None and band_high is not None:
        notes.append(f"shaded: {band_label} of virtual patients")
    if anchors:
        notes.append("◆ " + "; ".join(a.label for a in anchors))
    if threshold_ng_per_ml is not None:
        notes.append(f"dashed: {threshold_ng_per_ml:g} ng/mL")
    heading = alt.TitleParams(text=title, subtitle=" · ".join(notes)) if notes else title
    return alt.layer(*layers, title=heading, width=width, height=height)


def chart_svg(chart: alt.TopLevelMixin) -> str:
    svg: str = vl_convert.vegalite_to_svg(chart.to_dict())
    return svg


def concentration_svg(
    times_min: FloatArray,
    conc_ng_per_ml: FloatArray,
    *,
    title: str,
    analyte: str,
    band_low: FloatArray | None = None,
    band_high: FloatArray | None = None,
    metabolites: dict[str, FloatArray] | None = None,
    anchors: Sequence[Anchor] = (),
    threshold_ng_per_ml: float | None = None,
) -> str:
    return chart_svg(
        concentration_chart(
            times_min,
            conc_ng_per_ml,
            title=title,
            analyte=analyte,
            band_low=band_low,
            band_high=band_high,
            metabolites=metabolites,
            anchors=anchors,
            threshold_ng_per_ml=threshold_ng_per_ml,
        )
    )
