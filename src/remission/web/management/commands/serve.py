"""``remission serve``: run the production WSGI server (gunicorn) on the given address."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Serve Remission with gunicorn (checks the database, collects static files first)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("REMISSION_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("REMISSION_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
            raise CommandError(f"cannot reach the database: {reason}") from None
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("the database is not migrated: run `remission migrate` first")
        connection.close()
        # every page links the hashed static files; a missing or stale manifest would answer 500
        call_command("collectstatic", interactive=False, verbosity=0)
        from gunicorn.app.wsgiapp import WSGIApplication

        argv = [
            "gunicorn",
            "remission.config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
        ]
        self.stdout.write(f"Remission is serving on http://{options['bind']}/  (Ctrl+C stops it)")
        import sys

        sys.argv = argv
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
