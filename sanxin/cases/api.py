"""Scoped API: cases, every transition, timeline, measures, overdue list and the hotline intake."""
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from sanxin.core.apitools import (
    WRITE_ERRORS,
    ApiError,
    DateParam,
    ErrorOut,
    InputSchema,
    Page,
    PageParams,
    etag_for,
    ordering_field,
    paginate,
    require_if_match,
    set_etag,
)
from sanxin.core.validators import normalize_code
from sanxin.registry.models import Organization

from . import rules, services
from .errors import CaseError
from .forms import CaseForm
from .measures import GROUPS, Period, compute_measures
from .models import Case
from .selectors import (
    CaseFilter,
    case_timeline,
    find_by_hotline_ticket,
    get_case,
    is_overdue,
    overdue_visible_to,
    search_cases,
)

router = Router(tags=["cases"])
ERRORS = WRITE_ERRORS


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


class TransitionIn(InputSchema):
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


class CaseIn(InputSchema):
    kind: str
    organization: int
    title: str
    description: str
    category: str
    urgency: str = "normal"
    source: str = ""
    collector_level: str = ""
    is_good_suggestion: bool = False


class HotlineIn(InputSchema):
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
    start: DateParam | None = None
    end: DateParam | None = None
    group: str = Field("", description="department, area, officer or empty for the whole scope")
    rank: str = "satisfied"


def _detail(actor, case):
    """A case already fetched through the scope (or the actor's own write), with what the
    detail adds: co-handlers, the actions the actor may take now, the calendar warning."""
    from sanxin.core import calendar

    if not hasattr(case, "is_overdue"):
        case.is_overdue = is_overdue(case.state, case.deadline, timezone.now())
    case.co_handler_ids = list(case.handler_rows.values_list("department_id", flat=True))
    case.allowed_actions = [t.action for t in services.allowed_transitions(actor, case)]
    case.calendar_warning_years = calendar.uncovered_years(case.signed_at, case.deadline)
    return case


def _error(exc: CaseError) -> ApiError:
    """A case write's refusal in the shared envelope: a bad value is 422 `invalid`; 403
    `forbidden`, 409 `invalid_state` and `changed_meanwhile` keep their status."""
    return ApiError(422 if exc.status == 400 else exc.status, exc.code, exc.message,
                    field=exc.field)


CASE_ORDERING = {"id": "id", "created_at": "created_at", "deadline": "deadline",
                 "state": "state", "kind": "kind", "urgency": "urgency", "title": "title",
                 "organization_name": "organization__name", "category": "category__code"}


class CaseListParams(PageParams):
    ordering: str = ordering_field(CASE_ORDERING, "newest first (`-id`)")


class OverdueListParams(PageParams):
    ordering: str = ordering_field(CASE_ORDERING, "earliest deadline first (`deadline`)")


def _form_error(form) -> ValidationError:
    return ValidationError(form.errors.as_data())


def case_etag(case: Case) -> str:
    """Changes with every transition (each one bumps `version`)."""
    return etag_for(case.pk, case.state, case.version)


@router.get("/cases", response=Page[CaseOut], summary="Cases in the caller's scope")
def list_cases(request: HttpRequest, q: str = "", kind: str = "", state: str = "",
               category: str = "", overdue: str = "", paging: Query[CaseListParams] = None):
    flt = CaseFilter(q=q, kind=kind, state=state, category=category, overdue=overdue)
    return paginate(search_cases(request.auth, flt), paging or CaseListParams(), CASE_ORDERING)


@router.post("/cases", response={201: CaseDetailOut, **ERRORS}, summary="Raise a case")
def create_case(request: HttpRequest, payload: CaseIn):
    form = CaseForm(data=payload.dict())
    if not form.is_valid():
        raise _form_error(form)
    try:
        case = services.case_raise(actor=request.auth, data=form.cleaned_data)
    except CaseError as exc:
        raise _error(exc) from exc
    return Status(201, _detail(request.auth, case))


ETAG_HEADER = {"headers": {"ETag": {
    "description": "the case's current version; send it as If-Match on a transition",
    "schema": {"type": "string"}}}}


@router.get("/cases/{case_id}", response=CaseDetailOut,
            summary="One case (404 outside the scope); its ETag goes in If-Match on a transition",
            openapi_extra={"responses": {200: ETAG_HEADER}})
def case_detail(request: HttpRequest, case_id: int, response: HttpResponse):
    case = get_case(request.auth, case_id)
    set_etag(response, case_etag(case))
    return _detail(request.auth, case)


@router.get("/cases/{case_id}/timeline", response=list[EventOut], summary="Who did what, when, why")
def timeline(request: HttpRequest, case_id: int):
    return list(case_timeline(get_case(request.auth, case_id)))


@router.post("/cases/{case_id}/transitions/{action}",
             response={200: CaseDetailOut, 412: ErrorOut, **ERRORS},
             summary="Perform one transition of the workflow table",
             description="`If-Match` (optional): the case's ETag as read; if the case changed "
                         "since, 412 `precondition_failed` and nothing changes. The answer "
                         "carries the new ETag.",
             openapi_extra={"responses": {200: ETAG_HEADER}, "parameters": [{
                 "in": "header", "name": "If-Match", "required": False,
                 "schema": {"type": "string"},
                 "description": "the ETag read; a stale one is 412 and nothing changes"}]})
def transition(request: HttpRequest, case_id: int, action: str, payload: TransitionIn,
               response: HttpResponse):
    fields = payload.dict(exclude={"version"})
    get_case(request.auth, case_id)  # 404 outside the scope, before anything is locked
    try:
        with transaction.atomic():
            # The If-Match check and the change under one row lock: no other write can come
            # between them (services.case_transition runs in this transaction).
            locked = Case.objects.select_for_update().only("pk", "state", "version").get(
                pk=case_id)
            require_if_match(request, case_etag(locked), required=False)
            case = services.case_transition(actor=request.auth, case_id=case_id, action=action,
                                            fields=fields, version=payload.version)
    except CaseError as exc:
        raise _error(exc) from exc
    set_etag(response, case_etag(case))
    return Status(200, _detail(request.auth, case))


@router.get("/transitions", response=list[TransitionOut], summary="The workflow's transition table")
def transition_table(request: HttpRequest):
    return [{"action": t.action, "label": str(t.label), "sources": list(t.sources),
             "target": t.target, "allowed": sorted(t.allowed), "required": list(t.required),
             "optional": list(t.optional)} for t in rules.TRANSITIONS]


@router.get("/measures", response=list[MeasureRow],
            summary="响应率, 按时办结率, 解决率, 满意率, 退单率, 重办率, 整改率 with numerators")
def measures(request: HttpRequest, params: Query[MeasureQuery]):
    if params.group and params.group not in GROUPS:
        raise ApiError(422, "invalid_choice", field="group")
    if params.start and params.end and params.start > params.end:
        raise ApiError(422, "invalid_period", field="start")
    rows = compute_measures(request.auth, Period(params.start, params.end), params.group,
                            rank_by=params.rank)
    return [{"key": r.key, "label": r.label, "cases": r.cases,
                  "measures": {c: {"numerator": m.numerator, "denominator": m.denominator,
                                   "rate": m.rate} for c, m in r.measures.items()}} for r in rows]


@router.get("/overdue", response=Page[CaseOut], summary="Cases past their deadline without an answer")
def overdue(request: HttpRequest, paging: Query[OverdueListParams]):
    from .selectors import overdue_expression

    return paginate(overdue_visible_to(request.auth).annotate(is_overdue=overdue_expression()),
                    paging, CASE_ORDERING)


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
        raise ApiError(422, "unknown_credit_code", field="credit_code")
    form = CaseForm(data={"kind": "demand", "organization": organization.pk, "title": payload.title,
                          "description": payload.description, "category": payload.category,
                          "urgency": payload.urgency, "source": "hotline", "hotline_ticket": ticket})
    existing = services.Case.objects.filter(hotline_ticket=ticket).first()
    if existing is not None and request.auth.is_district:
        return Status(200, _hotline_out(request.auth, existing, False))
    if not form.is_valid():
        raise _form_error(form)
    try:
        result = services.hotline_intake(actor=request.auth, data=form.cleaned_data)
    except CaseError as exc:
        raise _error(exc) from exc
    return Status(201 if result.created else 200, _hotline_out(request.auth, result.case, result.created))


@router.get("/hotline/{ticket}", response=HotlineOut, summary="Progress of a hotline ticket")
def hotline_progress(request: HttpRequest, ticket: str):
    case = find_by_hotline_ticket(request.auth, normalize_code(ticket))
    return _hotline_out(request.auth, case, False)


