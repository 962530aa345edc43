"""Chain endpoints added after the first router: chain problems turned into cases, and edits.

They register on `api.router` (imported at the end of api.py), kept in their own module so
that changes to the first endpoints and these merge independently."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status

from sanxin.core.apitools import IdParam, InputSchema, Page, PageParams, ordering_field, paginate
from sanxin.pairings.api_updates import resolve_id, run_edit
from sanxin.pairings.apitools import error_body
from sanxin.party.models import PartyOrganization
from sanxin.registry.models import Organization

from . import selectors, services
from .api import ERRORS, ChainMemberOut, ChainOut, LinkOut, _forbidden, router
from .models import ChainLink


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


PROBLEM_ORDERING = {"id": "id", "raised_on": "raised_on", "title": "title",
                    "chain": "chain_id", "created_at": "created_at"}


class ChainProblemListParams(PageParams):
    ordering: str = ordering_field(PROBLEM_ORDERING, "`id`")


class ChainProblemCaseIn(InputSchema):
    kind: str
    category: str
    urgency: str = "normal"
    collector_level: str = ""
    organization_id: IdParam | None = None


def _problem_out(actor, problem) -> dict:
    progress = selectors.problem_case_progress(actor, problem)
    return {"id": problem.pk, "chain_id": problem.chain_id, "title": problem.title,
            "description": problem.description, "raised_on": problem.raised_on,
            "raised_by_id": problem.raised_by_id,
            "case": None if progress is None else {
                k: v for k, v in vars(progress).items() if k != "events"}}


@router.get("/problems", response=Page[ChainProblemOut],
            summary="Chain problems in the caller's scope, each with its case's progress")
def list_problems(request: HttpRequest, paging: Query[ChainProblemListParams],
                  chain: IdParam | None = None):
    qs = selectors.problems_visible_to(request.auth).select_related("case")
    if chain:
        qs = qs.filter(chain_id=chain)
    page = paginate(qs.order_by("id"), paging, PROBLEM_ORDERING)
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
    return Status(201 if result.created else 200, _problem_out(actor, result.problem))


# edits (PATCH: only the fields sent change) ----------------------------------------------------

class ChainPatchIn(InputSchema):
    name: str | None = None
    description: str | None = None
    committee_id: IdParam | None = None


class ChainLinkPatchIn(InputSchema):
    stage: str | None = None
    name: str | None = None
    position: int | None = None


class ChainMemberPatchIn(InputSchema):
    link_id: IdParam | None = None
    branch_id: IdParam | None = None


@router.patch("/chains/{chain_id}", response={200: ChainOut, **ERRORS},
              summary="Edit a chain: name, description, joint committee (district)")
def update_chain(request: HttpRequest, chain_id: int, payload: ChainPatchIn):
    actor = request.auth
    chain = selectors.get_chain(actor, chain_id)
    changes = payload.dict(exclude_unset=True)
    try:
        resolve_id(changes, "committee_id", "committee", PartyOrganization.objects.all())
    except ValidationError as exc:
        return error_body(exc)
    result = run_edit(services.chain_update, actor=actor, chain=chain, **changes)
    return result if isinstance(result, Status) else Status(200, result)


@router.patch("/links/{link_id}", response={200: LinkOut, **ERRORS},
              summary="Edit a step of a chain: stage, name, position (district)")
def update_link(request: HttpRequest, link_id: int, payload: ChainLinkPatchIn):
    link = selectors.get_link(request.auth, link_id)
    result = run_edit(services.chain_link_update, actor=request.auth, link=link,
                     **payload.dict(exclude_unset=True))
    return result if isinstance(result, Status) else Status(200, result)


@router.patch("/members/{member_id}", response={200: ChainMemberOut, **ERRORS},
              summary="Move a member enterprise to another step of its chain or change its branch")
def update_member(request: HttpRequest, member_id: int, payload: ChainMemberPatchIn):
    actor = request.auth
    member = selectors.get_member(actor, member_id)
    changes = payload.dict(exclude_unset=True)
    try:
        resolve_id(changes, "link_id", "link", ChainLink.objects.filter(chain_id=member.chain_id))
        resolve_id(changes, "branch_id", "branch", PartyOrganization.objects.all())
    except ValidationError as exc:
        return error_body(exc)
    result = run_edit(services.chain_member_update, actor=actor, member=member, **changes)
    return result if isinstance(result, Status) else Status(
        200, selectors.get_member(actor, member_id))
