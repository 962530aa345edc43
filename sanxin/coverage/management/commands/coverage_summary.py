from django.core.management.base import BaseCommand, CommandError

from sanxin.coverage import summary


class Command(BaseCommand):
    help = ("Checks the coverage summary against a fresh computation (--check, exit 1 on a "
            "difference) or recomputes it (--rebuild).")

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true")
        action.add_argument("--rebuild", action="store_true")

    def handle(self, *args, check: bool = False, rebuild: bool = False, **options):
        if rebuild:
            rows = summary.rebuild()
            self.stdout.write(self.style.SUCCESS(f"Coverage summary rebuilt: {rows} organizations."))
            return
        found = summary.differences()
        if found["organizations"] or found["cells"]:
            raise CommandError(f"The coverage summary differs from a fresh computation: {found}. "
                               "Find the writer that skipped the summary, then run --rebuild.")
        self.stdout.write(self.style.SUCCESS("The coverage summary equals a fresh computation."))
