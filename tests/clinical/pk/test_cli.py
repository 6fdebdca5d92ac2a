"""``remission pk``: documented examples, outputs and one-line errors."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from remission.cli import main


def _run(capsys: pytest.CaptureFixture[str], command: str) -> tuple[int, Any, str]:
    code = main(shlex.split(command)[1:])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def test_simulate_reports_the_exact_peak_not_the_grid_peak(capsys) -> None:  # type: ignore[no-untyped-def]
    _, out, _ = _run(
        capsys,
        "remission pk simulate --model clements1981 --weight-kg 70 --iv 0.5mg/kg:40min@0 --until-min 240 --step-min 60",
    )
    assert out["cmax"] == pytest.approx(177.31, abs=0.005) and out["tmax_min"] == pytest.approx(
        40.0
    )
    assert max(out["concentration"]) < out["cmax"]
    assert "metabolites" not in out  # not modelled


def test_hydrochloride_doses_lower_the_curve_by_the_molar_mass_ratio(capsys) -> None:  # type: ignore[no-untyped-def]
    base = "remission pk simulate --model clements1981 --weight-kg 70 --iv 35mg:40min@0 --step-min 40 --until-min 40"
    _, as_base, _ = _run(capsys, base)
    _, as_salt, _ = _run(capsys, base + " --dose-as hydrochloride")
    assert as_salt["total_dose_mg"] == pytest.approx(35 * 237.73 / 274.19, abs=1e-3)
    assert as_salt["cmax"] == pytest.approx(as_base["cmax"] * 237.73 / 274.19, abs=0.01)


def test_population_is_reproducible_with_a_seed(capsys) -> None:  # type: ignore[no-untyped-def]
    cmd = "remission pk population --model herd2007 --weight-kg 30 --bolus 1mg/kg@0 --n 500 --seed 3 --until-min 60 --step-min 10"
    _, first, _ = _run(capsys, cmd)
    _, second, _ = _run(capsys, cmd)
    assert first == second
    assert first["bands"]["ketamine"]["p5"][1] < first["bands"]["ketamine"]["p95"][1]
    assert first["warnings"]  # paediatric


def test_svg_option_writes_a_chart_with_the_band(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    svg = tmp_path / "curve.svg"
    code, out, _ = _run(
        capsys,
        f"remission pk simulate --model fanta2015 --weight-kg 70 --iv 0.25mg/kg:40min@0 --step-min 10 --band-n 200 --svg {svg}",
    )
    assert code == 0 and out["svg"] == str(svg)
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and len(text) < 200_000


def test_validate_writes_the_report_and_its_plots(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "pk-validation.md"
    code, out, _ = _run(capsys, f"remission pk validate --write {page}")
    assert code == 0 and out is None
    assert "do not predict antidepressant response" in page.read_text(encoding="utf-8")
    assert len(list((tmp_path / "pk-validation").glob("*.svg"))) == 7


def test_validate_prints_the_anchors_as_json(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = _run(capsys, "remission pk validate")
    assert code == 0
    assert any(a["model"] == "perezruixo2021" and a["verdict"] == "within" for a in out["anchors"])


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("remission pk simulate --model clements1981 --iv 0.5mg/kg:40min@0", "needs --weight-kg"),
        ("remission pk simulate --model clements1981 --weight-kg 70 --iv 35mg@0", "DOSE:DURATION"),
        (
            "remission pk simulate --model clements1981 --weight-kg 70 --iv 35mgs:40min@0",
            "cannot read dose",
        ),
        (
            "remission pk simulate --model clements1981 --weight-kg 70 --iv 35mg:40min@tomorrow",
            "cannot read --iv start",
        ),
        (
            "remission pk simulate --model clements1981 --weight-kg 70 --bolus 5mg/h@0",
            "only makes sense for --iv",
        ),
        (
            "remission pk simulate --model clements1981 --weight-kg 70 --nasal 56mg@0",
            "does not model route nasal",
        ),
        ("remission pk simulate --model perezruixo2021 --im 28mg@0", "does not model route im"),
        ("remission pk simulate --model perezruixo2021 --nasal 50mg@0", "multiple of 28"),
        (
            "remission pk simulate --model herd2007 --weight-kg 80 --iv 35mg:40min@0",
            "not extrapolated",
        ),
        ("remission pk simulate --model clements1981 --weight-kg 70", "give at least one dose"),
        (
            "remission pk simulate --model clements1981 --weight-kg 70 --iv 35mg:40min@0 --repeat 3",
            "--every",
        ),
        (
            "remission pk population --model domino1984 --weight-kg 70 --iv 35mg:40min@0",
            "no inter-individual",
        ),
        ("remission pk simulate --model clements1981 --weight-kg 900 --iv 35mg:40min@0", "outside"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_2(capsys, command: str, message: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _run(capsys, command)
    assert code == 2 and out is None
    assert err.count("\n") == 1 and message in err


def test_unknown_model_is_an_argument_error(capsys) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as exc:
        main(["pk", "simulate", "--model", "nope", "--iv", "35mg:40min@0"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_machine_output_keeps_nine_significant_digits(capsys) -> None:  # type: ignore[no-untyped-def]
    """Late-curve values keep their relative precision: JSON is not rounded for a screen."""
    _, out, _ = _run(
        capsys,
        "remission pk simulate --model clements1981 --weight-kg 70 --iv 0.5mg/kg:40min@0 --until-min 1440 --step-min 360",
    )
    late = out["concentration"][-1]
    assert 0 < late < 10
    assert len(f"{late:.12g}".replace(".", "").lstrip("0")) >= 7  # not cut to 0.01 ng/mL
