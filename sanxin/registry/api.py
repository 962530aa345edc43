from django.http import HttpRequest
from ninja import Query, Router, Schema

from sanxin.accounts.audit import record_personal_data_read
from sanxin.core.apitools import Page, PageParams, ordering_field, paginate
from sanxin.core.masking import mask_phone

from .models import Area, Department, Organization
from .selectors import OrganizationFilter, get_organization, search_organizations

router = Router(tags=["registry"])


class AreaOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None = None

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return obj.parent.code if obj.parent_id else None


class DepartmentOut(Schema):
    code: str
    name: str
    kind: str


class OrganizationOut(Schema):
    id: int
    name: str
    credit_code: str | None
    domain: str
    kind: str
    area_code: str
    industry: str
    authority_code: str | None
    employees: int | None
    workers: int | None
    status: str
    is_sanyou: bool
    address: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.area.code

    @staticmethod
    def resolve_authority_code(obj) -> str | None:
        return obj.authority.code if obj.authority_id else None


class OrganizationDetailOut(OrganizationOut):
    contact_name: str
    contact_phone: str


ORGANIZATION_ORDERING = {"id": "id", "name": "name", "credit_code": "credit_code",
                         "area": "area__code", "industry": "industry", "domain": "domain",
                         "kind": "kind", "status": "status", "employees": "employees",
                         "workers": "workers"}


class OrganizationListParams(PageParams):
    ordering: str = ordering_field(ORGANIZATION_ORDERING, "`id`")


class OrganizationQuery(Schema):
    q: str = ""
    area: str = ""
    industry: str = ""
    domain: str = ""
    status: str = ""
    sanyou: str = ""


@router.get("/areas", response=list[AreaOut], summary="Areas of the district")
def list_areas(request: HttpRequest):
    return Area.objects.select_related("parent")


@router.get("/departments", response=list[DepartmentOut], summary="Departments")
def list_departments(request: HttpRequest):
    return Department.objects.all()


@router.get("/organizations", response=Page[OrganizationOut],
            summary="Organizations in the caller's scope")
def list_organizations(request: HttpRequest, filters: Query[OrganizationQuery],
                       paging: Query[OrganizationListParams]):
    flt = OrganizationFilter(**filters.dict())
    return paginate(search_organizations(request.auth, flt), paging, ORGANIZATION_ORDERING)


@router.get("/organizations/{org_id}", response=OrganizationDetailOut,
            summary="One organization (404 outside the caller's scope)")
def get_organization_detail(request: HttpRequest, org_id: int):
    actor = request.auth
    org = get_organization(actor, org_id)
    if not actor.sees_personal_data:
        org.contact_phone = mask_phone(org.contact_phone)
    elif org.contact_phone:
        record_personal_data_read(actor=actor, model=Organization, fields=["contact_phone"],
                                  channel="api", object_id=org.pk, request=request)
    return org
