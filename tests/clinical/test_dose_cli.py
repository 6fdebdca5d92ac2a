"""``remission dose``: the CLI contract, its options and errors, and the documented examples."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from remission.cli import main

REPOSITORY = Path(__file__).resolve().parents[2]
CONTRACT = shlex.split("--weight-kg 82.4 --mg-per-kg 0.5 --minutes 40 --concentration-mg-per-ml 10")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``remission`` in-process: (exit status, stdout, stderr)."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse usage errors exit from inside the parser
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def dose(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, "dose", *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = run(capsys, "dose", *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, "an error is exactly one line"
    assert err.startswith("remission dose: error: ")
    return err.removeprefix("remission dose: error: ").rstrip("\n")


# --- The contract ----------------------------------------------------------------------------


def test_contract_example_prints_exactly_the_documented_line(capsys):
    status, out, err = run(capsys, "dose", *CONTRACT)
    assert status == 0
    assert err == ""
    assert out == (
        '{"dose_mg": 41.2, "volume_ml": 4.12, "rate_ml_per_h": 6.18, "dosing_weight_kg": 82.4, '
        '"basis": "actual", "warnings": []}\n'
    )


@pytest.mark.parametrize(
    "extra",
    [
        ["--route", "iv"],
        ["--basis", "actual"],
        ["--height-cm", "180", "--sex", "male"],
        ["--setting", "dosing.iv.dose_mg_cap=100"],
    ],
)
def test_options_that_change_nothing_leave_the_contract_output_identical(capsys, extra):
    assert dose(capsys, *CONTRACT, *extra) == dose(capsys, *CONTRACT)


def test_ideal_basis_keeps_the_same_keys_in_the_same_order(capsys):
    result = dose(capsys, *CONTRACT, "--basis", "ideal", "--height-cm", "170", "--sex", "female")
    assert list(result) == [
        "dose_mg",
        "volume_ml",
        "rate_ml_per_h",
        "dosing_weight_kg",
        "basis",
        "warnings",
    ]
    assert result["dosing_weight_kg"] == 61.4
    assert result["basis"] == "ideal"


def test_adjusted_basis_with_high_bmi_returns_the_prompt_as_a_warning(capsys):
    result = dose(
        capsys,
        *shlex.split("--weight-kg 120 --mg-per-kg 0.5 --minutes 40 --concentration-mg-per-ml 10"),
        *shlex.split("--basis adjusted --height-cm 170 --sex female"),
    )
    assert result["dosing_weight_kg"] == 84.8
    assert result["dose_mg"] == 42.4
    [warning] = result["warnings"]
    assert warning["code"] == "bmi_confirm_weight_basis"
    assert warning["evidence"]["confidence"] == "?"


def test_details_appends_ideal_weight_bmi_and_rounding_after_the_contract_keys(capsys):
    result = dose(
        capsys, *CONTRACT, "--details", "--basis", "ideal", "--height-cm", "170", "--sex", "female"
    )
    assert list(result)[:6] == [
        "dose_mg",
        "volume_ml",
        "rate_ml_per_h",
        "dosing_weight_kg",
        "basis",
        "warnings",
    ]
    assert result["ideal_body_weight_kg"] == 61.4
    assert result["bmi_kg_per_m2"] == 28.5
    assert {"quantity": "dose_mg", "step": 0.1, "mode": "ROUND_HALF_UP"} in result["rounding"]


def test_soft_limit_warning_is_printed_with_code_message_and_evidence(capsys):
    result = dose(capsys, *CONTRACT[:2], "--mg-per-kg", "1.2", *CONTRACT[4:])
    [warning] = result["warnings"]
    assert set(warning) == {"code", "message", "evidence"}
    assert set(warning["evidence"]) == {"citation", "confidence", "url", "note"}


# --- IM and esketamine -----------------------------------------------------------------------


def test_im_route_prints_volume_and_a_null_rate(capsys):
    result = dose(
        capsys, "--route", "im", "--weight-kg", "70", "--mg-per-kg", "0.5",
        "--concentration-mg-per-ml", "50",
    )  # fmt: skip
    assert result == {
        "dose_mg": 35.0,
        "volume_ml": 0.7,
        "rate_ml_per_h": None,
        "dosing_weight_kg": 70.0,
        "basis": "actual",
        "warnings": [],
    }


@pytest.mark.parametrize(("mg", "devices", "offsets"), [("56", 2, [0, 5]), ("84", 3, [0, 5, 10])])
def test_esketamine_route_prints_device_count_and_start_offsets(capsys, mg, devices, offsets):
    result = dose(capsys, "--route", "esketamine", "--esketamine-mg", mg)
    assert result == {
        "dose_mg": int(mg),
        "device_count": devices,
        "device_offsets_minutes": offsets,
        "warnings": [],
    }


def test_esketamine_first_induction_dose_of_84_mg_is_warned(capsys):
    result = dose(
        capsys, "--route", "esketamine", "--esketamine-mg", "84", "--first-induction-dose"
    )
    assert [w["code"] for w in result["warnings"]] == ["esketamine_first_dose_not_label_start"]


@pytest.mark.parametrize(
    ("extra", "codes"),
    [
        (["--indication", "mdsi"], []),
        (
            ["--age-years", "65", "--japanese-ancestry", "no"],
            ["esketamine_first_dose_not_label_start"],
        ),
        (["--age-years", "64", "--japanese-ancestry", "no"], []),
        (["--age-years", "64"], ["esketamine_start_fact_not_recorded"]),
    ],
)
def test_the_esketamine_day_1_dose_follows_the_indication_and_under_the_smpc_age_and_ancestry(
    capsys, extra, codes
):
    smpc = ["--setting", "esketamine.label=eu-uk-smpc"] if "--age-years" in extra else []
    mg = "84" if "mdsi" in extra else "56"
    result = dose(
        capsys,
        "--route",
        "esketamine",
        "--esketamine-mg",
        mg,
        "--first-induction-dose",
        *extra,
        *smpc,
    )
    assert [w["code"] for w in result["warnings"]] == codes


# --- Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--weight-kg", "82.4", "--mg-per-kg", "2", "--minutes", "40",
          "--concentration-mg-per-ml", "10"],
         "2 mg/kg is above the hard maximum 1.5 mg/kg for iv_racemic"),
        (["--weight-kg", "0", "--mg-per-kg", "0.5", "--minutes", "40",
          "--concentration-mg-per-ml", "10"],
         "weight_kg must be positive, got 0"),
        (["--weight-kg", "82.4", "--mg-per-kg", "0.5", "--minutes", "0",
          "--concentration-mg-per-ml", "10"],
         "infusion_minutes must be a positive number, got 0"),
        (["--weight-kg", "82.4", "--mg-per-kg", "0.5", "--minutes", "40",
          "--concentration-mg-per-ml", "0"],
         "concentration_mg_per_ml must be a positive number, got 0"),
        ([*CONTRACT, "--basis", "adjusted", "--sex", "male"],
         "adjusted body weight needs height_cm"),
        (["--weight-kg", "82.4", "--mg-per-kg", "0.5", "--concentration-mg-per-ml", "10"],
         "--minutes is required for route iv_racemic"),
        (["--route", "im", *CONTRACT], "--minutes does not apply to route im_racemic"),
        ([*CONTRACT, "--esketamine-mg", "56"], "--esketamine-mg does not apply to route iv_racemic"),
        (["--route", "esketamine"], "--esketamine-mg is required for route esketamine_nasal"),
        (["--route", "esketamine", "--esketamine-mg", "56", "--weight-kg", "80"],
         "--weight-kg does not apply to route esketamine_nasal"),
        (["--route", "esketamine", "--esketamine-mg", "60"],
         "esketamine dose 60 mg is not a whole number of 28 mg devices"),
        (["--route", "esketamine", "--esketamine-mg", "112"],
         "esketamine dose 112 mg is above the maximum 84 mg"),
        ([*shlex.split("--weight-kg 82.4 --mg-per-kg 0.7 --minutes 40 --concentration-mg-per-ml 10"),
          "--setting", "dosing.iv.dose_mg_cap=50"],
         "dose 57.7 mg is above the clinic cap 50 mg for iv_racemic"),
        ([*CONTRACT, "--setting", "dosing.nonsense=1"], "unknown clinical setting 'dosing.nonsense'"),
        ([*CONTRACT, "--setting", "novalue"], "argument --setting: expected KEY=VALUE, got 'novalue'"),
        (["--weight-kg", "heavy"], "argument --weight-kg: expected a number, got 'heavy'"),
        (["--weight-kg", "nan"], "argument --weight-kg: expected a finite number, got 'nan'"),
        (["--route", "oral"], "argument --route: invalid choice: 'oral' (choose from "),
    ],
)  # fmt: skip
def test_refusals_are_one_stderr_line_with_exit_status_2(capsys, argv, message):
    assert refused(capsys, *argv).startswith(message)


# --- The documented examples -----------------------------------------------------------------

ELLIPSIS = "…"


def matches(expected: Any, actual: Any) -> bool:
    """JSON equality where the string "…" stands for any value."""
    if expected == ELLIPSIS:
        return True
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and list(expected) == list(actual)
            and all(matches(expected[k], actual[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)
