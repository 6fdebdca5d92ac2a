"""The ``remission`` console script.

Pure clinical commands (``score``, ``dose``, ``eligibility``, ``schedule``, ``pk``, ``vitals``,
``discharge``, ``clinical-rules``) run without Django and follow one contract: print one JSON
object and exit 0, or print one error line to stderr and exit 2. Every other command is a Django
management command with the settings preset (``remission serve``, ``remission migrate``,
``remission demo``, ``remission audit verify``, ...).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, Protocol

from remission.cli.output import emit_json

# command name -> module with ``configure(parser)`` and ``run(args) -> object``
PURE_COMMANDS: dict[str, str] = {
    "score": "remission.cli.score",
    "dose": "remission.cli.dose",
    "eligibility": "remission.cli.eligibility",
    "schedule": "remission.cli.schedule",
    "pk": "remission.cli.pk",
    "vitals": "remission.cli.vitals",
    "discharge": "remission.cli.discharge",
    "clinical-rules": "remission.cli.clinical_rules",
}

EXIT_USAGE = 2


class PureCommand(Protocol):  # the shape of a pure command module
    HELP: str

    def configure(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> object: ...


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are exactly one line on stderr (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        return run_pure_command(args[0], args[1:])
    return run_django_command(args)


def run_pure_command(name: str, argv: Sequence[str]) -> int:
    from remission.clinical.errors import ClinicalInputError

    module: PureCommand = importlib.import_module(PURE_COMMANDS[name])
    parser = OneLineErrorParser(prog=f"remission {name}", description=module.HELP)
    module.configure(parser)
    parsed = parser.parse_args(list(argv))
    try:
        result = module.run(parsed)
    except (ClinicalInputError, ValueError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        print(f"remission {name}: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    if result is not None:
        emit_json(result)
    return 0


def run_django_command(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remission.config.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"help", "--help", "-h"}:
        print(_overview())
        if argv:
            argv = []
    execute_from_command_line(["remission", *argv])
    return 0


def _overview() -> str:
    lines = ["Clinical commands (JSON out, no database needed):"]
    for name, path in PURE_COMMANDS.items():
        try:
            module = importlib.import_module(path)
        except ImportError:
            continue
        lines.append(f"  {name:<16}{getattr(module, 'HELP', '')}")
    lines.append("")
    lines.append("Application commands (remission help <command> for details):")
    return "\n".join(lines)
