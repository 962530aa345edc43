"""Party organizations, members (masked unless the role needs the data) and instructors."""
from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from sanxin.core.apitools import Page, PageParams, ordering_field, paginate

from .selectors import (
    MemberFilter,
    PartyOrgFilter,
    get_member,
    get_party_org,
    personal_data,
    search_instructors,
    search_members,
    search_party_orgs,
)

router = Router(tags=["party"])


class PartyOrgOut(Schema):
    id: int
    name: str
    kind: str
    area_code: str
    parent_id: int | None
    unit_count: int
    member_count: int
    secretary_id: int | None
    committee_size: int
    founded: date | None
    term_start: date | None
    term_end: date | None
    village_or_community: bool

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.area.code


class PartyOrgDetailOut(PartyOrgOut):
    unit_ids: list[int]

    @staticmethod
    def resolve_unit_ids(obj) -> list[int]:
        return sorted(obj.units.values_list("id", flat=True))


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    phone: str
    status: str
    joined_on: date | None
    full_on: date | None
    party_organization_id: int
    employer_id: int | None
    is_flowing: bool
    role: str


class InstructorOut(Schema):
    id: int
    name: str
    kind: str
    area_code: str
    active: bool
    org_count: int

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.area.code


PARTY_ORG_ORDERING = {"id": "id", "name": "name", "kind": "kind", "area": "area__code",
                      "founded": "founded", "term_end": "term_end", "unit_count": "unit_count",
                      "member_count": "member_count"}
MEMBER_ORDERING = {"id": "id", "name": "name", "status": "status", "joined_on": "joined_on",
                   "full_on": "full_on", "birth_date": "birth_date",
                   "party_organization": "party_organization_id"}
INSTRUCTOR_ORDERING = {"id": "id", "name": "name", "kind": "kind", "area": "area__code",
                       "org_count": "org_count"}


class PartyOrgListParams(PageParams):
    ordering: str = ordering_field(PARTY_ORG_ORDERING, "`area,id`")


class MemberListParams(PageParams):
    ordering: str = ordering_field(MEMBER_ORDERING, "`party_organization,id`")


class InstructorListParams(PageParams):
    ordering: str = ordering_field(INSTRUCTOR_ORDERING, "`area,id`")


class PartyOrgQuery(Schema):
    q: str = ""
    kind: str = ""
    area: str = ""


class MemberQuery(Schema):
    q: str = ""
    status: str = ""
    party_org: str = ""
    area: str = ""
    flowing: str = ""
    id_number: str = ""


def _masked(request, members: list) -> list:
    shown = personal_data(request.auth, members, "api", request=request)
    for m in members:
        m.id_number, m.phone = shown[m.pk].id_number, shown[m.pk].phone
    return members


@router.get("/organizations", response=Page[PartyOrgOut], summary="Party organizations in scope")
def list_party_orgs(request: HttpRequest, filters: Query[PartyOrgQuery],
                    paging: Query[PartyOrgListParams]):
    return paginate(search_party_orgs(request.auth, PartyOrgFilter(**filters.dict())), paging,
                    PARTY_ORG_ORDERING)


@router.get("/organizations/{po_id}", response=PartyOrgDetailOut,
            summary="One party organization (404 outside the caller's scope)")
def party_org_detail(request: HttpRequest, po_id: int):
    po = get_party_org(request.auth, po_id)
    po.member_count = po.members.count()
    return po


@router.get("/members", response=Page[MemberOut],
            summary="Party members in scope; ID numbers and phones masked unless the role needs them")
def list_members(request: HttpRequest, filters: Query[MemberQuery],
                 paging: Query[MemberListParams]):
    page = paginate(search_members(request.auth, MemberFilter(**filters.dict())), paging,
                    MEMBER_ORDERING)
    page["results"] = _masked(request, page["results"])
    return page


@router.get("/members/{member_id}", response=MemberOut,
            summary="One party member (404 outside the caller's scope)")
def member_detail(request: HttpRequest, member_id: int):
    return _masked(request, [get_member(request.auth, member_id)])[0]


@router.get("/instructors", response=Page[InstructorOut], summary="Instructors in scope")
def list_instructors(request: HttpRequest, paging: Query[InstructorListParams], q: str = "",
                     area: str = ""):
    return paginate(search_instructors(request.auth, q, area), paging, INSTRUCTOR_ORDERING)
