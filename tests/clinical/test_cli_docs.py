"""Every example in docs/cli.md prints exactly what the page shows.

A ```console block holds ``$ remission …`` lines, each followed by its expected output: one
JSON object (stdout, exit 0) or one error line (stderr, exit 2). In expected JSON the string
"…" stands for any value; everything else (keys, their order, values) must match exactly.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from remission.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
ANY = "…"


def examples() -> list[tuple[str, str]]:
    found = []
    for block in re.findall(r"```console\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S):
        command, expected = None, []
        for line in block.rstrip("\n").split("\n"):
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(expected)))
                command, expected = line[2:], []
            else:
                expected.append(line)
        if command is not None:
            found.append((command, "\n".join(expected)))
    return found


EXAMPLES = examples()


def matches(expected: Any, actual: Any) -> bool:
    if expected == ANY:
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
    return type(expected) is type(actual) and expected == actual


def test_the_page_documents_every_clinical_command_with_an_error_example() -> None:
    commands = {shlex.split(command)[1] for command, _ in EXAMPLES}
    assert commands == {"score", "dose", "eligibility", "schedule", "pk", "vitals", "discharge"}
    for name in commands:
        assert any(shlex.split(c)[1] == name and " error: " in out for c, out in EXAMPLES), (
            f"no error example for {name}"
        )


@pytest.mark.parametrize(("command", "expected"), EXAMPLES, ids=[c[:80] for c, _ in EXAMPLES])
def test_documented_example_prints_what_the_page_shows(
    command: str, expected: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    argv = shlex.split(command)
    assert argv[0] == "remission"
    try:
        status = main(argv[1:])
    except SystemExit as exited:  # argparse usage errors
        status = int(exited.code or 0)
    out, err = capsys.readouterr()
    if expected.startswith("remission ") and " error: " in expected:
        assert (status, out, err) == (2, "", expected + "\n")
    else:
        assert (status, err) == (0, "")
        assert matches(json.loads(expected), json.loads(out)), out
