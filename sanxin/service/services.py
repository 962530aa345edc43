"""Writes of the service app: one transaction each; every change of assignments moves the
AssignmentState version so that a plan computed before it is refused as stale."""
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.accounts.models import RoleKind, User
from sanxin.core import pagecache
from sanxin.registry.models import Organization

from . import optimizer, rules
from .models import (
    Assignment,
    AssignmentDetail,
    AssignmentPlan,
    AssignmentSource,
    AssignmentState,
    Milestone,
    PlanMode,
    PlanStatus,
    ProjectProblem,
    ServiceOfficer,
    Visit,
)
from .selectors import officer_of, planning_area_ids, visits_in_month


class StalePlan(Exception):
    """Assignments changed after the plan was computed; preview again."""


# ---------------------------------------------------------------- permissions
def can_manage_officers(actor: User) -> bool:
    return actor.has_role(RoleKind.DISTRICT, RoleKind.AREA)


def can_plan(actor: User) -> bool:
    return can_manage_officers(actor)


def _managed_area_ids(actor: User) -> list[int] | None:
    return planning_area_ids(actor)


def _check_area_managed(actor: User, area_id: int | None) -> None:
    managed = _managed_area_ids(actor)
    if managed is None:
        return
    if area_id is None or area_id not in managed:
        raise PermissionDenied


# ---------------------------------------------------------------- version
def current_version() -> int:
    state, _created = AssignmentState.objects.get_or_create(pk=1)
    return state.version


def _bump_version() -> None:
    AssignmentState.objects.get_or_create(pk=1)
    AssignmentState.objects.filter(pk=1).update(version=F("version") + 1)


def _claim_version(expected: int) -> bool:
    """Atomic compare-and-set: True for exactly one of several concurrent appliers."""
    AssignmentState.objects.get_or_create(pk=1)
    return AssignmentState.objects.filter(pk=1, version=expected).update(
        version=F("version") + 1) == 1


# ---------------------------------------------------------------- officers
def officer_save(*, actor: User, form) -> ServiceOfficer:
    """Create or update an officer from a validated form, inside the actor's areas."""
    if not can_manage_officers(actor):
        raise PermissionDenied
    _check_area_managed(actor, form.cleaned_data["area"].pk if form.cleaned_data.get("area")
                        else None)
    if form.instance.pk:
        _check_area_managed(actor, ServiceOfficer.objects.get(pk=form.instance.pk).area_id)
    with transaction.atomic():
        officer = form.save()
        _bump_version()  # capacity, area or activity changed: earlier plans are out of date
        return officer


# ---------------------------------------------------------------- manual override
def assignment_override(*, actor: User, organization: Organization, officer: ServiceOfficer,
                        reason: str) -> Assignment:
    """A person decides who serves an enterprise; the next rebalance keeps this pair."""
    _check_area_managed(actor, organization.area_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the officer is changed.")})
    if not officer.active:
        raise ValidationError({"officer": _("This officer is not active.")})
    if officer.area_id is not None and officer.area_id != organization.area_id:
        raise ValidationError({"officer": _(
            "This officer belongs to another area and cannot serve an enterprise of "
            "%(area)s: choose an officer of that area or a district-level officer.")
            % {"area": organization.area.name}})
    with transaction.atomic():
        ServiceOfficer.objects.select_for_update().filter(pk=officer.pk).first()
        current = Assignment.objects.select_for_update().filter(
            organization=organization, ended_at__isnull=True).first()
        if current and current.officer_id == officer.pk:
            raise ValidationError({"officer": _("This officer already serves the enterprise.")})
        load = Assignment.objects.filter(officer=officer, ended_at__isnull=True).count()
        if load >= officer.capacity:
            raise ValidationError({"officer": _(
                "This officer already serves %(load)d enterprises, the capacity.")
                % {"load": load}})
        now = timezone.now()
        if current:
            Assignment.objects.filter(pk=current.pk).update(ended_at=now)
        assignment = Assignment.objects.create(organization=organization, officer=officer,
                                               reason=reason[:200])
        AssignmentDetail.objects.create(
            assignment=assignment, source=AssignmentSource.MANUAL, changed_by=actor,
            distance_m=optimizer.distance_m(organization.latitude, organization.longitude,
                                            officer.latitude, officer.longitude),
            industry_match=organization.industry in officer.industries.upper(),
            same_area=officer.area_id == organization.area_id)
        _bump_version()
        return assignment


# ---------------------------------------------------------------- optimizer
def load_problem(area_ids: list[int] | None) -> tuple[list[optimizer.Enterprise],
                                                      list[optimizer.Officer]]:
    """unscoped_ read for the optimizer: every enterprise of the areas and every officer who may
    serve them, with their current pairs. Callers check the actor's right to plan these areas."""
    orgs = Organization.objects.filter(rules.needs_officer_q())
    if area_ids is not None:
        orgs = orgs.filter(area_id__in=area_ids)
    current = dict(Assignment.objects.filter(ended_at__isnull=True, organization__in=orgs)
                   .values_list("organization_id", "officer_id"))
    pinned = set(AssignmentDetail.objects.filter(
        assignment__ended_at__isnull=True, assignment__organization__in=orgs,
        source=AssignmentSource.MANUAL).values_list("assignment__organization_id", flat=True))
    enterprises = [
        optimizer.Enterprise(pk, area, lat, lng, industry, current.get(pk), pk in pinned)
        for pk, area, lat, lng, industry in orgs.order_by("id").values_list(
            "id", "area_id", "latitude", "longitude", "industry").iterator(chunk_size=5000)]
    officer_qs = ServiceOfficer.objects.all()
    if area_ids is not None:
        officer_qs = officer_qs.filter(Q(area_id__in=area_ids) | Q(area__isnull=True))
    outside = {}
    if area_ids is not None:
        outside = dict(Assignment.objects.filter(ended_at__isnull=True, officer__area__isnull=True)
                       .exclude(organization__area_id__in=area_ids).order_by()
                       .values("officer_id").annotate(n=Count("id")).values_list("officer_id", "n"))
    officers = [
        optimizer.Officer(pk, area, capacity, lat, lng, industries, active, outside.get(pk, 0))
        for pk, area, capacity, lat, lng, industries, active in officer_qs.order_by("id")
        .values_list("id", "area_id", "capacity", "latitude", "longitude", "industries", "active")]
    # Officers of these areas' current pairs who are outside the query (moved away) still count.
    known = {o.id for o in officers}
    missing = {e.current_officer for e in enterprises if e.current_officer not in known} - {None}
    for pk, area, capacity, lat, lng, industries, active in ServiceOfficer.objects.filter(
            pk__in=missing).values_list("id", "area_id", "capacity", "latitude", "longitude",
                                        "industries", "active"):
        officers.append(optimizer.Officer(pk, area, capacity, lat, lng, industries, active))
    return enterprises, officers


def plan_preview(*, actor: User, mode: str, area_ids: list[int] | None = None,
                 workers: int = 1) -> AssignmentPlan:
    """Solve and store the plan (nothing is assigned yet). An infeasible request is stored with
    its shortages so that the page can say which areas lack how much capacity."""
    if not can_plan(actor):
        raise PermissionDenied
    if mode not in PlanMode.values:
        raise ValidationError({"mode": _("Unknown optimizer mode.")})
    allowed = planning_area_ids(actor)
    if allowed is not None:
        area_ids = [a for a in (area_ids or allowed) if a in allowed]
        if not area_ids:
            raise PermissionDenied
    with transaction.atomic():
        version = current_version()
        enterprises, officers = load_problem(area_ids)
        plan = AssignmentPlan(created_by=actor, mode=mode, area_ids=area_ids or [],
                              base_version=version)
        try:
            solution = optimizer.solve(enterprises, officers, mode, rules.optimizer_weights(),
                                       workers=workers)
        except optimizer.Infeasible as exc:
            plan.status = PlanStatus.INFEASIBLE
            plan.shortages = [{"area_id": s.area_id, "enterprises": s.enterprises,
                               "capacity": s.capacity, "missing": s.missing}
                              for s in exc.shortages]
            plan.summary = {"enterprises": len(enterprises), "district_capacity":
                            exc.district_capacity, "total_missing": exc.total_missing}
            plan.save()
            return plan
        changes = solution.changes
        plan.moves = [[p.enterprise_id, p.officer_id, p.distance_m, p.industry_match,
                       p.same_area, p.previous_officer, p.reason] for p in changes]
        plan.summary = {
            "enterprises": len(enterprises), "officers": sum(1 for o in officers if o.active),
            "changed": len(changes), "kept": len(solution.pairs) - len(changes),
            "total_distance_m": solution.total_distance_m,
            "industry_match": sum(1 for p in solution.pairs if p.industry_match),
            "graphs": solution.graphs, "arcs": solution.arcs,
            "reasons": _count_reasons(changes),
        }
        plan.solve_seconds = round(solution.seconds, 3)
        plan.save()
        return plan


def _count_reasons(changes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in changes:
        counts[p.reason] = counts.get(p.reason, 0) + 1
    return counts


def plan_apply(*, actor: User, plan: AssignmentPlan) -> int:
    """Apply a previewed plan in one transaction; refuse it if anything changed since."""
    if plan.created_by_id != actor.pk and not actor.is_district:
        raise PermissionDenied
    if plan.status != PlanStatus.PREVIEW:
        raise ValidationError({"plan": _("Only a previewed, feasible plan can be applied.")})
    with transaction.atomic():
        claimed = _claim_version(plan.base_version)
        if claimed:
            changed = _write_moves(plan, actor)
            plan.status = PlanStatus.APPLIED
            plan.applied_at = timezone.now()
            plan.save(update_fields=["status", "applied_at"])
            return changed
    # Outside the transaction above, which wrote nothing: the plan is marked stale for good.
    AssignmentPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.STALE)
    plan.status = PlanStatus.STALE
    raise StalePlan


def _write_moves(plan: AssignmentPlan, actor: User) -> int:
    moves = plan.moves
    if not moves:
        return 0
    now = timezone.now()
    org_ids = [m[0] for m in moves]
    for start in range(0, len(org_ids), 2000):
        Assignment.objects.filter(organization_id__in=org_ids[start:start + 2000],
                                  ended_at__isnull=True).update(ended_at=now)
    if connection.vendor == "postgresql":
        _insert_moves_postgresql(moves, now, actor, plan)
    else:
        _insert_moves_orm(moves, actor, plan)
    from sanxin.coverage.summary import refresh_organizations

    refresh_organizations(org_ids)  # bulk writes send no signal: the dashboard's "served" cells
    pagecache.names_changed()       # ... nor the stored case pages (officers' scope)
    return len(moves)


def _insert_moves_orm(moves: list, actor: User, plan: AssignmentPlan) -> None:
    created = Assignment.objects.bulk_create(
        [Assignment(organization_id=m[0], officer_id=m[1], reason=f"optimizer:{m[6]}")
         for m in moves], batch_size=2000)
    AssignmentDetail.objects.bulk_create(
        [AssignmentDetail(assignment=a, source=AssignmentSource.OPTIMIZER, distance_m=m[2],
                          industry_match=m[3], same_area=m[4], changed_by=actor, plan=plan)
         for a, m in zip(created, moves, strict=True)], batch_size=2000)


def _insert_moves_postgresql(moves: list, now, actor: User, plan: AssignmentPlan) -> None:
    """The same rows as the ORM path, as two set-based statements: building 40,000 model
    instances costs far more than the database work."""
    assignment = Assignment._meta.db_table
    detail = AssignmentDetail._meta.db_table
    columns = list(zip(*moves, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {assignment} (organization_id, officer_id, started_at, reason) "
            "SELECT o, f, %s, 'optimizer:' || r "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS m(o, f, r)",
            [now, list(columns[0]), list(columns[1]), list(columns[6])])
        cursor.execute(
            f"INSERT INTO {detail} (assignment_id, source, distance_m, industry_match, same_area, "
            "changed_by_id, plan_id) "
            "SELECT a.id, %s, m.d, m.i, m.s, %s, %s "
            "FROM unnest(%s::bigint[], %s::integer[], %s::boolean[], %s::boolean[]) "
            "AS m(o, d, i, s) "
            f"JOIN {assignment} a ON a.organization_id = m.o AND a.ended_at IS NULL",
            [AssignmentSource.OPTIMIZER, actor.pk, plan.pk, list(columns[0]), list(columns[2]),
             list(columns[3]), list(columns[4])])


# ---------------------------------------------------------------- visits
@dataclass(frozen=True)
class VisitResult:
    visit: Visit
    too_many: bool
    visits_in_month: int


def visit_log(*, actor: User, organization: Organization, visited_on: date, met_person: str,
              discussed: str, demands: str = "", today: date | None = None) -> VisitResult:
    """An officer logs a visit to an enterprise it serves now, dated today or earlier."""
    officer = officer_of(actor)
    errors: dict[str, str] = {}
    if officer is None:
        raise PermissionDenied
    today = today or timezone.localdate()
    if rules.visit_date_error(visited_on, today):
        errors["visited_on"] = _("A visit cannot be dated in the future.")
    serves = Assignment.objects.filter(officer=officer, organization=organization,
                                       ended_at__isnull=True).exists()
    if not serves:
        errors["organization"] = _("You can log visits only to enterprises you serve.")
    if not (met_person or "").strip():
        errors["met_person"] = _("Say who was met.")
    if not (discussed or "").strip():
        errors["discussed"] = _("Say what was discussed.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        visit = Visit.objects.create(officer=officer, organization=organization,
                                     visited_on=visited_on, met_person=met_person.strip(),
                                     discussed=discussed.strip(), demands=(demands or "").strip())
        count = visits_in_month(organization.pk, visited_on)
        return VisitResult(visit, rules.too_many_visits(count), count)


def visit_settle_demands(*, actor: User, visit: Visit) -> Visit:
    officer = officer_of(actor)
    if officer is None or visit.officer_id != officer.pk:
        raise PermissionDenied
    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(demands_resolved=True)
        visit.demands_resolved = True
        return visit


# ---------------------------------------------------------------- major projects
def can_edit_project(actor: User, project) -> bool:
    if actor.has_role(RoleKind.DISTRICT, RoleKind.AREA):
        return True
    return project.officer_id is not None and project.officer.user_id == actor.pk


def milestone_reach(*, actor: User, milestone: Milestone, actual_on: date,
                    today: date | None = None) -> Milestone:
    if not can_edit_project(actor, milestone.project):
        raise PermissionDenied
    if actual_on > (today or timezone.localdate()):
        raise ValidationError({"actual_on": _("A milestone cannot be reached in the future.")})
    with transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(actual_on=actual_on)
        milestone.actual_on = actual_on
        return milestone


def problem_raise(*, actor: User, project, text: str, raised_on: date | None = None
                  ) -> ProjectProblem:
    if not can_edit_project(actor, project):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe the problem.")})
    with transaction.atomic():
        return ProjectProblem.objects.create(project=project, text=text,
                                             raised_on=raised_on or timezone.localdate())


def areas_for_actor(actor: User) -> list[int] | None:
    return _managed_area_ids(actor)


