"""Scope is security: the one place that turns an actor's roles into a WHERE clause.

Each scoped model declares a `ScopePaths`: how to reach, from one of its rows, the area, the
authority department, the organization and the serving officer. `visible_to(actor, queryset,
paths)` ORs the clauses of the actor's roles. A role kind with no path sees nothing of that
model. Unscoped reads are named `unscoped_*` and belong to system jobs only.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from sanxin.core.prepared import CompiledStatement, compile_statement

from .models import Role, RoleKind, User

M = TypeVar("M", bound=models.Model)
PathOrBuilder = str | Callable[[Role, User], Q] | None


@dataclass(frozen=True)
class ScopePaths:
    area: PathOrBuilder = None          # lookup to an Area id
    department: PathOrBuilder = None    # lookup to a Department id
    organization: PathOrBuilder = None  # lookup to an Organization id
    officer: PathOrBuilder = None       # lookup to the serving officer's user id
    # True when no clause reads anything at request time beyond the actor's roles and the area
    # tree (no inlined id lists): `visible_row` may then keep the compiled SQL per actor.
    stable: bool = False


def area_ids_under(area_id: int) -> list[int]:
    """The area and the units below it (the district root covers every township and park)."""
    from sanxin.registry.models import Area

    ids = [area_id]
    frontier = [area_id]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def _clause(path: PathOrBuilder, role: Role, actor: User, target_id: int | None) -> Q | None:
    if path is None:
        return None
    if callable(path):
        return path(role, actor)
    if role.kind == RoleKind.AREA:
        return Q(**{f"{path}__in": area_ids_under(target_id)})
    return Q(**{path: target_id})


def scope_q(actor: User, paths: ScopePaths) -> Q | None:
    """None means the whole district; an empty OR (`Q(pk__in=[])`) means nothing."""
    if not actor or not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    clauses: list[Q] = []
    for role in actor.scope_roles:
        if role.kind == RoleKind.DISTRICT:
            return None
        path, target = {
            RoleKind.AREA: (paths.area, role.area_id),
            RoleKind.DEPARTMENT: (paths.department, role.department_id),
            RoleKind.ORGANIZATION: (paths.organization, role.organization_id),
            RoleKind.OFFICER: (paths.officer, actor.pk),
        }[role.kind]
        clause = _clause(path, role, actor, target)
        if clause is not None:
            clauses.append(clause)
    if not clauses:
        return Q(pk__in=[])
    combined = clauses[0]
    for clause in clauses[1:]:
        combined |= clause
    return combined


def visible_to(actor: User, queryset: QuerySet[M], paths: ScopePaths) -> QuerySet[M]:
    clause = scope_q(actor, paths)
    return queryset if clause is None else queryset.filter(clause)


# Compiled one-row lookups (`visible_row`), per actor: model, paths, fields, user, the version of
# their roles, their area trees. Bounded: cleared when full (each entry is rebuilt on next use).
_PREPARED: dict[tuple, CompiledStatement] = {}
_PREPARED_MAX = 1024


def visible_row(actor: User, model: type[models.Model], paths: ScopePaths, pk, fields: tuple[str, ...]) -> tuple:
    """`fields` of one row through the actor's scope, Http404 outside it: `get_visible_or_404`
    for the hottest pages. Building the scoped query (Q objects, subqueries) cost four times
    running it, so for `stable` paths the SQL is compiled once per actor and only run after.
    The actor's version token (accounts/actors.py) changes with any change of their roles."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    version = getattr(actor, "actor_version", None)
    if not paths.stable or version is None:
        return get_visible_or_404(visible_to(actor, model.objects.all(), paths).values_list(*fields), pk)
    key = (model._meta.label, paths, fields, actor.pk, version, _area_trees(actor))
    statement = _PREPARED.get(key)
    if statement is None:
        statement, _compiler = compile_statement(
            lambda row_pk: visible_to(actor, model.objects.all(), paths).filter(pk=row_pk).values_list(*fields), 1)
        if len(_PREPARED) >= _PREPARED_MAX:
            _PREPARED.clear()
        _PREPARED[key] = statement
    rows = statement.fetch([pk])
    if not rows:
        raise Http404
    return tuple(rows[0])


def _area_trees(actor: User) -> tuple:
    """The areas an actor's area roles cover, read now: their ids are inlined in the SQL."""
    return tuple(tuple(area_ids_under(r.area_id)) for r in actor.scope_roles if r.kind == RoleKind.AREA)


def get_visible_or_404(queryset: QuerySet[M], pk) -> M:
    """Fetch one row from an already scoped queryset: outside the scope it does not exist."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
