from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanxin.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replaces the whole database with a backup made by `backup`. Stop the site first."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, source: Path, yes: bool, **options):
        if not yes:
            answer = input(f"Replace every row of the database with {source}? [yes/no] ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}."))
