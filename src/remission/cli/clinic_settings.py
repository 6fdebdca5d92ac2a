"""The ``--setting KEY=VALUE`` option shared by the clinical commands: a clinic's value for a
configurable default, checked against the registry's bounds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from remission.clinical import registry


def setting_argument(text: str) -> tuple[str, object]:
    """An argparse type for ``KEY=VALUE``; the value is read as JSON when it parses, else text."""
    key, separator, raw = text.partition("=")
    if not separator or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        value: object = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    if isinstance(value, float):  # keep the digits exactly as typed
        value = raw
    return key.strip(), value


def add_setting_option(parser: argparse.ArgumentParser, example: str) -> None:
    parser.add_argument(
        "--setting",
        type=setting_argument,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"use a clinic's value for a clinical default, e.g. {example} (repeatable)",
    )


def overrides_from(settings: list[tuple[str, object]] | None) -> dict[str, Any]:
    """The ``--setting`` pairs as registry overrides, each checked against its bounds."""
    return dict(registry.validate_overrides(dict(settings or [])))
