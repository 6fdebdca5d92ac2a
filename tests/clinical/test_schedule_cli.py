"""``remission schedule``: one JSON object out, or one error line and exit status 2."""

from __future__ import annotations

import json
import re

import pytest

from remission.cli import main

WILDCARD = "…"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object, str]:
    code = main(["schedule", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_schedule_prints_the_dated_sessions_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, err = run(
        capsys,
        "--protocol", "iv-induction-3x-weekly", "--start", "2026-12-01",
        "--clinic-days", "mon,wed,fri", "--time", "09:00",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert isinstance(result, dict)
    assert result["protocol"] == "iv-induction-3x-weekly"
    assert [s["date"] for s in result["sessions"]] == [
        "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11", "2026-12-14",
    ]  # fmt: skip
    assert result["sessions"][0] == {
        "sequence": 1, "kind": "dosing", "dose": 1, "date": "2026-12-02",
        "start": "09:00", "end": "11:00", "chair": 1,
    }  # fmt: skip
    assert result["moves"] == []


def test_a_move_is_reported_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(
        capsys,
        "--protocol", "iv-booster", "--start", "2026-12-25", "--holidays", "2026-12-25,2026-12-28",
    )  # fmt: skip
    assert isinstance(result, dict)
    (move,) = result["moves"]
    assert move["explanation"] == (
        "2026-12-25 is a clinic holiday; 2026-12-28 is a clinic holiday; moved to 2026-12-29"
    )


def test_bookings_take_a_chair_number(capsys: pytest.CaptureFixture[str]) -> None:
    _, result, _ = run(
        capsys,
        "--protocol", "iv-booster", "--start", "2026-12-02", "--chairs", "2", "--time", "09:00",
        "--booked", "2026-12-02@08:00-12:00#1",
    )  # fmt: skip
    assert isinstance(result, dict)
    assert result["sessions"][0]["chair"] == 2


def test_list_shows_every_protocol_with_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = run(capsys, "--list")
    assert code == 0
    assert isinstance(result, dict)
    assert len(result["protocols"]) == 9
    for protocol in result["protocols"]:
        assert protocol["sources"]
        assert all(re.search(r"\[(src|2nd|mem|\?)\]$", s) for s in protocol["sources"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--list", "--protocol", "kap"], "use --list or --protocol, not both"),
        (["--protocol", "kap"], "--start is required with --protocol"),
        (["--protocol", "kap", "--start", "2026-12-01", "--clinic-days", "mon,xyz"], "'xyz'"),
        (["--protocol", "kap", "--start", "2026-12-01", "--hours", "0800"], "HH:MM-HH:MM"),
        (["--protocol", "kap", "--start", "2026-12-01", "--hours", "18:00-08:00"], "precede"),
        (["--protocol", "kap", "--start", "2026-12-01", "--holidays", "25/12"], "--holidays"),
        (["--protocol", "kap", "--start", "2026-12-01", "--booked", "2026-12-02"], "DATE@HH:MM"),
        (
            ["--protocol", "kap", "--start", "2026-12-01", "--booked", "2026-12-02@09:00-10:00#x"],
            "not a chair number",
        ),
        (["--protocol", "kap", "--start", "2026-12-01", "--chairs", "0"], "at least one chair"),
        (["--protocol", "kap", "--start", "2026-12-01", "--timezone", "Mars/Base"], "time zone"),
        (["--protocol", "kap", "--start", "2026-12-01", "--time", "9"], "not a time"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    try:
        code = main(["schedule", *args])
    except SystemExit as exc:  # argparse reports option errors by exiting
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("remission schedule: error: ")
    assert message in err


# -- the documented examples are the real output ------------------------------------------------
