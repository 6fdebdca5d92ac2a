"""``remission audit verify``: check the audit trail's hash chain (exit 1 on a break)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from remission.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes the hash chain and fails on any break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"audit chain BROKEN at event #{result.broken_at}: {result.reason} "
                f"({result.events_checked} events verified before it)"
            )
        self.stdout.write(f"audit chain intact: {result.events_checked} events verified")
