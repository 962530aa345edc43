"""The import targets: ours (organizations, and the party and service models present) plus any
that an app lists in `IMPORT_SPECS` of its own `importspecs.py`."""
from sanxin.accounts.models import User
from sanxin.core.extensions import collect

from .base import Column, ImportSpec


def all_specs() -> list[ImportSpec]:
    from .organizations import SPECS as ORGANIZATION_SPECS
    from .party import SPECS as PARTY_SPECS

    found: dict[str, ImportSpec] = {}
    for spec in [*ORGANIZATION_SPECS, *PARTY_SPECS, *collect("importspecs", "IMPORT_SPECS")]:
        found.setdefault(spec.name, spec)
    return sorted(found.values(), key=lambda spec: spec.order)


def get_spec(name: str) -> ImportSpec | None:
    return next((spec for spec in all_specs() if spec.name == name), None)


def specs_for(actor: User) -> list[ImportSpec]:
    return [spec for spec in all_specs() if spec.permitted(actor)]


__all__ = ["Column", "ImportSpec", "all_specs", "get_spec", "specs_for"]
