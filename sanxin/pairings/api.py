from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from sanxin.core.apitools import (
    WRITE_ERRORS,
    InputSchema,
    Page,
    PageParams,
    forbidden,
    ordering_field,
    paginate,
)
from sanxin.registry.models import Area
from sanxin.registry.selectors import organizations_visible_to

from . import selectors, services
from .apitools import error_body, scoped_or_400

router = Router(tags=["pairings"])
ERRORS = WRITE_ERRORS
NOT_IN_SCOPE = gettext_lazy("No such row in your scope: check the ID.")


def _forbidden():
    return forbidden(_("Your role may not do this."))


class PairingOut(Schema):
    id: int
    leader_kind: str
    leader_name: str
    leader_party_org_id: int | None
    leader_area_code: str
    organization_id: int
    organization_name: str
    organization_area_code: str
    partner_party_org_id: int | None
    started_on: date
    ended_on: date | None
    goals: str

    @staticmethod
    def resolve_leader_name(obj) -> str:
        return obj.leader_display

    @staticmethod
    def resolve_leader_area_code(obj) -> str:
        return obj.leader_area.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_organization_area_code(obj) -> str:
        return obj.organization.area.code


class ActivityOut(Schema):
    id: int
    held_on: date
    title: str
    description: str
    participants: int | None


class ProblemOut(Schema):
    id: int
    title: str
    solution: str
    solved_on: date | None


class PairingDetailOut(PairingOut):
    activities: list[ActivityOut]
    problems: list[ProblemOut]

    @staticmethod
    def resolve_activities(obj):
        return list(obj.activities.all())

    @staticmethod
    def resolve_problems(obj):
        return list(obj.problems.all())


class PairingIn(InputSchema):
    leader_kind: str
    leader_name: str = ""
    leader_party_org_id: int | None = None
    leader_area_code: str
    organization_id: int
    partner_party_org_id: int | None = None
    started_on: date
    goals: str = ""


class ActivityIn(InputSchema):
    held_on: date
    title: str
    description: str = ""
    participants: int | None = None


class ProblemIn(InputSchema):
    title: str
    solution: str = ""
    solved_on: date | None = None


class EndIn(InputSchema):
    ended_on: date


PAIRING_ORDERING = {"id": "id", "started_on": "started_on", "ended_on": "ended_on",
                    "leader_kind": "leader_kind", "organization_name": "organization__name",
                    "area": "organization__area__code", "activities": "activity_count"}
BRAND_ORDERING = {"id": "id", "name": "name", "domain": "domain",
                  "party_organization": "party_organization_id"}
CASE_STUDY_ORDERING = {"id": "id", "year": "year", "title": "title", "domain": "domain"}


class PairingListParams(PageParams):
    ordering: str = ordering_field(PAIRING_ORDERING, "`-started_on,id`")


class BrandListParams(PageParams):
    ordering: str = ordering_field(BRAND_ORDERING, "`id`")


class CaseStudyListParams(PageParams):
    ordering: str = ordering_field(CASE_STUDY_ORDERING, "`-year,id`")


class PairingQuery(Schema):
    q: str = ""
    area: str = ""
    active: str = ""


class AreaCountOut(Schema):
    area_code: str
    area_name: str
    pairings: int
    active: int
    activities: int
    problems_solved: int


@router.get("/pairings", response=Page[PairingOut], summary="Pairings in the caller's scope")
def list_pairings(request: HttpRequest, filters: Query[PairingQuery],
                  paging: Query[PairingListParams]):
    return paginate(selectors.search_pairings(request.auth,
                                              selectors.PairingFilter(**filters.dict())), paging,
                    PAIRING_ORDERING)


@router.get("/pairings/counts", response=list[AreaCountOut],
            summary="Pairings, activities and problems solved per area")
def pairing_counts(request: HttpRequest):
    return selectors.pairing_counts_by_area(request.auth)


@router.get("/pairings/{pairing_id}", response=PairingDetailOut,
            summary="One pairing with its activities and problems (404 outside the scope)")
def get_pairing(request: HttpRequest, pairing_id: int):
    return selectors.get_pairing(request.auth, pairing_id)


@router.post("/pairings", response={201: PairingOut, **ERRORS}, summary="Create a pairing")
def create_pairing(request: HttpRequest, payload: PairingIn):
    actor = request.auth
    if not services.can_manage(actor):
        return _forbidden()
    from sanxin.party.models import PartyOrganization

    try:
        area = Area.objects.filter(code=payload.leader_area_code).first()
        if area is None:
            raise ValidationError({"leader_area_code": _("Unknown area code.")})
        pairing = services.pairing_create(
            actor=actor, leader_kind=payload.leader_kind, leader_name=payload.leader_name,
            leader_party_org=scoped_or_400(PartyOrganization.objects.all(),
                                           payload.leader_party_org_id, "leader_party_org_id",
                                           NOT_IN_SCOPE),
            leader_area=area,
            organization=scoped_or_400(organizations_visible_to(actor), payload.organization_id,
                                       "organization_id", NOT_IN_SCOPE),
            partner_party_org=scoped_or_400(PartyOrganization.objects.all(),
                                            payload.partner_party_org_id,
                                            "partner_party_org_id", NOT_IN_SCOPE),
            started_on=payload.started_on, goals=payload.goals)
    except ValidationError as exc:
        return error_body(exc)
    return 201, selectors.get_pairing(actor, pairing.pk)


def _record(request, pairing_id: int, service, **fields):
    pairing = selectors.get_pairing(request.auth, pairing_id)
    try:
        return 201, service(actor=request.auth, pairing=pairing, **fields)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


@router.post("/pairings/{pairing_id}/activities", response={201: ActivityOut, **ERRORS},
             summary="Record a joint activity")
def add_activity(request: HttpRequest, pairing_id: int, payload: ActivityIn):
    return _record(request, pairing_id, services.pairing_activity_add, **payload.dict())


@router.post("/pairings/{pairing_id}/problems", response={201: ProblemOut, **ERRORS},
             summary="Record a problem solved through the pairing")
def add_problem(request: HttpRequest, pairing_id: int, payload: ProblemIn):
    return _record(request, pairing_id, services.pairing_problem_add, **payload.dict())


@router.post("/pairings/{pairing_id}/end", response={201: PairingOut, **ERRORS},
             summary="End a pairing")
def end_pairing(request: HttpRequest, pairing_id: int, payload: EndIn):
    return _record(request, pairing_id, services.pairing_end, **payload.dict())


# brands and cases ------------------------------------------------------------------------------

class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("pairings:brand_photo", args=[obj.pk])


class BrandOut(Schema):
    id: int
    name: str
    slogan: str
    story: str
    domain: str
    party_organization_id: int
    party_organization_name: str
    photos: list[PhotoOut]

    @staticmethod
    def resolve_party_organization_name(obj) -> str:
        return obj.party_organization.name

    @staticmethod
    def resolve_photos(obj):
        return list(obj.photos.all())


class BrandIn(InputSchema):
    party_organization_id: int
    name: str
    slogan: str = ""
    story: str = ""
    domain: str = "enterprise"


class HonourOut(Schema):
    id: int
    title: str
    level: str
    year: int
    awarding_body: str


class HonourIn(InputSchema):
    title: str
    level: str
    year: int = Field(..., ge=1921, le=2100)
    awarding_body: str


class CaseStudyOut(Schema):
    id: int
    title: str
    summary: str
    domain: str
    year: int
    party_organization_id: int
    brand_id: int | None
    honours: list[HonourOut]

    @staticmethod
    def resolve_honours(obj):
        return list(obj.honours.all())


class CaseStudyIn(InputSchema):
    party_organization_id: int
    brand_id: int | None = None
    title: str
    summary: str = ""
    domain: str = "enterprise"
    year: int = Field(..., ge=1921, le=2100)
    honours: list[HonourIn] = []


class CaseQuery(Schema):
    q: str = ""
    level: str = ""
    domain: str = ""
    year: str = ""


@router.get("/brands", response=Page[BrandOut], summary="Brands in the caller's scope")
def list_brands(request: HttpRequest, paging: Query[BrandListParams]):
    qs = (selectors.brands_visible_to(request.auth).select_related("party_organization")
          .prefetch_related("photos").order_by("id"))
    return paginate(qs, paging, BRAND_ORDERING)


@router.get("/brands/{brand_id}", response=BrandOut, summary="One brand (404 outside the scope)")
def get_brand(request: HttpRequest, brand_id: int):
    return selectors.get_brand(request.auth, brand_id)


@router.post("/brands", response={201: BrandOut, **ERRORS}, summary="Create a brand")
def create_brand(request: HttpRequest, payload: BrandIn):
    actor = request.auth
    if not services.can_manage(actor):
        return _forbidden()
    try:
        data = payload.dict()
        party_org = scoped_or_400(services.party_orgs_visible(actor),
                                  data.pop("party_organization_id"), "party_organization_id",
                                  NOT_IN_SCOPE)
        brand = services.brand_create(actor=actor, party_organization=party_org, **data)
    except ValidationError as exc:
        return error_body(exc)
    return 201, selectors.get_brand(actor, brand.pk)


@router.post("/brands/{brand_id}/photos", response={201: PhotoOut, **ERRORS},
             summary="Upload a brand photo (multipart; JPEG, PNG, GIF or WebP, at most 5 MB)")
def upload_photo(request: HttpRequest, brand_id: int, image: File[UploadedFile],
                 caption: Form[str] = ""):
    brand = selectors.get_brand(request.auth, brand_id)
    try:
        return 201, services.brand_photo_add(actor=request.auth, brand=brand, image=image,
                                             caption=caption)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


@router.get("/cases", response=Page[CaseStudyOut],
            summary="The case library: filter by honour level, domain and year")
def list_cases(request: HttpRequest, filters: Query[CaseQuery],
               paging: Query[CaseStudyListParams]):
    return paginate(selectors.search_cases(request.auth, selectors.CaseFilter(**filters.dict())),
                    paging, CASE_STUDY_ORDERING)


@router.get("/cases/{case_id}", response=CaseStudyOut, summary="One case study (404 outside the scope)")
def get_case(request: HttpRequest, case_id: int):
    return selectors.get_case(request.auth, case_id)


@router.post("/cases", response={201: CaseStudyOut, **ERRORS}, summary="Create a case study")
def create_case(request: HttpRequest, payload: CaseStudyIn):
    actor = request.auth
    if not services.can_manage(actor):
        return _forbidden()
    try:
        data = payload.dict()
        party_org = scoped_or_400(services.party_orgs_visible(actor),
                                  data.pop("party_organization_id"), "party_organization_id",
                                  NOT_IN_SCOPE)
        brand = scoped_or_400(selectors.brands_visible_to(actor), data.pop("brand_id"),
                              "brand_id", NOT_IN_SCOPE)
        case = services.case_create(actor=actor, party_organization=party_org, brand=brand,
                                    **data)
    except ValidationError as exc:
        return error_body(exc)
    return 201, selectors.get_case(actor, case.pk)


@router.post("/cases/{case_id}/honours", response={201: HonourOut, **ERRORS},
             summary="Add an honour to a case study")
def add_honour(request: HttpRequest, case_id: int, payload: HonourIn):
    case = selectors.get_case(request.auth, case_id)
    try:
        return 201, services.honour_add(actor=request.auth, case=case, **payload.dict())
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


# edits: sanxin/pairings/api_updates.py registers them on `router`
from . import api_updates  # noqa: E402,F401
