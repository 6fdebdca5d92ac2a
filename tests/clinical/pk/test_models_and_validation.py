"""Published anchors, model data and the app-facing prediction."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence
from remission.clinical.pk import Administration, predict_session
from remission.clinical.pk.builders import Covariates
from remission.clinical.pk.models import MODELS
from remission.clinical.pk.regimen import (
    DoseBasis,
    Infusion,
    NasalDose,
    Regimen,
    to_base_mg,
)
from remission.clinical.pk.simulate import simulate
from remission.clinical.pk.summary import summarise
from remission.clinical.pk.validation import PEREZ_TABLE4, render_markdown, validation_report
from remission.clinical.routes import PkRoute

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def test_every_model_cites_its_sources_with_a_confidence_label() -> None:
    for model in MODELS.values():
        assert model.evidence and all(isinstance(e, Evidence) for e in model.evidence)
        assert model.population and model.structure and model.covariate_scaling
        assert all(p.unit for p in model.parameters.values())


def test_clements_end_of_infusion_is_within_30_percent_of_the_observed_185() -> None:
    sim = simulate(MODELS["clements1981"], Regimen.of([Infusion(0, 40, 35)]), weight_kg=70)
    c40 = sim.solution.concentration(np.array([40.0]), "ketamine")[0, 0]
    assert c40 == pytest.approx(185, rel=0.30)
    assert c40 == pytest.approx(177.3, abs=0.1)  # shared/reference/pk.md §2


@pytest.mark.parametrize(("devices", "cmax", "auc", "nk_cmax", "_nk_auc"), PEREZ_TABLE4)
def test_perezruixo_reproduces_table_4_cmax_and_auc_within_2_percent(
    devices: int, cmax: float, auc: float, nk_cmax: float, _nk_auc: float
) -> None:
    sim = simulate(MODELS["perezruixo2021"], Regimen.of([NasalDose(0, devices)]), weight_kg=None)
    s = summarise(sim.solution, "esketamine", end_min=1440.0)
    nk = summarise(sim.solution, "noresketamine", end_min=1440.0)
    assert s.cmax_ng_per_ml[0] == pytest.approx(cmax, rel=0.02)
    assert s.auc_ng_h_per_ml[0] == pytest.approx(auc, rel=0.02)
    assert nk.cmax_ng_per_ml[0] == pytest.approx(nk_cmax, rel=0.02)


def test_validation_report_lists_every_model_and_states_the_disclaimer() -> None:
    report = validation_report()
    page = render_markdown(report, svg_dir="pk-validation", command="remission pk validate")
    for model_id in MODELS:
        assert f"pk-validation/{model_id}.svg" in page
    assert "do not predict antidepressant response" in page
    for doubled in ("min min", "% %", "h h |", "mL/min/kg mL/min/kg"):
        assert doubled not in page  # a reference that carries its unit shows it once
    verdicts = {(a.model_id, a.anchor, a.quantity): a.verdict for a in report.anchors}
    assert verdicts[("clements1981", "V1", "C at end of 0.5 mg/kg over 40 min (70 kg)")] == "within"
    assert all(
        a.verdict in ("within", "known discrepancy")
        for a in report.anchors
        if a.model_id == "perezruixo2021"
    )


def test_paediatric_model_refuses_adult_weights_outside_its_range() -> None:
    with pytest.raises(ClinicalInputError, match="not extrapolated"):
        simulate(MODELS["herd2007"], Regimen.of([Infusion(0, 40, 35)]), weight_kg=80)


def test_weight_is_required_when_the_model_scales_by_weight() -> None:
    with pytest.raises(ClinicalInputError, match="weight"):
        simulate(MODELS["fanta2015"], Regimen.of([Infusion(0, 40, 35)]), weight_kg=None)


def test_a_route_the_model_does_not_describe_is_refused() -> None:
    with pytest.raises(ClinicalInputError, match="does not model route nasal"):
        simulate(MODELS["clements1981"], Regimen.of([NasalDose(0, 1)]), weight_kg=70)


def test_hydrochloride_doses_are_converted_to_base() -> None:
    assert to_base_mg(100.0, DoseBasis.HYDROCHLORIDE) == pytest.approx(86.70, abs=0.01)
    assert to_base_mg(100.0, DoseBasis.BASE) == 100.0


def test_nasal_doses_must_be_whole_devices() -> None:
    with pytest.raises(ClinicalInputError, match="multiple of 28"):
        NasalDose.of_mg(0, 50)


def test_japanese_fraction_cannot_exceed_one() -> None:
    model = MODELS["perezruixo2021"]
    params = model.typical_parameters()
    params["frn"] = np.array([0.9])
    instance = model.instance(
        params,
        weight_kg=None,
        covariates=Covariates(japanese=True),
        routes=frozenset({PkRoute.NASAL}),
    )
    assert instance.nasal is not None
    assert instance.nasal.fraction_nasal_first_device[0] == 1.0


def test_predict_session_returns_curve_band_and_disclaimer_for_a_charted_infusion() -> None:
    records = [
        Administration(PkRoute.IV_INFUSION, T0, dose_mg=10, stop=T0 + dt.timedelta(minutes=20)),
        # paused 5 min, then restarted at a charted rate
        Administration(
            PkRoute.IV_INFUSION,
            T0 + dt.timedelta(minutes=25),
            rate_mg_per_h=22.5,
            stop=T0 + dt.timedelta(minutes=45),
        ),
    ]
    p = predict_session(
        weight_kg=70, administrations=records, model_id="fanta2015", band_patients=200
    )
    assert p.band is not None and p.band.values_ng_per_ml.shape == (3, p.times_min.size)
    assert np.all(p.band.at(5.0) <= p.band.at(95.0))
    assert p.tmax_min == pytest.approx(45.0)
    assert "antidepressant response" in p.disclaimer
    assert p.times()[0] == T0


def test_predict_session_with_the_default_model_says_why_there_is_no_band() -> None:
    records = [
        Administration(PkRoute.IV_INFUSION, T0, dose_mg=35, stop=T0 + dt.timedelta(minutes=40))
    ]
    p = predict_session(weight_kg=70, administrations=records)
    assert p.model_id == "clements1981" and p.band is None
    assert "No band" in p.band_note
    assert p.cmax_ng_per_ml == pytest.approx(177.3, abs=0.1)


def test_predict_session_refuses_naive_datetimes() -> None:
    naive = dt.datetime(2025, 3, 1, 9, 0)
    with pytest.raises(ClinicalInputError, match="timezone"):
        predict_session(
            weight_kg=70,
            administrations=[Administration(PkRoute.IV_BOLUS, naive, dose_mg=10)],
        )
