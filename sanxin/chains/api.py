from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Query, Router, Schema

from sanxin.core.apitools import (
    WRITE_ERRORS,
    IdParam,
    InputSchema,
    Page,
    PageParams,
    forbidden,
    ordering_field,
    paginate,
)
from sanxin.pairings.apitools import error_body, scoped_or_400
from sanxin.party.models import PartyOrganization
from sanxin.registry.selectors import organizations_visible_to

from . import selectors, services
from .models import ChainMember, Post

router = Router(tags=["chains"])
ERRORS = WRITE_ERRORS
NOT_IN_SCOPE = gettext_lazy("No such row in your scope: check the ID.")


def _forbidden():
    return forbidden(_("Your role may not do this."))


class ChainMemberOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    area_code: str
    branch_id: int | None
    branch_name: str | None

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.organization.area.code

    @staticmethod
    def resolve_branch_name(obj) -> str | None:
        return obj.branch.name if obj.branch_id else None


class LinkOut(Schema):
    id: int
    stage: str
    name: str
    position: int
    members: list[ChainMemberOut]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class ChainOut(Schema):
    id: int
    name: str
    description: str
    committee_id: int | None
    committee_name: str | None

    @staticmethod
    def resolve_committee_name(obj) -> str | None:
        return obj.committee.name if obj.committee_id else None


class BranchOut(Schema):
    id: int
    name: str


class ChainDetailOut(ChainOut):
    links: list[LinkOut]
    committee_branches: list[BranchOut]

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())

    @staticmethod
    def resolve_committee_branches(obj):
        return selectors.committee_branches(obj)


class ChainIn(InputSchema):
    name: str
    description: str = ""
    committee_id: int | None = None


class LinkIn(InputSchema):
    stage: str
    name: str
    position: int | None = None


class MemberIn(InputSchema):
    link_id: int
    organization_id: int
    branch_id: int | None = None


class PostOut(Schema):
    id: int
    chain_id: int
    member_id: int
    organization_id: int
    organization_name: str
    link_name: str
    kind: str
    offer: str
    category: str
    quantity: Decimal
    unit: str
    starts_on: date
    ends_on: date
    status: str
    description: str

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_link_name(obj) -> str:
        return obj.member.link.name


class PostIn(InputSchema):
    member_id: int
    kind: str
    offer: str = "product"
    category: str
    quantity: Decimal
    unit: str = ""
    starts_on: date
    ends_on: date
    description: str = ""


POST_ORDERING = {"id": "id", "kind": "kind", "category": "category", "quantity": "quantity",
                 "starts_on": "starts_on", "ends_on": "ends_on", "status": "status",
                 "created_at": "created_at", "organization_name": "organization__name"}
DEAL_ORDERING = {"id": "id", "agreed_on": "agreed_on", "quantity": "quantity",
                 "distance_km": "distance_km", "created_at": "created_at"}


class PostListParams(PageParams):
    ordering: str = ordering_field(POST_ORDERING, "`id`")


class DealListParams(PageParams):
    ordering: str = ordering_field(DEAL_ORDERING, "`id`")


class PostQuery(Schema):
    chain: IdParam | None = None
    kind: str = ""
    category: str = ""
    status: str = ""


class ProposalOut(Schema):
    post: PostOut
    distance_km: float | None
    step_gap: int
    quantity: Decimal


class DealIn(InputSchema):
    supply_id: int
    need_id: int
    quantity: Decimal
    agreed_on: date
    note: str = ""


class DealOut(Schema):
    id: int
    chain_id: int
    supply_id: int
    need_id: int
    supplier: str
    buyer: str
    category: str
    quantity: Decimal
    agreed_on: date
    distance_km: float | None

    @staticmethod
    def resolve_supplier(obj) -> str:
        return obj.supply.organization.name

    @staticmethod
    def resolve_buyer(obj) -> str:
        return obj.need.organization.name

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.supply.category


class MarketOut(Schema):
    supply: list[PostOut]
    needs: list[PostOut]
    deals: list[DealOut]


class ChainProblemIn(InputSchema):
    title: str
    description: str = ""
    raised_on: date
    raised_by_id: int | None = None


class RaisedProblemOut(Schema):
    id: int
    chain_id: int
    title: str
    description: str
    raised_on: date
    raised_by_id: int | None


@router.get("/chains", response=list[ChainOut], summary="Industry chains in the caller's scope")
def list_chains(request: HttpRequest):
    return selectors.chain_list(request.auth)


@router.get("/chains/{chain_id}", response=ChainDetailOut,
            summary="A chain: links, member enterprises, joint committee and its branches")
def get_chain(request: HttpRequest, chain_id: int):
    return selectors.get_chain(request.auth, chain_id)


@router.post("/chains", response={201: ChainOut, **ERRORS}, summary="Create a chain (district)")
def create_chain(request: HttpRequest, payload: ChainIn):
    try:
        committee = scoped_or_400(PartyOrganization.objects.all(), payload.committee_id,
                                  "committee_id", NOT_IN_SCOPE)
        return 201, services.chain_create(actor=request.auth, name=payload.name,
                                          description=payload.description, committee=committee)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


@router.post("/chains/{chain_id}/links", response={201: LinkOut, **ERRORS},
             summary="Add a step to a chain (district)")
def add_link(request: HttpRequest, chain_id: int, payload: LinkIn):
    chain = selectors.get_chain(request.auth, chain_id)
    try:
        return 201, services.chain_link_add(actor=request.auth, chain=chain, **payload.dict())
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


@router.post("/chains/{chain_id}/members", response={201: ChainMemberOut, **ERRORS},
             summary="Add an enterprise at a step of the chain")
def add_member(request: HttpRequest, chain_id: int, payload: MemberIn):
    actor = request.auth
    chain = selectors.get_chain(actor, chain_id)
    try:
        link = scoped_or_400(chain.links.all(), payload.link_id, "link_id",
                             _("This step belongs to another chain."))
        organization = scoped_or_400(organizations_visible_to(actor), payload.organization_id,
                                     "organization_id", NOT_IN_SCOPE)
        branch = scoped_or_400(PartyOrganization.objects.all(), payload.branch_id, "branch_id",
                               NOT_IN_SCOPE)
        member = services.chain_member_add(actor=actor, chain=chain, link=link,
                                           organization=organization, branch=branch)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)
    return 201, ChainMember.objects.select_related("organization__area", "branch").get(
        pk=member.pk)


@router.post("/chains/{chain_id}/problems", response={201: RaisedProblemOut, **ERRORS},
             summary="Raise a problem of the chain")
def raise_problem(request: HttpRequest, chain_id: int, payload: ChainProblemIn):
    actor = request.auth
    chain = selectors.get_chain(actor, chain_id)
    try:
        data = payload.dict()
        raised_by = scoped_or_400(organizations_visible_to(actor), data.pop("raised_by_id"),
                                  "raised_by_id", NOT_IN_SCOPE)
        return 201, services.chain_problem_raise(actor=actor, chain=chain, raised_by=raised_by,
                                                 **data)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


@router.get("/chains/{chain_id}/market", response=MarketOut,
            summary="Supply, needs and deals of a chain that the caller may see (the first 100 of each; "
                    "/posts and /deals page through all)")
def chain_market(request: HttpRequest, chain_id: int):
    chain = selectors.get_chain(request.auth, chain_id)
    market = selectors.chain_market(request.auth, chain)
    return {"supply": market["supply"], "needs": market["needs"], "deals": market["deals"]}


@router.get("/posts", response=Page[PostOut], summary="Supply and need posts in the caller's scope")
def list_posts(request: HttpRequest, filters: Query[PostQuery], paging: Query[PostListParams]):
    qs = selectors.posts_visible_to(request.auth).select_related("organization", "member__link")
    if filters.chain:
        qs = qs.filter(chain_id=filters.chain)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.category:
        qs = qs.filter(category__iexact=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("id"), paging, POST_ORDERING)


@router.get("/posts/{post_id}", response=PostOut, summary="One post (404 outside the scope)")
def get_post(request: HttpRequest, post_id: int):
    return selectors.get_post(request.auth, post_id)


@router.post("/posts", response={201: PostOut, **ERRORS},
             summary="Post what a member enterprise supplies or needs")
def create_post(request: HttpRequest, payload: PostIn):
    actor = request.auth
    data = payload.dict()
    try:
        member = scoped_or_400(
            ChainMember.objects.filter(organization__in=organizations_visible_to(actor)),
            data.pop("member_id"), "member_id", NOT_IN_SCOPE)
        post = services.post_create(actor=actor, member=member, **data)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)
    return 201, selectors.get_post(actor, post.pk)


@router.get("/posts/{post_id}/proposals", response=list[ProposalOut],
            summary="Proposed matches inside the chain: same category, fitting step, nearest first")
def post_proposals(request: HttpRequest, post_id: int, limit: int = 10):
    post = selectors.get_post(request.auth, post_id)
    return selectors.propose_matches(post, limit=max(1, min(limit, 50)))


@router.post("/posts/{post_id}/close", response={200: PostOut, **ERRORS}, summary="Close a post")
def close_post(request: HttpRequest, post_id: int):
    post = selectors.get_post(request.auth, post_id)
    try:
        return 200, services.post_close(actor=request.auth, post=post)
    except PermissionDenied:
        return _forbidden()


@router.get("/deals", response=Page[DealOut], summary="Deals in the caller's scope")
def list_deals(request: HttpRequest, paging: Query[DealListParams],
               chain: IdParam | None = None):
    qs = selectors.deals_visible_to(request.auth).select_related(
        "supply__organization", "need__organization")
    if chain:
        qs = qs.filter(chain_id=chain)
    return paginate(qs.order_by("id"), paging, DEAL_ORDERING)


@router.post("/deals", response={201: DealOut, **ERRORS},
             summary="Record a deal between a supply and a need of one chain")
def record_deal(request: HttpRequest, payload: DealIn):
    actor = request.auth
    visible = selectors.posts_visible_to(actor)
    supply = Post.objects.select_related("organization").filter(pk=payload.supply_id).first()
    need = Post.objects.select_related("organization").filter(pk=payload.need_id).first()
    # one side must be the caller's own (or in its scope); the other is found by ID in the chain
    if supply is None or need is None or not visible.filter(
            pk__in=[payload.supply_id, payload.need_id]).exists():
        field = "supply_id" if supply is None else "need_id"
        return error_body(ValidationError({field: NOT_IN_SCOPE}))
    try:
        deal = services.deal_record(actor=actor, supply=supply, need=need,
                                    quantity=payload.quantity, agreed_on=payload.agreed_on,
                                    note=payload.note)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)
    return 201, deal


# chain problems into cases and edits: sanxin/chains/api_updates.py registers them on `router`
from . import api_updates  # noqa: E402,F401
