from django.core.management.base import BaseCommand

from sanxin.core.calendar import seed_from_package


class Command(BaseCommand):
    help = "Copy the official holiday arrangement from the chinesecalendar package into the table."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--overwrite", action="store_true",
                            help="replace days already in the table for the package's years")

    def handle(self, *args, overwrite: bool = False, **options) -> None:
        written = seed_from_package(overwrite=overwrite)
        self.stdout.write(f"holidays written: {written}")
