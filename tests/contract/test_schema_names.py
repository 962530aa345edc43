"""Two input/output schemas with the same class name in different apps collide in the one
OpenAPI document (ninja keys components by class name): one silently replaces the other, and
clients get a wrong schema. Name a schema after its app's noun (e.g. `IntakePlanOut`,
`ChainMemberOut`) so that it is unique across the project."""
import sys
import types
from collections import defaultdict

from pydantic import BaseModel

import config.api  # noqa: F401  (imports every router)


def schema_names_by_module(modules: dict | None = None) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for module_name, module in list((sys.modules if modules is None else modules).items()):
        if not module_name.startswith("sanxin.") or module is None:
            continue
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, BaseModel)
                    and value.__module__ == module_name):
                found[value.__name__].add(module_name)
    return found


def test_no_schema_name_is_used_twice():
    collisions = {name: sorted(modules) for name, modules in schema_names_by_module().items()
                  if len(modules) > 1}
    assert not collisions, f"schema class names used by two apps (rename one): {collisions}"


def test_a_duplicate_name_would_be_found():
    modules = {}
    for name in ("sanxin.one.api", "sanxin.two.api"):
        module = types.ModuleType(name)
        module.ThingOut = type("ThingOut", (BaseModel,), {"__module__": name})
        modules[name] = module
    assert schema_names_by_module(modules)["ThingOut"] == {"sanxin.one.api", "sanxin.two.api"}


def test_every_component_of_the_document_is_one_schema():
    """The document itself: each operation's response schema is the one its router declared
    (a collision would show another app's fields under the same component name)."""
    from config.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if model is None:
                        continue
                    response = model.model_fields["response"].annotation
                    if isinstance(response, type) and issubclass(response, BaseModel):
                        name = response.__name__
                        if name in components:
                            assert set(components[name].get("properties", {})) == set(
                                response.model_json_schema().get("properties", {})), name


def body_schemas() -> dict[str, type[BaseModel]]:
    """Every request body model of every operation, by 'METHOD /path'."""
    from config.api import api

    found = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for model in operation.signature.models:
                    if getattr(model, "__ninja_param_source__", None) != "body":
                        continue
                    for field in model.model_fields.values():
                        if isinstance(field.annotation, type) and issubclass(field.annotation,
                                                                             BaseModel):
                            found[f"{operation.methods[0]} {prefix}{path}"] = field.annotation
    return found


def _nested(model: type[BaseModel]) -> set[type[BaseModel]]:
    """The model and the models its fields hold (lists of rows, e.g. attendance)."""
    import typing

    seen = {model}
    for field in model.model_fields.values():
        for arg in (field.annotation, *typing.get_args(field.annotation)):
            for inner in (arg, *typing.get_args(arg)):
                if isinstance(inner, type) and issubclass(inner, BaseModel) and inner not in seen:
                    seen |= _nested(inner)
    return seen


def test_every_request_body_refuses_unknown_fields():
    """docs/api.md, Unknown fields: bodies derive from sanxin.core.apitools.InputSchema."""
    bodies = body_schemas()
    assert len(bodies) > 30  # the walk finds the routers' bodies
    lax = sorted(f"{operation}: {model.__name__}" for operation, body in bodies.items()
                 for model in _nested(body) if model.model_config.get("extra") != "forbid")
    assert not lax, f"request bodies that drop unknown fields silently: {lax}"
