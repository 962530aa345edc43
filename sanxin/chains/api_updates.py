"""Chain endpoints added after the first router: chain problems turned into cases, and edits.

They register on `api.router` (imported at the end of api.py), kept in their own module so
that changes to the first endpoints and these merge independently."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema

from sanxin.core.apitools import IdParam, InputSchema, Page, PageParams, paginate
from sanxin.pairings.apitools import error_body
from sanxin.registry.models import Organization

from . import selectors, services
from .api import ERRORS, _forbidden, router


class CaseProgressOut(Schema):
    case_id: int
    number: str
    state: str
    state_label: str
    lead_department: str | None
    deadline: datetime | None
    answered_at: datetime | None
    closed_at: datetime | None
    rating: str
    merged_into_id: int | None
    answer: str | None = None
    visible: bool


class ChainProblemOut(Schema):
    id: int
    chain_id: int
    title: str
    description: str
    raised_on: date
    raised_by_id: int | None
    case: CaseProgressOut | None


class ChainProblemCaseIn(InputSchema):
    kind: str
    category: str
    urgency: str = "normal"
    collector_level: str = ""
    organization_id: int | None = None


def _problem_out(actor, problem) -> dict:
    progress = selectors.problem_case_progress(actor, problem)
    return {"id": problem.pk, "chain_id": problem.chain_id, "title": problem.title,
            "description": problem.description, "raised_on": problem.raised_on,
            "raised_by_id": problem.raised_by_id,
            "case": None if progress is None else {
                k: v for k, v in vars(progress).items() if k != "events"}}


@router.get("/problems", response=Page[ChainProblemOut],
            summary="Chain problems in the caller's scope, each with its case's progress")
def list_problems(request: HttpRequest, paging: Query[PageParams], chain: IdParam | None = None):
    qs = selectors.problems_visible_to(request.auth).select_related("case")
    if chain:
        qs = qs.filter(chain_id=chain)
    page = paginate(qs.order_by("id"), paging)
    page["results"] = [_problem_out(request.auth, p) for p in page["results"]]
    return page


@router.get("/problems/{problem_id}", response=ChainProblemOut,
            summary="A chain problem with its case's progress (404 outside the scope)")
def get_problem(request: HttpRequest, problem_id: int):
    return _problem_out(request.auth, selectors.get_problem(request.auth, problem_id))


@router.post("/problems/{problem_id}/case", response={200: ChainProblemOut,
                                                       201: ChainProblemOut, **ERRORS},
             summary="Turn a chain problem into a case (the district or the chain's committee); "
                     "idempotent: 200 with the case made before")
def problem_to_case(request: HttpRequest, problem_id: int, payload: ChainProblemCaseIn):
    actor = request.auth
    problem = selectors.get_problem(actor, problem_id)
    data = payload.dict()
    try:
        organization_id = data.pop("organization_id")
        organization = None
        if organization_id is not None:   # the chain's members are shown with the chain
            organization = Organization.objects.filter(
                pk=organization_id, chain_memberships__chain=problem.chain_id).first()
            if organization is None:
                raise ValidationError({"organization_id": _("This enterprise is not a member "
                                                            "of the chain.")})
        result = services.chain_problem_to_case(actor=actor, problem=problem,
                                                organization=organization, **data)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)
    return (201 if result.created else 200), _problem_out(actor, result.problem)
