"""docs/clinical-rules.md is generated from the registry and never stale."""

from __future__ import annotations

from pathlib import Path

from remission.clinical import registry

PAGE = Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md"


def test_the_rules_page_matches_the_registry() -> None:
    assert PAGE.read_text(encoding="utf-8") == registry.render_markdown(), (
        "docs/clinical-rules.md is stale: run `remission clinical-rules --write docs/clinical-rules.md`"
    )


def test_every_default_names_its_source_and_confidence() -> None:
    defaults = registry.all_defaults()
    groups = {d.group for d in defaults}
    assert groups >= {"dosing", "eligibility", "instruments", "monitoring", "outcomes", "protocols"}
    for default in defaults:
        assert default.evidence.citation.strip(), default.key
        assert default.evidence.confidence.value in {"src", "2nd", "mem", "?"}, default.key
        assert f"`{default.key}`" in PAGE.read_text(encoding="utf-8")
