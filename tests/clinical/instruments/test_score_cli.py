"""``remission score``: one JSON object on stdout, or one error line on stderr and exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from remission.cli import main

PHQ9_EXAMPLE = (
    '{"instrument": "phq9", "total": 10, "max": 27, "severity": "moderate", '
    '"valid": true, "missing": 0, "flags": []}\n'
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["score", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_phq9_example_prints_exactly_the_contract_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "phq9", "--answers", "2,2,1,1,0,1,2,1,0")
    assert (code, out, err) == (0, PHQ9_EXAMPLE, "")


def test_qids_output_adds_the_domain_subscores(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "qids-sr16", "--answers", "1,2,0,0,1,0,2,0,1,1,1,1,0,2,1,0")
    result = json.loads(out)
    assert code == 0
    assert result["total"] == 11
    assert result["subscores"]["sleep"] == 2
    assert result["subscores"]["appetite_weight"] == 2
    assert [flag["id"] for flag in result["flags"]] == ["qids_item12_positive"]


def test_baseline_answers_add_change_keys_after_the_score_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        "phq9",
        "--answers",
        "1,1,0,1,0,0,1,0,0",
        "--baseline-answers",
        "3,3,2,2,2,2,2,2,1",
    )
    result = json.loads(out)
    assert code == 0
    assert list(result) == [
        "instrument",
        "total",
        "max",
        "severity",
        "valid",
        "missing",
        "flags",
        "baseline_total",
        "change",
        "percent_change",
        "response",
        "remission",
        "meets_mcid",
    ]
    assert (result["baseline_total"], result["change"], result["percent_change"]) == (
        19,
        -15,
        -78.9,
    )
    assert (result["response"], result["remission"], result["meets_mcid"]) == (True, True, True)


@pytest.mark.parametrize("missing", ["", "-", " - "])
def test_an_empty_field_or_dash_is_a_missing_answer(
    capsys: pytest.CaptureFixture[str], missing: str
) -> None:
    code, out, _ = run(capsys, "phq9", "--answers", f"2,{missing},1,1,0,1,2,1,0")
    result = json.loads(out)
    assert code == 0
    assert (result["total"], result["valid"], result["missing"]) == (None, False, 1)
    assert result["severity"] is None
    assert "item 2 missing" in result["reason"]


def test_a_missing_first_answer_is_written_with_an_equals_sign(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "phq9", "--answers=-,2,1,1,0,1,2,1,0")
    assert code == 0
    assert json.loads(out)["missing"] == 1


def test_a_clinic_setting_changes_madrs_remission(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "madrs",
        "--answers",
        "1,1,1,1,1,1,2,2,2,0",
        "--baseline-answers",
        "3,3,3,3,3,3,3,3,3,3",
    ]
    _, default_out, _ = run(capsys, *argv)
    _, clinic_out, _ = run(capsys, *argv, "--setting", "instruments.madrs.remission_max_total=12")
    assert json.loads(default_out)["remission"] is False
    assert json.loads(clinic_out)["remission"] is True


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["phq9", "--answers", "2,2,1,4,0,1,2,1,0"],
            "phq9: item 4 answer 4 is out of range 0–3",
        ),
        (["phq9", "--answers", "2,2,1"], "phq9: expected 9 answers, got 3"),
        (
            ["phq9", "--answers", "2,2,1,1.5,0,1,2,1,0"],
            "phq9: item 4 answer '1.5' is not a whole number",
        ),
        (
            ["cgi-i", "--answers", "2", "--baseline-answers", "4"],
            "cgi-i: comparing two administrations is not defined for this scale",
        ),
        (
            ["phq9", "--answers", "0,0,0,0,0,0,0,0,0", "--setting", "instruments.phq9.x=1"],
            "unknown clinical setting 'instruments.phq9.x'",
        ),
    ],
)
def test_bad_input_prints_one_error_line_and_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err == f"remission score: error: {message}\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["beck", "--answers", "1"],
        ["phq9"],
        ["phq9", "--answers", "-,1,1,1,1,1,1,1,1"],
        ["madrs", "--answers", "0,0,0,0,0,0,0,0,0,0", "--setting", "nonsense"],
    ],
)
def test_usage_errors_exit_2_with_one_stderr_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["score", *argv])
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert err.startswith("remission score: error: ")
    assert err.count("\n") == 1


def test_console_script_prints_the_phq9_example() -> None:
    script = Path(sys.executable).parent / "remission"
    if not script.exists():
        found = shutil.which("remission")
        if found is None:
            pytest.skip("console script not installed")
        script = Path(found)
    completed = subprocess.run(
        [str(script), "score", "phq9", "--answers", "2,2,1,1,0,1,2,1,0"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (completed.returncode, completed.stdout, completed.stderr) == (0, PHQ9_EXAMPLE, "")
