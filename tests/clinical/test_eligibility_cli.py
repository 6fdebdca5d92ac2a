"""``remission eligibility``: reading an intake file, the JSON record, settings and errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from remission.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ELIGIBLE = str(EXAMPLES / "intake-eligible.json")
CONTRAINDICATED = str(EXAMPLES / "intake-contraindicated.json")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        status = main(["eligibility", *argv])
    except SystemExit as exit_:  # argparse usage errors exit from inside the parser
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def screen(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1, "an error is exactly one line"
    assert err.startswith("remission eligibility: error: ")
    return err.removeprefix("remission eligibility: error: ").rstrip("\n")


def write_intake(tmp_path: Path, change: Any) -> str:
    data = json.loads(Path(ELIGIBLE).read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "intake.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_record_has_notice_routes_treatment_resistance_and_settings(capsys):
    record = screen(capsys, "--intake", ELIGIBLE)
    assert list(record) == [
        "decision_support_notice",
        "routes",
        "treatment_resistance",
        "settings_used",
    ]
    assert "prescriber" in record["decision_support_notice"]
    assert list(record["routes"]) == ["iv_racemic", "im_racemic", "esketamine_nasal"]


def test_eligible_example_is_eligible_on_every_route_with_msm_moderate_7(capsys):
    record = screen(capsys, "--intake", ELIGIBLE)
    for decision in record["routes"].values():
        assert decision == {"status": "eligible", "reasons": []}
    resistance = record["treatment_resistance"]
    assert resistance["failed_adequate_trials"] == 2
    assert resistance["is_treatment_resistant"] is True
    msm = resistance["maudsley"]
    assert [msm[p]["points"] for p in ("duration", "severity", "antidepressant_failures")] == [
        2,
        3,
        1,
    ]
    assert (msm["augmentation"]["points"], msm["ect"]["points"]) == (1, 0)
    assert (msm["total"], msm["band"]) == (7, "moderate")
    assert msm["antidepressant_failures"]["evidence"]["confidence"] == "mem"


def test_contraindicated_example_lists_every_reason_with_evidence(capsys):
    record = screen(capsys, "--intake", CONTRAINDICATED)
    iv = record["routes"]["iv_racemic"]
    assert iv["status"] == "contraindicated"
    assert [r["code"] for r in iv["reasons"]] == [
        "intracerebral_haemorrhage",
        "benzodiazepine_above_threshold",
        "blood_pressure_above_pretreatment_threshold",
        "benzodiazepine_on_dosing_day",  # lorazepam 1.5 mg twice daily: on board that day
        "cns_depressant_benzodiazepine",
        "not_treatment_resistant",
        "stop_bang_intermediate_risk",  # tired, high blood pressure, age 58
    ]
    first = iv["reasons"][0]
    assert first["severity"] == "absolute"
    assert first["routes"] == ["iv_racemic", "im_racemic"]
    assert "I61.9" in first["message"]
    assert set(first["evidence"]) == {"citation", "confidence", "url", "note"}
    esketamine = record["routes"]["esketamine_nasal"]
    assert esketamine["reasons"][0]["evidence"]["confidence"] == "src"


def test_no_failed_trial_prints_null_msm_with_the_reason(capsys, tmp_path):
    path = write_intake(tmp_path, lambda d: d.update(antidepressant_trials=[]))
    resistance = screen(capsys, "--intake", path)["treatment_resistance"]
    assert resistance["maudsley"] is None
    assert "at least one failed" in resistance["maudsley_not_staged_reason"]


def test_settings_change_the_screening_and_are_echoed(capsys):
    record = screen(
        capsys, "--intake", ELIGIBLE, "--setting", "eligibility.trd_minimum_failed_trials=3"
    )
    assert record["routes"]["esketamine_nasal"]["status"] == "needs_review"
    assert record["settings_used"]["eligibility.trd_minimum_failed_trials"] == 3


def test_boolean_setting_is_read_as_json(capsys, tmp_path):
    path = write_intake(
        tmp_path,
        lambda d: d["antidepressant_trials"][0].update(outcome="partial"),
    )
    assert screen(capsys, "--intake", path)["treatment_resistance"]["failed_adequate_trials"] == 1
    counted = screen(
        capsys,
        "--intake",
        path,
        "--setting",
        "eligibility.trd_partial_response_counts_as_failure=true",
    )
    assert counted["treatment_resistance"]["failed_adequate_trials"] == 2


def test_missing_file_is_one_line_error(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    assert refused(capsys, "--intake", str(missing)) == (
        f"cannot read {missing}: No such file or directory"
    )


def test_invalid_json_names_line_and_column(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"age_years": 40,\n  oops}', encoding="utf-8")
    assert refused(capsys, "--intake", str(path)) == (
        f"{path} is not valid JSON: Expecting property name enclosed in double quotes "
        "(line 2, column 3)"
    )


def test_intake_that_is_not_utf8_is_refused(capsys, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"drug": "clomipramine é"}'.encode("latin-1"))
    assert refused(capsys, "--intake", str(path)) == f"{path} is not UTF-8 text"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(extra=1), "unknown field 'extra'"),
        (lambda d: d.update(age_years=130), "age_years must be between 0 and 120, got 130"),
        (lambda d: d["history"].pop("glaucoma_or_raised_intraocular_pressure"),
         "missing field(s) history.glaucoma_or_raised_intraocular_pressure"),
        (lambda d: d["antidepressant_trials"][2].update(adherence="sometimes"),
         "antidepressant_trials[2].adherence: 'sometimes' is not one of good, partial, poor"),
    ],
)  # fmt: skip
def test_invalid_intake_is_refused_naming_the_field(capsys, tmp_path, change, message):
    assert refused(capsys, "--intake", write_intake(tmp_path, change)) == message


def test_out_of_bounds_setting_is_refused(capsys):
    assert refused(
        capsys, "--intake", ELIGIBLE, "--setting", "eligibility.trd_minimum_failed_trials=9"
    ) == ("eligibility.trd_minimum_failed_trials: 9 is above the maximum 5")


def test_intake_option_is_required(capsys):
    assert refused(capsys) == "the following arguments are required: --intake"
