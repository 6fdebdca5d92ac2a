"""Generated documentation stays in step with the code that defines it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import remission
from remission.accounts.roles import roles_table_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_security_roles_table_matches_the_code() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("<!-- roles:start -->\n", 1)[1].split("<!-- roles:end -->", 1)[0]
    assert section.strip() == roles_table_markdown().strip(), "run `make docs`"


def test_the_import_contract_forbids_every_other_remission_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    assert contract["source_modules"] == ["remission.clinical"]
    package_dir = Path(remission.__file__).parent
    others = {
        f"remission.{p.name}"
        for p in package_dir.iterdir()
        if ((p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py")
        and p.stem not in {"clinical", "__init__", "__main__"}
    }
    others = {name.removesuffix(".py") for name in others}
    assert {"django", "ninja"} <= set(contract["forbidden_modules"])
    assert others <= set(contract["forbidden_modules"]), others - set(contract["forbidden_modules"])
