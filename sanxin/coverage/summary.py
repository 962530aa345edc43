"""The coverage summary: counts kept current so that the coverage page never reads every organization.

Two tables (models.py): `OrganizationCoverage`, one row per organization with its status and the
fields it is counted under as the summary last saw them, and `CoverageCell`, the number of
organizations per (area, domain, industry section, industry authority, 三有, status, operating or
not, served by a service officer now). The dashboard reads its organization counts and "enterprises served" from
the same cells (sanxin/dashboard/figures.py, sanxin/service/figures.py).

Refreshing organizations recomputes their status with the engine's own definition
(`engine.status_expression`), compares it with their row, and adds the differences to the cells,
in the caller's transaction. Signals (signals.py) refresh the organizations that a save, delete or
change of covered units or of service assignments touches; code that writes in bulk (COPY, bulk_create, queryset.update)
calls one of the public functions below:

- `refresh_organizations(ids)`: these organizations changed (any input of their status or fields);
- `refresh_registry_changes()`: organizations were inserted, updated or deleted in bulk;
- `after_bulk_write(model)`: rows of `model` were written in bulk (the import pipeline calls it);
- `rebuild()`: everything from scratch (demo, benchmark, after a restore);
- `differences()`: where the summary and a fresh computation disagree (empty when all is well).

The numbers always equal a fresh computation: tests/coverage/test_summary.py checks it after
random sequences of changes.
"""
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from sanxin.accounts.models import RoleKind, User
from sanxin.accounts.scoping import ScopePaths, visible_to
from sanxin.registry.models import Organization, OrgStatus

from . import engine
from .models import CoverageCell, OrganizationCoverage

KEY = ("area_id", "domain", "industry", "authority_id", "is_sanyou", "status", "operating", "served")
CHUNK = 2000  # organizations per refresh statement (SQLite allows 32,766 parameters)
REBUILD_ABOVE = 50_000  # organizations changed in bulk past which a rebuild is faster

Key = tuple  # (area_id, domain, industry, authority_id or 0, is_sanyou, status, operating, served)


def _served() -> Exists:
    from sanxin.service.models import Assignment

    return Exists(Assignment.objects.filter(organization_id=OuterRef("pk"), ended_at__isnull=True))


def _operating() -> Case:
    return Case(When(status=OrgStatus.OPERATING, then=Value(True)), default=Value(False),
                output_field=BooleanField())


def _fresh(orgs: QuerySet[Organization], among=None) -> QuerySet:
    return (orgs.annotate(coverage_status=engine.status_expression(among),
                          authority_or_0=Coalesce("authority_id", Value(0)),
                          is_operating=_operating(), has_officer=_served())
            .values_list("pk", "area_id", "domain", "industry", "authority_or_0", "is_sanyou",
                         "coverage_status", "is_operating", "has_officer"))


# summary column ← name in _fresh()
FRESH_NAMES = {"organization_id": "pk", "area_id": "area_id", "domain": "domain",
               "industry": "industry", "authority_id": "authority_or_0", "is_sanyou": "is_sanyou",
               "status": "coverage_status", "operating": "is_operating",
               "served": "has_officer"}


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def refresh_organizations(ids: Iterable[int]) -> int:
    """Bring these organizations up to date in the summary (deleted ones are taken out).
    Returns how many rows changed."""
    ids = sorted({int(pk) for pk in ids if pk is not None})
    changed = 0
    if not ids:
        return 0
    with transaction.atomic(savepoint=False):  # part of the writer's transaction, no savepoint
        for chunk in _chunks(ids):
            changed += _refresh(chunk)
    return changed


def _refresh(ids: list[int]) -> int:
    # Lock the rows first (in id order, so that two refreshes cannot deadlock on them); the
    # status is computed after the lock, so it sees whatever the previous holder committed.
    old: dict[int, Key] = {row[0]: row[1:] for row in OrganizationCoverage.objects
                           .select_for_update().filter(pk__in=ids).order_by("pk")
                           .values_list("pk", *KEY)}
    new: dict[int, Key] = {row[0]: row[1:] for row in
                           _fresh(Organization.objects.filter(pk__in=ids), among=ids)}
    return _apply(old, new)


def _apply(old: dict[int, Key], new: dict[int, Key]) -> int:
    changed = [pk for pk in old.keys() | new.keys() if old.get(pk) != new.get(pk)]
    if not changed:
        return 0
    delta: Counter = Counter()
    for pk in changed:
        if pk in old:
            delta[old[pk]] -= 1
        if pk in new:
            delta[new[pk]] += 1
    gone = [pk for pk in changed if pk not in new]
    moved = [OrganizationCoverage(pk, *new[pk]) for pk in changed if pk in old and pk in new]
    added = [OrganizationCoverage(pk, *new[pk]) for pk in changed if pk not in old]
    # Rows are updated in place, never deleted and re-inserted: a refresh waiting on the lock of
    # a deleted row would not see its replacement and would count the organization twice.
    OrganizationCoverage.objects.filter(pk__in=gone).delete()
    OrganizationCoverage.objects.bulk_update(moved, KEY[:], batch_size=CHUNK // 4)
    OrganizationCoverage.objects.bulk_create(added, batch_size=CHUNK // 4)
    _add_to_cells({key: d for key, d in delta.items() if d})
    return len(changed)


def _add_to_cells(delta: dict[Key, int]) -> None:
    """n += d per cell, creating cells as needed; one upsert, keys sorted so that concurrent
    refreshes take the cells' row locks in the same order."""
    if not delta:
        return
    table = connection.ops.quote_name(CoverageCell._meta.db_table)
    columns = ", ".join(KEY)
    rows = sorted(delta.items())
    values = ", ".join(["(" + ", ".join(["%s"] * (len(KEY) + 1)) + ")"] * len(rows))
    params = [value for key, d in rows for value in (*key, d)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, n) VALUES {values} "
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n", params)


def refresh_registry_changes(since=None) -> int:
    """For writers that insert, update or delete organizations in bulk: refresh every organization
    whose counted fields differ from its summary row or that has none yet, and take out the rows of
    deleted ones. `since` (a time before the write began) limits the search to organizations
    saved since then and skips deletions: a few index probes instead of two passes over the table."""
    same = OrganizationCoverage.objects.filter(
        pk=OuterRef("pk"), area_id=OuterRef("area_id"), domain=OuterRef("domain"),
        industry=OuterRef("industry"), authority_id=Coalesce(OuterRef("authority_id"), Value(0)),
        is_sanyou=OuterRef("is_sanyou"), operating=OuterRef("is_operating"))
    orgs = Organization.objects.all() if since is None else Organization.objects.filter(
        updated_at__gte=since)
    stale = list(orgs.annotate(is_operating=_operating()).filter(~Exists(same))
                 .values_list("pk", flat=True))
    gone = [] if since is not None else list(OrganizationCoverage.objects.filter(
        ~Exists(Organization.objects.filter(pk=OuterRef("pk")))).values_list("pk", flat=True))
    if len(stale) + len(gone) > REBUILD_ABOVE:  # one set-based pass beats thousands of chunks
        rebuild()
        return len(stale) + len(gone)
    return refresh_organizations(stale + gone)


def after_bulk_write(model, *, since=None) -> None:
    """The hook for code that wrote rows of `model` without signals (COPY, bulk_create,
    bulk_update, queryset.update): afterwards, in the same transaction, the summary is right.
    `since`: for organizations inserted or updated (never deleted) with `updated_at` stamped at or
    after it, as the registry import does. Party organizations, their units and instructors are
    otherwise written through the ORM (signals); members are no input of the status. Service
    assignments: the organizations whose `served` no longer matches are refreshed."""
    from sanxin.party.models import Instructor, InstructorAssignment, PartyOrganization
    from sanxin.service.models import Assignment

    if model is Organization:
        refresh_registry_changes(since=since)
    elif model in (PartyOrganization.units.through, InstructorAssignment, Instructor):
        rebuild()
    elif model is Assignment:
        refresh_service_changes()


def refresh_service_changes() -> int:
    """For writers of service assignments in bulk: refresh the organizations whose `served` differs
    from whether they have a current assignment (one pass over the summary, by index probes)."""
    from sanxin.service.models import Assignment

    current = Assignment.objects.filter(ended_at__isnull=True).values("organization_id")
    # Two anti-joins (hashed by the database) rather than one OR of correlated subqueries.
    lost = OrganizationCoverage.objects.filter(served=True).exclude(pk__in=current)
    gained = current.filter(organization_id__in=OrganizationCoverage.objects.filter(served=False)
                            .values("pk"))
    return refresh_organizations([*lost.values_list("pk", flat=True),
                                  *gained.values_list("organization_id", flat=True)])


def rebuild() -> int:
    """Recompute the whole summary from scratch in the database (a few seconds at a million)."""
    state = connection.ops.quote_name(OrganizationCoverage._meta.db_table)
    cells = connection.ops.quote_name(CoverageCell._meta.db_table)
    columns = ", ".join(KEY)
    query = _fresh(Organization.objects.order_by()).query
    # Django 5.2 selects in the order values_list() names; check it rather than assume it.
    by_name = {fresh: column for column, fresh in FRESH_NAMES.items()}
    targets = ", ".join(by_name[name] for name in query.selected)
    select_sql, params = query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cells}")
        cursor.execute(f"DELETE FROM {state}")
        cursor.execute(f"INSERT INTO {state} ({targets}) {select_sql}", params)
        cursor.execute(f"INSERT INTO {cells} ({columns}, n) "
                       f"SELECT {columns}, count(*) FROM {state} GROUP BY {columns}")
    return OrganizationCoverage.objects.count()


def differences(limit: int = 20) -> dict[str, list]:
    """Where the summary disagrees with a fresh computation: organizations whose row is wrong,
    and cells whose count is not the number of their rows. Empty lists when all is well."""
    fresh = {row[0]: row[1:] for row in _fresh(Organization.objects.order_by())}
    stored = {row[0]: row[1:] for row in OrganizationCoverage.objects.values_list("pk", *KEY)}
    wrong = sorted(pk for pk in fresh.keys() | stored.keys() if fresh.get(pk) != stored.get(pk))
    counted = Counter(fresh.values())
    cells = {row[:-1]: row[-1] for row in CoverageCell.objects.values_list(*KEY, "n")}
    bad_cells = sorted(key for key in counted.keys() | cells.keys()
                       if counted.get(key, 0) != cells.get(key, 0))
    return {"organizations": wrong[:limit], "cells": bad_cells[:limit]}


# ---- reading ---------------------------------------------------------------------------------

CELL_SCOPE = ScopePaths(area="area_id", department="authority_id")
# Roles whose scope is a condition on the cell's columns; organization and officer roles see a
# handful of organizations, which the engine counts directly.
CELL_ROLES = frozenset({RoleKind.DISTRICT, RoleKind.AREA, RoleKind.DEPARTMENT})


def expresses_scope(actor: User | None) -> bool:
    """The cells can be cut to this actor's scope (None: a system read of the whole district)."""
    if actor is None:
        return True
    kinds = {role.kind for role in list(getattr(actor, "scope_roles", []) or [])}
    return RoleKind.DISTRICT in kinds or (bool(kinds) and kinds <= CELL_ROLES)


def applies(actor: User, flt) -> bool:
    """The summary answers this question: a scope of areas or departments, no name search."""
    return expresses_scope(actor) and not flt.q


def scoped_cells(actor: User | None, area_ids: list[int] | None = None) -> QuerySet[CoverageCell]:
    """Every non-empty cell of the actor's scope (all statuses, 三有 or not), within `area_ids` when
    given: for readers other than the coverage page (the dashboard). Only where
    `expresses_scope(actor)`."""
    qs = CoverageCell.objects.exclude(n=0)
    if actor is not None:
        qs = visible_to(actor, qs, CELL_SCOPE)
    if area_ids is not None:
        qs = qs.filter(area_id__in=area_ids)
    return qs.order_by()


def cells_for(actor: User, flt) -> QuerySet[CoverageCell]:
    """The cells of the actor's scope under the filter (the same filters as the engine's)."""
    from .selectors import narrowed

    qs = visible_to(actor, CoverageCell.objects.all(), CELL_SCOPE)
    if not flt.include_all:
        qs = qs.filter(is_sanyou=True)
    return narrowed(qs, flt, no_authority=Q(authority_id=0)).filter(~Q(n=0))


def summary_counts(actor: User, flt, groupings: list[str]):
    """(totals, {grouping: groups}) from the summary, exactly as engine.coverage_counts."""
    columns = list(dict.fromkeys(engine.GROUPINGS[g] for g in groupings))
    rows = (cells_for(actor, flt).order_by().values(*columns, "status")
            .annotate(total=Sum("n")).values_list(*columns, "status", "total"))
    if "authority_id" in columns:  # the summary's 0 is the engine's "no authority"
        at = columns.index("authority_id")
        rows = [(*row[:at], row[at] or None, *row[at + 1:]) for row in rows]
    return engine.fold(rows, columns, groupings)
