"""The layers contract is real: every package sits in one layer, and an upward import fails
``lint-imports`` (run by ``make test``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import remission

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _contract(kind: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["type"] == kind)


def _packages() -> set[str]:
    package_dir = Path(remission.__file__).parent
    return {
        f"remission.{p.stem}"
        for p in package_dir.iterdir()
        if ((p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py")
        and p.stem not in {"__init__", "__main__"}
    }


def test_every_package_has_a_layer() -> None:
    layers = _contract("layers")["layers"]
    assert isinstance(layers, list)
    placed = [name.strip() for layer in layers for name in layer.split("|")]
    assert sorted(placed) == sorted(set(placed)), "a package stands in two layers"
    assert set(placed) == _packages()


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": str(tree / "src"), "PATH": str(LINT_IMPORTS.parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(
        ROOT / "src" / "remission",
        tmp_path / "src" / "remission",
        ignore=shutil.ignore_patterns("__pycache__", "migrations"),
    )
    return tmp_path


def test_the_tree_keeps_its_layers(tree_copy: Path) -> None:
    result = _lint(tree_copy)
    assert result.returncode == 0, result.stdout


def test_an_upward_import_breaks_the_layers_contract(tree_copy: Path) -> None:
    # booking reaching up into charting, the knot the scheduling app untied
    module = tree_copy / "src" / "remission" / "scheduling" / "selectors.py"
    module.write_text(
        module.read_text(encoding="utf-8") + "\nfrom remission.chairside import models as _up\n",
        encoding="utf-8",
    )
    result = _lint(tree_copy)
    assert result.returncode != 0
    assert "remission.scheduling is not allowed to import remission.chairside" in result.stdout
