"""``remission demo``: build the demo clinics and print the demo logins (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from remission.demo.builder import build_demo, database_is_empty


class Command(BaseCommand):
    help = "Create a demo clinic with staff of every role and synthetic patients."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--patients", type=int, default=200, help="number of patients (200)")
        parser.add_argument("--seed", type=int, default=1, help="random seed for patient data")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (and succeed) when the database already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["patients"]
        if not 1 <= count <= 100_000:
            raise CommandError("--patients must be between 1 and 100000")
        if options["if_empty"] and not database_is_empty():
            self.stdout.write("The database already holds data; the demo clinic was not added.")
            return
        console = Console()
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Building the demo clinic", total=count)
            try:
                logins = build_demo(
                    patients=count,
                    seed=options["seed"],
                    progress=lambda done: progress.update(task, completed=done),
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        table = Table(title="Demo logins (shown once — note them now)")
        for column in ("username", "password", "role", "clinics"):
            table.add_column(column)
        for login in logins:
            table.add_row(login.username, login.password, login.role, login.clinics)
        console.print(table)
        console.print(
            f"Demo clinic ready: {count} synthetic patients. Two-factor is optional in the demo "
            "clinics; new clinics require it."
        )
