"""Coverage rates with grouping, organization statuses and findings, all in the caller's scope."""
from django.http import HttpRequest
from ninja import Query, Router, Schema

from sanxin.core.apitools import ApiError, Page, PageParams, ordering_field, paginate

from . import engine
from .findings import FINDING_KINDS, findings_for
from .selectors import CoverageFilter, coverage_rates, organization_statuses

router = Router(tags=["coverage"])


class RateOut(Schema):
    numerator: int
    denominator: int
    percent: float | None


class CountsOut(Schema):
    key: str | None
    label: str
    total: int
    single: int
    joint: int
    work: int
    blank: int
    org_rate: RateOut
    single_rate: RateOut
    work_rate: RateOut
    both_rate: RateOut


class RatesOut(Schema):
    population: str
    grouping: str | None
    totals: CountsOut
    groups: list[CountsOut]


class CoverageQuery(Schema):
    area: str = ""
    industry: str = ""
    domain: str = ""
    authority: str = ""
    all: str = ""


class StatusQuery(CoverageQuery):
    status: str = ""
    q: str = ""


COVERAGE_ORDERING = {"id": "id", "name": "name", "area": "area__code", "industry": "industry",
                     "coverage_status": "coverage_status"}


class CoverageListParams(PageParams):
    ordering: str = ordering_field(COVERAGE_ORDERING, "`area,id`")


class OrganizationStatusOut(Schema):
    id: int
    name: str
    area_code: str
    industry: str
    is_sanyou: bool
    coverage_status: str

    @staticmethod
    def resolve_area_code(obj) -> str:
        return obj.area.code


class FindingOut(Schema):
    kind: str
    label: str
    subject: str
    subject_id: int
    name: str
    area_code: str
    detail: str


def _counts(c: engine.CoverageCounts) -> dict:
    return {"key": None if c.key is None else str(c.key), "label": c.label, "total": c.total,
            "single": c.single, "joint": c.joint, "work": c.work, "blank": c.blank,
            **{name: rate.as_dict() for name, rate in c.rates().items()}}


@router.get("/rates", response=RatesOut,
            summary="组织覆盖率, 单独组建率, 工作覆盖率, 两个覆盖率 with numerator and denominator")
def rates(request: HttpRequest, filters: Query[CoverageQuery], group: str = ""):
    """`group` is one of area, industry, domain, authority (or empty for the totals only);
    `all=1` counts every organization instead of the 三有 ones."""
    if group and group not in engine.GROUPINGS:
        raise ApiError(422, "invalid_choice", field="group")
    flt = CoverageFilter(**filters.dict())
    totals, groups = coverage_rates(request.auth, flt, group or None)
    return {"population": "all" if flt.include_all else "sanyou", "grouping": group or None,
            "totals": _counts(totals), "groups": [_counts(g) for g in groups]}


@router.get("/organizations", response=Page[OrganizationStatusOut],
            summary="Organizations with their coverage status (status=blank: the blind spots)")
def organizations(request: HttpRequest, filters: Query[StatusQuery],
                  paging: Query[CoverageListParams]):
    return paginate(organization_statuses(request.auth, CoverageFilter(**filters.dict())), paging,
                    COVERAGE_ORDERING)


@router.get("/findings", response=list[FindingOut], summary="Findings in the caller's scope")
def findings(request: HttpRequest, kind: str = "", area: str = ""):
    if kind and kind not in FINDING_KINDS:
        raise ApiError(422, "invalid_choice", field="kind")
    return [{"kind": f.kind, "label": f.label, "subject": f.subject, "subject_id": f.subject_id,
             "name": f.name, "area_code": f.area_code, "detail": f.detail}
            for f in findings_for(request.auth, kind=kind, area_code=area)]
