"""Two input/output schemas with the same class name in different apps collide in the one
OpenAPI document (ninja keys components by class name): one silently replaces the other, and
clients get a wrong schema. Rename one of them (e.g. `IntakePlanOut`)."""
import sys
from collections import defaultdict

from pydantic import BaseModel

import config.api  # noqa: F401  (imports every router)

# Collisions already on main when this test was written, reported to their owners.
KNOWN_COLLISIONS = {"MemberOut", "PlanIn", "PlanOut", "ProblemIn", "ProblemOut", "RateOut",
                    "CaseIn", "CaseOut", "Page[CaseOut]"}


def schema_names_by_module() -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("sanxin.") or module is None:
            continue
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value.__module__ == module_name):
                found[value.__name__].add(module_name)
    return found


def test_no_new_schema_name_collisions():
    collisions = {name: modules for name, modules in schema_names_by_module().items()
                  if len(modules) > 1}
    new = {name: sorted(modules) for name, modules in collisions.items()
           if name not in KNOWN_COLLISIONS}
    assert not new, f"schema class names used by two apps (rename one): {new}"
