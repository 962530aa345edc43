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

from .models import Role, RoleKind, User

M = TypeVar("M", bound=models.Model)
PathOrBuilder = str | Callable[[Role, User], Q] | None


@dataclass(frozen=True)
class ScopePaths:
    area: PathOrBuilder = None          # lookup to an Area id
    department: PathOrBuilder = None    # lookup to a Department id
    organization: PathOrBuilder = None  # lookup to an Organization id
    officer: PathOrBuilder = None       # lookup to the serving officer's user id


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


def get_visible_or_404(queryset: QuerySet[M], pk) -> M:
    """Fetch one row from an already scoped queryset: outside the scope it does not exist."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
