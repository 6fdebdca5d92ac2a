"""``remission discharge``: facts in, the scored readiness out; bad facts are one error line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from remission.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
READY = json.loads((EXAMPLES / "discharge-ready.json").read_text(encoding="utf-8"))


def run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, facts: Any, *argv: str
) -> tuple[int, str, str]:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    status = main(["discharge", "--facts", str(path), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assessed(capsys: pytest.CaptureFixture[str], tmp_path: Path, facts: Any, *argv: str) -> Any:
    status, out, err = run(capsys, tmp_path, facts, *argv)
    assert (status, err) == (0, "")
    return json.loads(out)


def refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, facts: Any) -> str:
    status, out, err = run(capsys, tmp_path, facts)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    return err.removeprefix("remission discharge: error: ").rstrip("\n")


def changed(**fields: Any) -> dict[str, Any]:
    facts = json.loads(json.dumps(READY))
    facts.update(fields)
    return facts


def charted(**fields: Any) -> dict[str, Any]:
    return changed(charted=READY["charted"] | fields)


def test_the_ready_example_scores_ten_and_lists_no_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = assessed(capsys, tmp_path, READY)
    assert result["ready"] is True
    assert result["score"]["total"] == sum(i["points"] for i in result["items"]) == 10
    assert result["reasons"] == []


def test_no_assessment_charted_lists_every_item_with_its_evidence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    result = assessed(capsys, tmp_path, changed(charted=None))
    assert result["ready"] is False
    criteria = [r["criterion"] for r in result["reasons"]]
    assert criteria == ["oriented", *["discharge_score"] * 4, "escort", "driving_advice"]
    assert all(
        r["evidence"].endswith(("[src]", "[2nd]", "[mem]", "[?]")) for r in result["reasons"]
    )


def test_the_pass_mark_is_a_clinic_setting(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    facts = charted(pain=1)
    assert assessed(capsys, tmp_path, facts)["ready"] is True  # 9 of 10 passes at 9
    strict = assessed(
        capsys, tmp_path, facts, "--setting", "monitoring.discharge_score_at_or_above=10"
    )
    assert strict["ready"] is False
    assert strict["reasons"][0]["reason"] == "modified PADSS 9 of 10 (needs ≥ 10)"


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (changed(now="2026-12-02T11:15:00"), "now: give the time with its UTC offset"),
        (changed(now="tomorrow"), "now: expected an ISO 8601 time, got 'tomorrow'"),
        (charted(pain=3), "charted: pain must be 0, 1 or 2, got 3"),
        (charted(activity=2), "charted: activity is not an item of the modified PADSS score"),
        (changed(score="steward"), "score: 'steward' is not one of padss, aldrete"),
        (changed(protocol="iv-daily"), "unknown protocol"),
        (
            changed(charted=READY["charted"] | {"charted_at": "2026-12-02T12:00:00+00:00"}),
            "after now",
        ),
    ],
)
def test_bad_facts_are_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, facts: Any, message: str
) -> None:
    assert message in refused(capsys, tmp_path, facts)
