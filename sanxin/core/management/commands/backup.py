from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanxin.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Writes a consistent backup of the whole database (pg_dump custom format, or SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=None,
                            help="file to write (default backups/sanxin-<time>.dump)")

    def handle(self, *args, output: Path | None, **options):
        target = output or Path("backups") / f"sanxin-{timezone.localtime():%Y%m%d-%H%M%S}.dump"
        try:
            backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} "
                                             f"({target.stat().st_size:,} bytes)."))
