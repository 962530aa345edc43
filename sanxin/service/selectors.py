"""Reads of the service app, each through the actor's scope."""
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sanxin.accounts.models import RoleKind, User
from sanxin.accounts.scoping import area_ids_under, get_visible_or_404, visible_to
from sanxin.registry.models import Organization
from sanxin.registry.selectors import organizations_visible_to

from . import rules
from .models import (
    Assignment,
    AssignmentPlan,
    MajorProject,
    Milestone,
    ServiceOfficer,
    Visit,
)
from .scoping import ASSIGNMENT_SCOPE, OFFICER_SCOPE, PROJECT_SCOPE, VISIT_SCOPE


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- officers and assignments
def current_load_subquery() -> Subquery:
    return Subquery(
        Assignment.objects.filter(officer=OuterRef("pk"), ended_at__isnull=True)
        .order_by().values("officer").annotate(n=Count("id")).values("n")[:1],
        output_field=IntegerField())


def officers_visible_to(actor: User) -> QuerySet[ServiceOfficer]:
    return visible_to(actor, ServiceOfficer.objects.all(), OFFICER_SCOPE)


def officers_with_load(actor: User, *, q: str = "", area: str = "",
                       active: str = "") -> QuerySet[ServiceOfficer]:
    qs = officers_visible_to(actor).select_related("user", "area", "department").annotate(
        load=Coalesce(current_load_subquery(), Value(0)))
    if q:
        qs = qs.filter(Q(user__full_name__icontains=q) | Q(user__username__icontains=q))
    if area == "district":
        qs = qs.filter(area__isnull=True)
    elif area:
        qs = qs.filter(area__code=area)
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs.order_by("area__code", "id")


def get_officer(actor: User, pk) -> ServiceOfficer:
    return get_visible_or_404(officers_with_load(actor), pk)


def officer_of(user: User) -> ServiceOfficer | None:
    return ServiceOfficer.objects.filter(user=user).select_related("area", "department").first()


def assignments_visible_to(actor: User) -> QuerySet[Assignment]:
    return visible_to(actor, Assignment.objects.all(), ASSIGNMENT_SCOPE)


def current_assignments(actor: User) -> QuerySet[Assignment]:
    return assignments_visible_to(actor).filter(ended_at__isnull=True).select_related(
        "organization__area", "officer__user", "detail")


def assignment_history(actor: User, organization: Organization) -> QuerySet[Assignment]:
    return assignments_visible_to(actor).filter(organization=organization).select_related(
        "officer__user", "officer__area", "detail__changed_by").order_by("-started_at", "-id")


def officer_enterprises(actor: User, officer: ServiceOfficer) -> QuerySet[Assignment]:
    return current_assignments(actor).filter(officer=officer).order_by("organization__name")


def needing_officer(actor: User) -> QuerySet[Organization]:
    return organizations_visible_to(actor).filter(rules.needs_officer_q())


def _has_officer() -> Exists:
    """Served = a current pair with an active officer; an officer who left serves nobody."""
    return Exists(Assignment.objects.filter(organization=OuterRef("pk"), ended_at__isnull=True,
                                            officer__active=True))


def unassigned(actor: User, area: str = "") -> QuerySet[Organization]:
    qs = needing_officer(actor).filter(~_has_officer()).select_related("area", "authority")
    if area:
        qs = qs.filter(area__code=area)
    return qs.order_by("area__code", "id")


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    total: int
    assigned: int

    @property
    def unassigned(self) -> int:
        return self.total - self.assigned

    @property
    def rate(self) -> float:
        return 100.0 * self.assigned / self.total if self.total else 100.0


def _coverage(actor: User, key: str, label: str) -> list[CoverageRow]:
    rows = (needing_officer(actor).annotate(has=_has_officer()).order_by()
            .values(key, label).annotate(total=Count("id"), assigned=Count("id", filter=Q(has=True)))
            .order_by(key))
    return [CoverageRow(r[key] or "", r[label] or "—", r["total"], r["assigned"]) for r in rows]


def coverage_by_area(actor: User) -> list[CoverageRow]:
    return _coverage(actor, "area__code", "area__name")


def coverage_by_department(actor: User) -> list[CoverageRow]:
    return _coverage(actor, "authority__code", "authority__name")


def coverage_total(rows: list[CoverageRow]) -> CoverageRow:
    return CoverageRow("", "", sum(r.total for r in rows), sum(r.assigned for r in rows))


def plans_visible_to(actor: User) -> QuerySet[AssignmentPlan]:
    """Plans are the planner's own; the district sees every plan."""
    qs = AssignmentPlan.objects.all()
    return qs if actor.is_district else qs.filter(created_by=actor)


def get_plan(actor: User, pk) -> AssignmentPlan:
    return get_visible_or_404(plans_visible_to(actor), pk)


def planning_area_ids(actor: User) -> list[int] | None:
    """Areas an actor may plan for: None = the whole district; [] = none at all."""
    if actor.is_district:
        return None
    ids: list[int] = []
    for role in actor.scope_roles:
        if role.kind == RoleKind.AREA:
            ids.extend(area_ids_under(role.area_id))
    return ids


# ---------------------------------------------------------------- visits
def visits_visible_to(actor: User) -> QuerySet[Visit]:
    return visible_to(actor, Visit.objects.all(), VISIT_SCOPE).select_related(
        "organization__area", "officer__user")


def get_visit(actor: User, pk) -> Visit:
    return get_visible_or_404(visits_visible_to(actor), pk)


def visits_in_month(organization_id: int, day: date) -> int:
    return Visit.objects.filter(organization_id=organization_id, visited_on__year=day.year,
                                visited_on__month=day.month).count()


def visit_plan(actor: User, *, officer: ServiceOfficer | None = None, area: str = "",
               on: date | None = None) -> QuerySet[Assignment]:
    """Current assignments annotated with the quarter's visits and the last visit date."""
    on = on or today()
    q_start, prev_start = rules.quarter_start(on), rules.previous_quarter_start(on)
    visits = Visit.objects.filter(organization=OuterRef("organization_id"))
    qs = current_assignments(actor).annotate(
        visits_this_quarter=Coalesce(Subquery(
            visits.filter(visited_on__gte=q_start, visited_on__lte=on).order_by()
            .values("organization").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField()), Value(0)),
        visited_last_quarter=Exists(visits.filter(visited_on__gte=prev_start,
                                                  visited_on__lt=q_start)),
        last_visit=Subquery(visits.order_by("-visited_on").values("visited_on")[:1]),
    )
    if officer is not None:
        qs = qs.filter(officer=officer)
    if area:
        qs = qs.filter(organization__area__code=area)
    return qs


def overdue_q(on: date) -> Q:
    prev_start = rules.previous_quarter_start(on)
    return Q(visits_this_quarter=0, visited_last_quarter=False,
             started_at__date__lt=prev_start)


def overdue_visits(actor: User, *, officer: ServiceOfficer | None = None, area: str = "",
                   on: date | None = None) -> QuerySet[Assignment]:
    on = on or today()
    return visit_plan(actor, officer=officer, area=area, on=on).filter(overdue_q(on)).order_by(
        F("last_visit").asc(nulls_first=True), "organization_id")


def visit_next(actor: User, officer: ServiceOfficer, on: date | None = None) -> list[Assignment]:
    """Whom to visit next: overdue first, then the quarter's due ones, longest unseen first."""
    on = on or today()
    rows = list(visit_plan(actor, officer=officer, on=on).filter(
        visits_this_quarter__lt=rules.visits_per_quarter()))
    for row in rows:
        row.status = rules.visit_status(
            visits_this_quarter=row.visits_this_quarter,
            visited_last_quarter=row.visited_last_quarter,
            assigned_on=timezone.localtime(row.started_at).date(), today=on)
    rows.sort(key=lambda r: (r.status != "overdue", r.last_visit or date.min, r.organization_id))
    return rows


def overdue_by_officer(actor: User, on: date | None = None) -> list[dict]:
    on = on or today()
    rows = (visit_plan(actor, on=on).filter(overdue_q(on)).order_by()
            .values("officer_id", "officer__user__full_name", "officer__user__username",
                    "officer__area__name").annotate(n=Count("id")).order_by("-n"))
    return list(rows)


def overdue_by_area(actor: User, on: date | None = None) -> list[dict]:
    on = on or today()
    return list(visit_plan(actor, on=on).filter(overdue_q(on)).order_by()
                .values("organization__area__code", "organization__area__name")
                .annotate(n=Count("id")).order_by("organization__area__code"))


def frequent_visits(actor: User, since: date | None = None) -> list[dict]:
    """无事不扰: enterprise-months with more visits than the monthly limit."""
    qs = visits_visible_to(actor)
    if since:
        qs = qs.filter(visited_on__gte=since)
    return list(qs.order_by().annotate(month=TruncMonth("visited_on"))
                .values("organization_id", "organization__name", "month")
                .annotate(n=Count("id")).filter(n__gt=rules.max_visits_per_month())
                .order_by("-month", "-n"))


def open_demands(actor: User, officer: ServiceOfficer | None = None) -> QuerySet[Visit]:
    qs = visits_visible_to(actor).exclude(demands="").filter(demands_resolved=False)
    if officer is not None:
        qs = qs.filter(officer=officer)
    return qs


# ---------------------------------------------------------------- major projects
def projects_visible_to(actor: User) -> QuerySet[MajorProject]:
    return visible_to(actor, MajorProject.objects.all(), PROJECT_SCOPE).select_related(
        "organization__area", "officer__user", "department")


def get_project(actor: User, pk) -> MajorProject:
    return get_visible_or_404(projects_visible_to(actor).prefetch_related("milestones",
                                                                           "problems"), pk)


@dataclass(frozen=True)
class ProjectProgress:
    project: MajorProject
    next_milestone: Milestone | None
    delay_days: int        # days the next milestone is past its plan (0 when on time)
    late_done: int         # milestones reached after their planned date
    open_problems: int
    last_reached: Milestone | None

    @property
    def finished(self) -> bool:
        return self.next_milestone is None


def project_progress(project: MajorProject, on: date) -> ProjectProgress:
    milestones = list(project.milestones.all())
    pending = [m for m in milestones if m.actual_on is None]
    reached = [m for m in milestones if m.actual_on is not None]
    next_one = min(pending, key=lambda m: (m.planned_on, m.id)) if pending else None
    delay = max(0, (on - next_one.planned_on).days) if next_one else 0
    return ProjectProgress(
        project=project, next_milestone=next_one, delay_days=delay,
        late_done=sum(1 for m in reached if m.actual_on > m.planned_on),
        open_problems=sum(1 for p in project.problems.all() if not p.resolved),
        last_reached=max(reached, key=lambda m: (m.actual_on, m.id)) if reached else None,
    )


def projects_with_progress(actor: User, on: date | None = None) -> list[ProjectProgress]:
    on = on or today()
    projects = projects_visible_to(actor).prefetch_related("milestones", "problems")
    return [project_progress(p, on) for p in projects]


def open_demand_count(actor: User, officer: ServiceOfficer) -> int:
    return open_demands(actor, officer).count()


def monthly_visit_counts(actor: User, officer: ServiceOfficer) -> dict:
    return dict(visits_visible_to(actor).filter(officer=officer).order_by()
                .annotate(month=TruncMonth("visited_on")).values_list("month")
                .annotate(n=Count("id")).values_list("month", "n"))


def last_visit_subquery() -> Subquery:
    return Subquery(Visit.objects.filter(organization=OuterRef("organization_id"))
                    .order_by("-visited_on").values("visited_on")[:1])


