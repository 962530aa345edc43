"""Extension points that apps fill from their own modules, so no app edits another's files.

- `<app>.panels.ORGANIZATION_PANELS`: callables (actor, organization) → Panel | None, shown as
  sections of the organization detail page (e.g. its party organization, officer, open cases).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def collect(module_name: str, attribute: str) -> list:
    """Every app's `<app>.<module_name>.<attribute>` list, concatenated in app order."""
    return list(_collect(module_name, attribute))


@cache
def _collect(module_name: str, attribute: str) -> tuple:
    found: list = []
    for app in settings.SANXIN_APPS:
        try:
            module = import_module(f"{app}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.{module_name}":
                raise
            continue
        found.extend(getattr(module, attribute, []))
    return tuple(found)


def organization_panels(actor, organization) -> list[Panel]:
    builders: list[Callable] = collect("panels", "ORGANIZATION_PANELS")
    panels = [p for p in (build(actor, organization) for build in builders) if p is not None]
    return sorted(panels, key=lambda p: p.order)
