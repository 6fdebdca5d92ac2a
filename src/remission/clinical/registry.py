"""The registry of configurable clinical defaults.

Every threshold, interval, limit and cut-off that a clinic may change is defined once here,
with its unit, bounds, source and confidence. Modules of the clinical core call ``define`` at
import time and read values through ``resolve`` with the clinic's overrides, so a clinic's
setting and the published default can never drift apart. Fixed clinical tables that a clinic
does not configure (what follows from a route, the pre-dose checklist, ...) are registered
with ``define_table``, one source per row, so they are reviewed on the same page:
``docs/clinical-rules.md`` is generated from this registry (``render_markdown``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from remission.clinical.errors import ClinicalInputError
from remission.clinical.evidence import Evidence

DefaultValue = Decimal | int | bool | str
Overrides = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class ClinicalDefault:
    """One configurable clinical default and where it comes from."""

    key: str
    value: DefaultValue
    unit: str
    title: str
    evidence: Evidence
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[str, ...] = ()

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    def coerce(self, raw: object) -> DefaultValue:
        """Return ``raw`` as this default's type, or raise ``ClinicalInputError``."""
        if isinstance(self.value, bool):
            if isinstance(raw, bool):
                return raw
            raise ClinicalInputError(f"{self.key}: expected true or false, got {raw!r}")
        if isinstance(self.value, str):
            if not isinstance(raw, str):
                raise ClinicalInputError(f"{self.key}: expected text, got {raw!r}")
            if self.choices and raw not in self.choices:
                allowed = ", ".join(self.choices)
                raise ClinicalInputError(f"{self.key}: {raw!r} is not one of {allowed}")
            return raw
        number = _to_decimal(self.key, raw)
        if isinstance(self.value, int) and number != number.to_integral_value():
            raise ClinicalInputError(f"{self.key}: expected a whole number, got {raw!r}")
        if self.minimum is not None and number < self.minimum:
            raise ClinicalInputError(f"{self.key}: {number} is below the minimum {self.minimum}")
        if self.maximum is not None and number > self.maximum:
            raise ClinicalInputError(f"{self.key}: {number} is above the maximum {self.maximum}")
        return int(number) if isinstance(self.value, int) else number


def _to_decimal(key: str, raw: object) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ClinicalInputError(f"{key}: expected a number, got {raw!r}")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise ClinicalInputError(f"{key}: expected a number, got {raw!r}") from None
    if not number.is_finite():
        raise ClinicalInputError(f"{key}: expected a finite number, got {raw!r}")
    return number


@dataclass(frozen=True, slots=True)
class TableRow:
    cells: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class RuleTable:
    """A fixed clinical table (not configurable per clinic), each row with its sources."""

    key: str
    title: str
    intro: str
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]


_REGISTRY: dict[str, ClinicalDefault] = {}
_TABLES: dict[str, RuleTable] = {}


def define(
    key: str,
    value: DefaultValue,
    *,
    unit: str,
    title: str,
    evidence: Evidence,
    minimum: Decimal | int | str | None = None,
    maximum: Decimal | int | str | None = None,
    choices: tuple[str, ...] = (),
) -> ClinicalDefault:
    """Register a default; call once per key at module import time."""
    if key in _REGISTRY:
        raise RuntimeError(f"clinical default {key!r} is defined twice")
    default = ClinicalDefault(
        key=key,
        value=value,
        unit=unit,
        title=title,
        evidence=evidence,
        minimum=None if minimum is None else Decimal(str(minimum)),
        maximum=None if maximum is None else Decimal(str(maximum)),
        choices=choices,
    )
    default.coerce(value)  # a default must satisfy its own bounds
    _REGISTRY[key] = default
    return default


def define_table(
    key: str, *, title: str, intro: str, columns: tuple[str, ...], rows: tuple[TableRow, ...]
) -> RuleTable:
    """Register a fixed table; call once per key at module import time."""
    if key in _TABLES:
        raise RuntimeError(f"clinical table {key!r} is defined twice")
    for row in rows:
        if len(row.cells) != len(columns) or not row.evidence:
            raise RuntimeError(f"clinical table {key!r}: each row needs its cells and a source")
    table = RuleTable(key=key, title=title, intro=intro, columns=columns, rows=rows)
    _TABLES[key] = table
    return table


def all_tables() -> list[RuleTable]:
    _load_all()
    return sorted(_TABLES.values(), key=lambda t: t.key)


def resolve(key: str, overrides: Overrides | None = None) -> DefaultValue:
    """The clinic's value for ``key`` (validated) or the published default."""
    default = get(key)
    if overrides and key in overrides:
        return default.coerce(overrides[key])
    return default.value


def resolve_decimal(key: str, overrides: Overrides | None = None) -> Decimal:
    value = resolve(key, overrides)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"{key} is not numeric")
    return Decimal(value)


def get(key: str) -> ClinicalDefault:
    if key not in _REGISTRY:
        _load_all()  # the key may belong to a module not imported yet
    try:
        return _REGISTRY[key]
    except KeyError:
        raise ClinicalInputError(f"unknown clinical setting {key!r}") from None


def validate_overrides(overrides: Overrides) -> dict[str, DefaultValue]:
    """Check a clinic's whole override map; return it with values coerced."""
    return {key: get(key).coerce(raw) for key, raw in overrides.items()}


def all_defaults() -> list[ClinicalDefault]:
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda d: d.key)


_loaded = False


def _load_all() -> None:
    """Import every module of the clinical core so each has defined its defaults."""
    global _loaded
    if _loaded:
        return
    import remission.clinical as package

    for module in pkgutil.walk_packages(package.__path__, prefix="remission.clinical."):
        importlib.import_module(module.name)
    _loaded = True


def _format_value(default: ClinicalDefault) -> str:
    value = default.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value} {default.unit}".strip()


def render_markdown() -> str:
    """The text of ``docs/clinical-rules.md``."""
    lines = [
        "# Clinical rules and defaults",
        "",
        "Generated from `remission.clinical.registry` by `remission clinical-rules --write`;",
        "do not edit by hand (a test fails when this file is stale).",
        "",
        "Every value is a configurable default, not a verdict: each clinic may override it",
        "within the bounds shown, and a clinician signs off every decision it supports.",
        "Confidence labels: `src` read in the primary source; `2nd` read only in a secondary",
        "source; `mem` recalled, not re-checked; `?` uncertain or a practice convention.",
        "",
    ]
    current_group = None
    for default in all_defaults():
        if default.group != current_group:
            current_group = default.group
            lines += [
                f"## {current_group}",
                "",
                "| Setting | Default | Allowed | Source | Confidence |",
                "|---|---|---|---|---|",
            ]
        allowed = _allowed_text(default)
        lines.append(
            f"| `{default.key}`<br>{default.title} | {_format_value(default)} | {allowed} "
            f"| {_source_text(default.evidence)} | {default.evidence.confidence.value} |"
        )
    for table in all_tables():
        lines += _table_lines(table)
    return "\n".join(_close_groups(lines)) + "\n"


def _table_lines(table: RuleTable) -> list[str]:
    lines = [
        f"## {table.title}",
        "",
        f"`{table.key}` (fixed, not a clinic setting). {table.intro}",
        "",
        "| " + " | ".join((*table.columns, "Source", "Confidence")) + " |",
        "|" + "---|" * (len(table.columns) + 2),
    ]
    for row in table.rows:
        sources = "<br>".join(_source_text(e) for e in row.evidence)
        confidence = ", ".join(e.confidence.value for e in row.evidence)
        lines.append("| " + " | ".join((*row.cells, sources, confidence)) + " |")
    return lines


def _source_text(evidence: Evidence) -> str:
    return f"{evidence.citation} — {evidence.note}" if evidence.note else evidence.citation


def _close_groups(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith("## ") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return out


def _allowed_text(default: ClinicalDefault) -> str:
    if default.choices:
        return ", ".join(default.choices)
    if isinstance(default.value, bool | str):
        return "—"
    low = "" if default.minimum is None else str(default.minimum)
    high = "" if default.maximum is None else str(default.maximum)
    if not low and not high:
        return "any"
    return f"{low or '…'} – {high or '…'}"
