"""Scoped reads of coverage: every rate, list and chart starts from the actor's organizations."""
from dataclasses import dataclass, fields

from django.db.models import QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import area_ids_under
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area, Organization
from sanxin.registry.selectors import organizations_visible_to

from . import engine


@dataclass(frozen=True)
class CoverageFilter:
    area: str = ""        # area code (the area and the units below it)
    industry: str = ""
    domain: str = ""
    authority: str = ""   # department code
    status: str = ""      # single / joint / work / blank / covered
    q: str = ""
    all: str = ""         # "1" = every organization, not only the 三有

    @classmethod
    def from_params(cls, params) -> "CoverageFilter":
        return cls(**{f.name: normalize_text(params.get(f.name, "")) for f in fields(cls)})

    @property
    def include_all(self) -> bool:
        return self.all == "1"


def filtered_organizations(actor: User, flt: CoverageFilter) -> QuerySet[Organization]:
    qs = engine.population(organizations_visible_to(actor), include_all=flt.include_all)
    if flt.area:
        area = Area.objects.filter(code=flt.area).first()
        qs = qs.filter(area_id__in=area_ids_under(area.id)) if area else qs.none()
    if flt.industry:
        qs = qs.filter(industry=flt.industry)
    if flt.domain:
        qs = qs.filter(domain=flt.domain)
    if flt.authority:
        qs = (qs.filter(authority__isnull=True) if flt.authority == "none"
              else qs.filter(authority__code=flt.authority))
    if flt.q:
        qs = qs.filter(name__icontains=flt.q)
    return qs


def coverage_rates(actor: User, flt: CoverageFilter, grouping: str | None = None):
    """(totals, groups): the scope's counts and, if asked, the same per group."""
    if grouping and grouping not in engine.GROUPINGS:
        raise ValueError(grouping)
    orgs = filtered_organizations(actor, flt)
    totals = engine.coverage_totals(orgs)
    groups = engine.coverage_by(orgs, grouping) if grouping else []
    return totals, groups


def organization_statuses(actor: User, flt: CoverageFilter) -> QuerySet[Organization]:
    """The organizations of the scope with their coverage status (blind-spot list when status=blank)."""
    qs = filtered_organizations(actor, flt)
    if flt.status:
        qs = engine.filter_status(qs, flt.status)
    return engine.with_status(qs).select_related("area", "authority").order_by("area__code", "id")
