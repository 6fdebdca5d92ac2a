"""Small modules over god files: the limits the architecture issue set, checked on every run.

A module in src/ stays within 800 lines and a function within 80; declarative data tables and
migrations are the exception, named here so that a new one is a decision, not an accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "remission"
MODULE_MAX_LINES = 800
FUNCTION_MAX_LINES = 80
# Declarative tables: rows of data, not logic (none is over the limit today).
DATA_TABLES: frozenset[str] = frozenset()


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _name(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


def test_no_module_is_over_the_limit() -> None:
    long = [
        f"{_name(p)}: {n} lines"
        for p in _modules()
        if (n := len(p.read_text().splitlines())) > MODULE_MAX_LINES and _name(p) not in DATA_TABLES
    ]
    assert long == []


def test_no_function_is_over_the_limit() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_MAX_LINES:
                    long.append(f"{_name(path)}:{node.lineno} {node.name}: {lines} lines")
    assert long == []


@pytest.mark.parametrize("limit", [MODULE_MAX_LINES, FUNCTION_MAX_LINES])
def test_the_limits_are_the_ones_the_architecture_records(limit: int) -> None:
    assert f"{limit} lines" in (SRC.parents[1] / "docs" / "architecture.md").read_text()
