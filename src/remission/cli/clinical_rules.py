"""``remission clinical-rules``: the registry of clinical defaults, as JSON or as the docs page."""

from __future__ import annotations

import argparse
from pathlib import Path

from remission.clinical import registry

HELP = "List every configurable clinical default with its source (or write docs/clinical-rules.md)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--write",
        metavar="PATH",
        type=Path,
        help="write the Markdown page to PATH instead of printing JSON",
    )


def run(args: argparse.Namespace) -> object:
    if args.write is not None:
        args.write.write_text(registry.render_markdown(), encoding="utf-8")
        return None
    return {
        "defaults": [
            {
                "key": d.key,
                "value": d.value,
                "unit": d.unit,
                "title": d.title,
                "minimum": d.minimum,
                "maximum": d.maximum,
                "choices": list(d.choices),
                "source": d.evidence.citation,
                "url": d.evidence.url,
                "confidence": d.evidence.confidence.value,
            }
            for d in registry.all_defaults()
        ]
    }
