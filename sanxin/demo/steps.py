"""The demo district is built in steps; each app contributes its own in `<app>/demo.py`:

    STEP = DemoStep(order=20, name="party", build=build)

`build(ctx)` receives a DemoContext with a seeded random generator (deterministic) and shared
lookups that earlier steps filled in. Steps run in `order` inside one transaction.
"""
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.conf import settings

DEMO_SEED = 20260101
DEMO_PASSWORD = "Sanxin@2026"


def records_start(today: date) -> date:
    """Where the demo's year of dated records begins: 1 January, or 1 January of the year before
    until April, so that a demo built early in a year still has months of records to show."""
    return date(today.year - (today.month < 4), 1, 1)


@dataclass
class DemoContext:
    rng: random.Random
    scale: float = 1.0   # 1.0 = the source's figures; tests use a small fraction
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, scope)
    log: Callable[[str], None] = print

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))


@dataclass(frozen=True)
class DemoStep:
    order: int
    name: str
    build: Callable[[DemoContext], None]


def discover_steps() -> list[DemoStep]:
    steps: list[DemoStep] = []
    for app in settings.SANXIN_APPS:
        try:
            module = import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        steps.append(module.STEP)
    return sorted(steps, key=lambda step: step.order)
