"""``remission roles``: print the rights table, or write it into docs/security.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from remission.accounts.roles import roles_table_markdown

START, END = "<!-- roles:start -->\n", "<!-- roles:end -->"


class Command(BaseCommand):
    help = "Print the roles × capabilities table (or write it between the markers of a page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write-docs", metavar="PATH", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        table = roles_table_markdown()
        path: Path | None = options["write_docs"]
        if path is None:
            self.stdout.write(table)
            return
        text = path.read_text(encoding="utf-8")
        if START not in text or END not in text:
            raise CommandError(f"{path} has no {START.strip()} … {END} markers")
        before, rest = text.split(START, 1)
        _, after = rest.split(END, 1)
        path.write_text(f"{before}{START}{table}\n{END}{after}", encoding="utf-8")
