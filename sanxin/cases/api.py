"""Scoped API: cases, every transition, timeline, measures, overdue list and the hotline intake."""
from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sanxin.core.apitools import ErrorOut, Page, PageParams, paginate
from sanxin.core.validators import normalize_code
from sanxin.registry.models import Organization

from . import rules, services
from .errors import CaseError
from .forms import CaseForm
from .measures import GROUPS, Period, compute_measures
from .models import OPEN_STATES
from .selectors import (
    CaseFilter,
    case_timeline,
    find_by_hotline_ticket,
    get_case,
    overdue_visible_to,
    search_cases,
)

router = Router(tags=["cases"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 409: ErrorOut}


class CaseOut(Schema):
    id: int
    kind: str
    title: str
    organization_id: int
    organization_name: str
    category: str
    urgency: str
    source: str
    hotline_ticket: str | None
    state: str
    version: int
    lead_department_id: int | None
    deadline: datetime | None
    is_overdue: bool = False
    created_at: datetime

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.code


class CaseDetailOut(CaseOut):
    description: str
    collector_level: str
    is_good_suggestion: bool
    co_handler_ids: list[int]
    response_due: datetime | None
    signed_at: datetime | None
    answered_at: datetime | None
    answer: str
    rating: str
    resolved: bool | None
    merged_into_id: int | None
    allowed_actions: list[str]
    calendar_warning_years: list[int]


class EventOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str | None
    at: datetime
    note: str
    data: dict

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class TransitionOut(Schema):
    action: str
    label: str
    sources: list[str]
    target: str | None
    allowed: list[str]
    required: list[str]
    optional: list[str]


class TransitionIn(Schema):
    version: int | None = Field(None, description="the version you read; a stale one gets 409")
    lead_department: int | None = None
    co_handlers: list[int] = []
    note: str | None = None
    reason: str | None = None
    answer: str | None = None
    working_days: int | None = None
    rating: str | None = None
    resolved: bool | None = None
    target: int | None = None


class CaseIn(Schema):
    kind: str
    organization: int
    title: str
    description: str
    category: str
    urgency: str = "normal"
    source: str = ""
    collector_level: str = ""
    is_good_suggestion: bool = False


class HotlineIn(Schema):
    ticket: str = Field(..., min_length=1, max_length=40, description="12345 ticket number")
    credit_code: str = Field(..., description="the enterprise's unified social credit code")
    title: str
    description: str
    category: str = "other"
    urgency: str = "normal"


class HotlineOut(Schema):
    created: bool
    ticket: str
    case_id: int
    state: str
    deadline: datetime | None
    answered_at: datetime | None
    answer: str
    events: list[EventOut]


class MeasureRatio(Schema):
    numerator: int
    denominator: int
    rate: float | None


class MeasureRow(Schema):
    key: int | None
    label: str
    cases: int
    measures: dict[str, MeasureRatio]


class MeasureQuery(Schema):
    start: date | None = None
    end: date | None = None
    group: str = Field("", description="department, area, officer or empty for the whole scope")
    rank: str = "satisfied"


def _detail(actor, case):
    """A case already fetched through the scope (or the actor's own write), with what the
    detail adds: co-handlers, the actions the actor may take now, the calendar warning."""
    from sanxin.core import calendar

    if not hasattr(case, "is_overdue"):
        case.is_overdue = case.state in OPEN_STATES and case.deadline is not None \
            and case.deadline < timezone.now()
    case.co_handler_ids = list(case.handler_rows.values_list("department_id", flat=True))
    case.allowed_actions = [t.action for t in services.allowed_transitions(actor, case)]
    case.calendar_warning_years = calendar.uncovered_years(case.signed_at, case.deadline)
    return case


def _error(exc: CaseError):
    return exc.status, {"code": exc.code, "message": exc.message, "field": exc.field}


@router.get("/cases", response=Page[CaseOut], summary="Cases in the caller's scope")
def list_cases(request: HttpRequest, q: str = "", kind: str = "", state: str = "",
               category: str = "", overdue: str = "", paging: Query[PageParams] = None):
    flt = CaseFilter(q=q, kind=kind, state=state, category=category, overdue=overdue)
    return paginate(search_cases(request.auth, flt), paging or PageParams())


@router.post("/cases", response={201: CaseDetailOut, **ERRORS}, summary="Raise a case")
def create_case(request: HttpRequest, payload: CaseIn):
    form = CaseForm(data=payload.dict())
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return 400, {"code": "invalid", "message": str(errors[0]), "field": field}
    try:
        case = services.case_raise(actor=request.auth, data=form.cleaned_data)
    except CaseError as exc:
        return _error(exc)
    return 201, _detail(request.auth, case)


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case (404 outside the scope)")
def case_detail(request: HttpRequest, case_id: int):
    return _detail(request.auth, get_case(request.auth, case_id))


@router.get("/cases/{case_id}/timeline", response=list[EventOut], summary="Who did what, when, why")
def timeline(request: HttpRequest, case_id: int):
    return list(case_timeline(get_case(request.auth, case_id)))


@router.post("/cases/{case_id}/transitions/{action}", response={200: CaseDetailOut, **ERRORS},
             summary="Perform one transition of the workflow table")
def transition(request: HttpRequest, case_id: int, action: str, payload: TransitionIn):
    fields = payload.dict(exclude={"version"})
    try:
        case = services.case_transition(actor=request.auth, case_id=case_id, action=action,
                                        fields=fields, version=payload.version)
    except CaseError as exc:
        return _error(exc)
    return 200, _detail(request.auth, case)


@router.get("/transitions", response=list[TransitionOut], summary="The workflow's transition table")
def transition_table(request: HttpRequest):
    return [{"action": t.action, "label": str(t.label), "sources": list(t.sources),
             "target": t.target, "allowed": sorted(t.allowed), "required": list(t.required),
             "optional": list(t.optional)} for t in rules.TRANSITIONS]


@router.get("/measures", response={200: list[MeasureRow], 400: ErrorOut},
            summary="响应率, 按时办结率, 解决率, 满意率, 退单率, 重办率, 整改率 with numerators")
def measures(request: HttpRequest, params: Query[MeasureQuery]):
    if params.group and params.group not in GROUPS:
        return 400, {"code": "invalid", "message": "group must be department, area or officer",
                     "field": "group"}
    if params.start and params.end and params.start > params.end:
        return 400, {"code": "invalid", "message": "start is after end", "field": "start"}
    rows = compute_measures(request.auth, Period(params.start, params.end), params.group,
                            rank_by=params.rank)
    return 200, [{"key": r.key, "label": r.label, "cases": r.cases,
                  "measures": {c: {"numerator": m.numerator, "denominator": m.denominator,
                                   "rate": m.rate} for c, m in r.measures.items()}} for r in rows]


@router.get("/overdue", response=Page[CaseOut], summary="Cases past their deadline without an answer")
def overdue(request: HttpRequest, paging: Query[PageParams]):
    from .selectors import overdue_expression

    return paginate(overdue_visible_to(request.auth).annotate(is_overdue=overdue_expression()), paging)


def _hotline_out(actor, case, created: bool) -> dict:
    return {"created": created, "ticket": case.hotline_ticket, "case_id": case.pk,
            "state": case.state, "deadline": case.deadline, "answered_at": case.answered_at,
            "answer": case.answer, "events": list(case_timeline(case))}


@router.post("/hotline", response={200: HotlineOut, 201: HotlineOut, **ERRORS},
             summary="Hotline transfer in (idempotent on the ticket number)")
def hotline_intake(request: HttpRequest, payload: HotlineIn):
    ticket = normalize_code(payload.ticket)
    organization = Organization.objects.filter(credit_code=normalize_code(payload.credit_code)).first()
    if organization is None:
        return 400, {"code": "invalid", "field": "credit_code",
                     "message": "No organization has this unified social credit code."}
    form = CaseForm(data={"kind": "demand", "organization": organization.pk, "title": payload.title,
                          "description": payload.description, "category": payload.category,
                          "urgency": payload.urgency, "source": "hotline", "hotline_ticket": ticket})
    existing = services.Case.objects.filter(hotline_ticket=ticket).first()
    if existing is not None and request.auth.is_district:
        return 200, _hotline_out(request.auth, existing, False)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return 400, {"code": "invalid", "message": str(errors[0]), "field": field}
    try:
        result = services.hotline_intake(actor=request.auth, data=form.cleaned_data)
    except CaseError as exc:
        return _error(exc)
    return (201 if result.created else 200), _hotline_out(request.auth, result.case, result.created)


@router.get("/hotline/{ticket}", response=HotlineOut, summary="Progress of a hotline ticket")
def hotline_progress(request: HttpRequest, ticket: str):
    case = find_by_hotline_ticket(request.auth, normalize_code(ticket))
    return _hotline_out(request.auth, case, False)


