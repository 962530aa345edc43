"""Enterprise-service API: officers, assignments, optimizer preview/apply, visits, projects.
Every read goes through the caller's scope; outside it a row is 404."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from sanxin.core.apitools import (
    ErrorOut,
    IdParam,
    InputSchema,
    Page,
    PageParams,
    ordering_field,
    paginate,
    validation_error,
)
from sanxin.registry.models import Area
from sanxin.registry.selectors import get_organization

from . import rules, selectors, services
from .forms import OfficerForm
from .labels import reason_label

router = Router(tags=["service"])


def _error(exc: ValidationError) -> dict:
    return validation_error(exc).value


# ---------------------------------------------------------------- officers
class OfficerOut(Schema):
    id: int
    username: str
    name: str
    area_code: str | None
    department_code: str | None
    capacity: int
    load: int
    industries: str
    latitude: float | None
    longitude: float | None
    active: bool

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.username

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_area_code(obj) -> str | None:
        return obj.area.code if obj.area_id else None

    @staticmethod
    def resolve_department_code(obj) -> str | None:
        return obj.department.code if obj.department_id else None


class OfficerIn(InputSchema):
    username: str
    area_code: str | None = None
    department_code: str | None = None
    capacity: int
    industries: str = ""
    latitude: float | None = None
    longitude: float | None = None
    active: bool = True


OFFICER_ORDERING = {"id": "id", "username": "user__username", "area": "area__code",
                    "capacity": "capacity", "load": "load", "active": "active"}
ASSIGNMENT_ORDERING = {"id": "id", "organization": "organization_id",
                       "organization_name": "organization__name", "officer": "officer_id",
                       "started_at": "started_at"}
VISIT_ORDERING = {"id": "id", "visited_on": "visited_on", "organization": "organization_id",
                  "officer": "officer_id"}


class OfficerListParams(PageParams):
    ordering: str = ordering_field(OFFICER_ORDERING, "`area,id`")


class AssignmentListParams(PageParams):
    ordering: str = ordering_field(ASSIGNMENT_ORDERING, "`organization,id`")


class VisitListParams(PageParams):
    ordering: str = ordering_field(VISIT_ORDERING, "`-visited_on,-id`")


class OfficerQuery(Schema):
    q: str = ""
    area: str = ""
    active: str = ""


@router.get("/officers", response=Page[OfficerOut], summary="Service officers in scope, with load")
def list_officers(request: HttpRequest, filters: Query[OfficerQuery],
                  paging: Query[OfficerListParams]):
    return paginate(selectors.officers_with_load(request.auth, **filters.dict()), paging,
                    OFFICER_ORDERING)


@router.get("/officers/{officer_id}", response=OfficerOut, summary="One officer (404 outside scope)")
def get_officer(request: HttpRequest, officer_id: int):
    return selectors.get_officer(request.auth, officer_id)


@router.post("/officers", response={201: OfficerOut, 422: ErrorOut, 403: ErrorOut},
             summary="Create a service officer (district or area users)")
def create_officer(request: HttpRequest, payload: OfficerIn):
    actor = request.auth
    if not services.can_manage_officers(actor):
        return Status(403, {"code": "forbidden", "message": _("You may not manage officers.")})
    data = {"user": payload.username, "area": payload.area_code or "",
            "department": payload.department_code or "", "capacity": payload.capacity,
            "industries": payload.industries, "latitude": payload.latitude,
            "longitude": payload.longitude, "active": payload.active}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    from sanxin.registry.selectors import areas_visible_to

    form = OfficerForm(data, allowed_areas=areas_visible_to(actor),
                       district_level_allowed=actor.is_district)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else field
        return Status(422, {"code": "invalid", "message": f"{label}: {errors[0]}", "field": field})
    try:
        officer = services.officer_save(actor=actor, form=form)
    except PermissionDenied:
        return Status(403, {"code": "forbidden", "message": _("This area is outside your scope.")})
    return Status(201, selectors.get_officer(actor, officer.pk))


# ---------------------------------------------------------------- assignments
class AssignmentOut(Schema):
    id: int
    organization_id: int
    organization: str
    officer_id: int
    officer: str
    started_at: str
    ended_at: str | None
    why: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_officer(obj) -> str:
        return str(obj.officer)

    @staticmethod
    def resolve_started_at(obj) -> str:
        return obj.started_at.isoformat()

    @staticmethod
    def resolve_ended_at(obj) -> str | None:
        return obj.ended_at.isoformat() if obj.ended_at else None

    @staticmethod
    def resolve_why(obj) -> str:
        return reason_label(obj)


class AssignmentQuery(Schema):
    officer: IdParam | None = None
    area: str = ""


class OverrideIn(InputSchema):
    officer_id: int
    reason: str


@router.get("/assignments", response=Page[AssignmentOut], summary="Current assignments in scope")
def list_assignments(request: HttpRequest, filters: Query[AssignmentQuery],
                     paging: Query[AssignmentListParams]):
    qs = selectors.current_assignments(request.auth).order_by("organization_id", "id")
    if filters.officer:
        qs = qs.filter(officer_id=filters.officer)
    if filters.area:
        qs = qs.filter(organization__area__code=filters.area)
    return paginate(qs, paging, ASSIGNMENT_ORDERING)


@router.get("/organizations/{org_id}/assignments", response=list[AssignmentOut],
            summary="Who served an organization, and why it changed")
def organization_assignments(request: HttpRequest, org_id: int):
    organization = get_organization(request.auth, org_id)
    return list(selectors.assignment_history(request.auth, organization))


@router.post("/organizations/{org_id}/assignment",
             response={201: AssignmentOut, 422: ErrorOut, 403: ErrorOut},
             summary="Manual override: choose the officer (kept by later rebalances)")
def override_assignment(request: HttpRequest, org_id: int, payload: OverrideIn):
    actor = request.auth
    organization = get_organization(actor, org_id)
    officer = selectors.officers_visible_to(actor).filter(pk=payload.officer_id).first()
    if officer is None:
        return Status(422, {"code": "invalid", "message": _("officer: unknown officer."), "field": "officer"})
    try:
        assignment = services.assignment_override(actor=actor, organization=organization,
                                                  officer=officer, reason=payload.reason)
    except PermissionDenied:
        return Status(403, {"code": "forbidden", "message": _("This organization is outside your scope.")})
    except ValidationError as exc:
        return Status(422, _error(exc))
    return Status(201, selectors.assignments_visible_to(actor).select_related(
        "organization", "officer__user", "detail").get(pk=assignment.pk))


# ---------------------------------------------------------------- optimizer
class PlanIn(InputSchema):
    mode: str = "assign"
    area_code: str | None = None


class ShortageOut(Schema):
    area_code: str | None
    area: str | None
    enterprises: int
    capacity: int
    missing: int


class MoveOut(Schema):
    organization_id: int
    officer_id: int
    previous_officer_id: int | None
    distance_m: int | None
    industry_match: bool
    same_area: bool
    reason: str


class PlanOut(Schema):
    id: int
    mode: str
    status: str
    base_version: int
    summary: dict
    shortages: list[ShortageOut]
    changes: list[MoveOut]

    @staticmethod
    def resolve_shortages(obj) -> list[dict]:
        areas = Area.objects.in_bulk([s["area_id"] for s in obj.shortages])
        return [{"area_code": areas[s["area_id"]].code if s["area_id"] in areas else None,
                 "area": areas[s["area_id"]].name if s["area_id"] in areas else None,
                 "enterprises": s["enterprises"], "capacity": s["capacity"],
                 "missing": s["missing"]} for s in obj.shortages]

    @staticmethod
    def resolve_changes(obj) -> list[dict]:
        return [{"organization_id": m[0], "officer_id": m[1], "distance_m": m[2],
                 "industry_match": m[3], "same_area": m[4], "previous_officer_id": m[5],
                 "reason": m[6]} for m in obj.moves]


@router.post("/optimizer/preview", response={201: PlanOut, 422: ErrorOut, 403: ErrorOut},
             summary="Compute a plan (nothing is applied); infeasible plans list the shortages")
def optimizer_preview(request: HttpRequest, payload: PlanIn):
    actor = request.auth
    area_ids = None
    if payload.area_code:
        area = Area.objects.filter(code=payload.area_code).first()
        if area is None:
            return Status(422, {"code": "invalid", "message": _("area_code: unknown area."),
                         "field": "area_code"})
        area_ids = [area.pk]
    try:
        plan = services.plan_preview(actor=actor, mode=payload.mode, area_ids=area_ids)
    except PermissionDenied:
        return Status(403, {"code": "forbidden", "message": _("You may not plan these areas.")})
    except ValidationError as exc:
        return Status(422, _error(exc))
    return Status(201, plan)


@router.get("/optimizer/plans/{plan_id}", response=PlanOut, summary="One plan")
def get_plan(request: HttpRequest, plan_id: int):
    return selectors.get_plan(request.auth, plan_id)


class ApplyOut(Schema):
    changed: int


@router.post("/optimizer/plans/{plan_id}/apply",
             response={200: ApplyOut, 422: ErrorOut, 403: ErrorOut, 409: ErrorOut},
             summary="Apply a previewed plan in one transaction; 409 when it is stale")
def apply_plan(request: HttpRequest, plan_id: int):
    actor = request.auth
    plan = selectors.get_plan(actor, plan_id)
    try:
        changed = services.plan_apply(actor=actor, plan=plan)
    except services.StalePlan:
        return Status(409, {"code": "stale", "message": _(
            "This plan is stale: assignments changed after it was computed. Nothing was "
            "applied; preview again.")})
    except PermissionDenied:
        return Status(403, {"code": "forbidden", "message": _("You may not apply this plan.")})
    except ValidationError as exc:
        return Status(422, _error(exc))
    return Status(200, {"changed": changed})


# ---------------------------------------------------------------- visits
class VisitOut(Schema):
    id: int
    organization_id: int
    organization: str
    officer_id: int
    visited_on: date
    met_person: str
    discussed: str
    demands: list[str]
    demands_resolved: bool

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_demands(obj) -> list[str]:
        return obj.demand_list


class VisitIn(InputSchema):
    organization_id: int
    visited_on: date
    met_person: str
    discussed: str
    demands: list[str] = []


class VisitCreated(VisitOut):
    warning: str | None = None


class VisitQuery(Schema):
    organization: IdParam | None = None
    officer: IdParam | None = None


@router.get("/visits", response=Page[VisitOut], summary="Visits in scope")
def list_visits(request: HttpRequest, filters: Query[VisitQuery], paging: Query[VisitListParams]):
    qs = selectors.visits_visible_to(request.auth)
    if filters.organization:
        qs = qs.filter(organization_id=filters.organization)
    if filters.officer:
        qs = qs.filter(officer_id=filters.officer)
    return paginate(qs, paging, VISIT_ORDERING)


@router.get("/visits/{visit_id}", response=VisitOut, summary="One visit")
def get_visit(request: HttpRequest, visit_id: int):
    return selectors.get_visit(request.auth, visit_id)


@router.post("/visits", response={201: VisitCreated, 422: ErrorOut, 403: ErrorOut},
             summary="An officer logs a visit to an enterprise it serves")
def create_visit(request: HttpRequest, payload: VisitIn):
    actor = request.auth
    from sanxin.registry.models import Organization

    organization = Organization.objects.filter(pk=payload.organization_id).select_related(
        "area").first()
    if organization is None:
        return Status(422, {"code": "invalid", "message": _("organization_id: unknown enterprise."),
                     "field": "organization_id"})
    try:
        result = services.visit_log(actor=actor, organization=organization,
                                    visited_on=payload.visited_on, met_person=payload.met_person,
                                    discussed=payload.discussed,
                                    demands="\n".join(d.strip() for d in payload.demands))
    except PermissionDenied:
        return Status(403, {"code": "forbidden", "message": _("Only service officers log visits.")})
    except ValidationError as exc:
        return Status(422, _error(exc))
    visit = result.visit
    visit.warning = _("无事不扰: %(n)d visits to this enterprise this month, more than %(max)d.") % {
        "n": result.visits_in_month, "max": rules.max_visits_per_month()} if result.too_many else None
    return Status(201, visit)


# ---------------------------------------------------------------- projects
class MilestoneOut(Schema):
    kind: str
    title: str
    planned_on: date
    actual_on: date | None


class ProjectOut(Schema):
    id: int
    name: str
    organization_id: int
    organization: str
    officer_id: int | None
    department_code: str | None
    next_milestone: MilestoneOut | None
    delay_days: int
    open_problems: int
    milestones: list[MilestoneOut]


def _project_out(progress) -> dict:
    project = progress.project
    return {
        "id": project.pk, "name": project.name, "organization_id": project.organization_id,
        "organization": project.organization.name, "officer_id": project.officer_id,
        "department_code": project.department.code if project.department_id else None,
        "next_milestone": _milestone(progress.next_milestone) if progress.next_milestone else None,
        "delay_days": progress.delay_days, "open_problems": progress.open_problems,
        "milestones": [_milestone(m) for m in project.milestones.all()],
    }


def _milestone(m) -> dict:
    return {"kind": m.kind, "title": m.title, "planned_on": m.planned_on,
            "actual_on": m.actual_on}


@router.get("/projects", response=list[ProjectOut], summary="Major projects with next milestone")
def list_projects(request: HttpRequest):
    return [_project_out(p) for p in selectors.projects_with_progress(request.auth)]


@router.get("/projects/{project_id}", response=ProjectOut, summary="One major project")
def get_project(request: HttpRequest, project_id: int):
    project = selectors.get_project(request.auth, project_id)
    return _project_out(selectors.project_progress(project, selectors.today()))


