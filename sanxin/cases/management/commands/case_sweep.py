from django.core.management.base import BaseCommand

from sanxin.cases.sweep import run_sweep


class Command(BaseCommand):
    help = "Write automatic reminders (催办) and supervision (督办) for cases near or past their deadline."

    def handle(self, *args, **options) -> None:
        result = run_sweep().as_dict()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))
