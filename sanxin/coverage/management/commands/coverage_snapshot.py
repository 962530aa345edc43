from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sanxin.coverage.services import unscoped_take_snapshot


class Command(BaseCommand):
    help = "Stores this month's coverage counts per area and domain (idempotent per month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the current month)")

    def handle(self, *args, month: str | None = None, **options):
        day = None
        if month:
            try:
                day = date.fromisoformat(f"{month}-01")
            except ValueError as exc:
                raise CommandError("--month must look like 2026-11") from exc
        rows = unscoped_take_snapshot(month=day)
        self.stdout.write(self.style.SUCCESS(f"Coverage snapshot stored: {rows} rows."))
