import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sanxin.demo.steps import DEMO_PASSWORD, DEMO_SEED, DemoContext, discover_steps
from sanxin.registry.models import Area


class Command(BaseCommand):
    help = "Builds the deterministic demo district (Fuling). Skips if it is already there."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="delete every row first and build again")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="fraction of the source's figures (1.0 = full district)")
        parser.add_argument("--seed", type=int, default=DEMO_SEED)

    def handle(self, *args, reset: bool, scale: float, seed: int, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10")
        if Area.objects.exists() and not reset:
            self.stdout.write(self.style.WARNING(
                "The demo district is already loaded; nothing changed (use --reset to rebuild)."))
            self._print_logins(None)
            return
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        ctx = DemoContext(rng=random.Random(seed), scale=scale, log=self.stdout.write)
        started = time.perf_counter()
        with transaction.atomic():
            for step in discover_steps():
                t0 = time.perf_counter()
                step.build(ctx)
                self.stdout.write(f"  {step.name}: {time.perf_counter() - t0:.1f} s")
        self.stdout.write(self.style.SUCCESS(
            f"Demo district built in {time.perf_counter() - started:.1f} s."))
        self._print_logins(ctx)

    def _print_logins(self, ctx: DemoContext | None) -> None:
        from sanxin.accounts.models import User

        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        users = User.objects.filter(username__startswith="demo_").prefetch_related(
            "roles__area", "roles__department", "roles__organization").order_by("id")
        for user in users:
            roles = "; ".join(str(r) for r in user.roles.all())
            self.stdout.write(f"  {user.username:<22} {roles}")
