"""Reads of the registry, each through the actor's scope."""
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import get_visible_or_404, visible_to
from sanxin.core.validators import normalize_code, normalize_text

from .models import Area, Organization
from .scoping import ORGANIZATION_SCOPE


def organizations_visible_to(actor: User) -> QuerySet[Organization]:
    return visible_to(actor, Organization.objects.all(), ORGANIZATION_SCOPE)


def get_organization(actor: User, pk) -> Organization:
    return get_visible_or_404(
        organizations_visible_to(actor).select_related("area", "authority"), pk)


@dataclass(frozen=True)
class OrganizationFilter:
    q: str = ""
    area: str = ""       # area code
    industry: str = ""
    domain: str = ""
    status: str = ""
    sanyou: str = ""     # "1" = only the 三有 in-scope organizations

    @classmethod
    def from_params(cls, params) -> "OrganizationFilter":
        return cls(**{name: normalize_text(params.get(name, "")) for name in
                      ("q", "area", "industry", "domain", "status", "sanyou")})


def search_organizations(actor: User, flt: OrganizationFilter) -> QuerySet[Organization]:
    """The scoped, filtered list behind the organization page, its export and the API."""
    qs = organizations_visible_to(actor)
    if flt.q:
        code = normalize_code(flt.q)
        # icontains (codes are upper case anyway): UPPER(credit_code::text), the trigram index's
        # expression (registry migration 0005)
        qs = qs.filter(Q(name__icontains=flt.q) | Q(credit_code__icontains=code))
    if flt.area:
        area = Area.objects.filter(code=flt.area).first()
        qs = qs.filter(area__in=_area_and_children(area)) if area else qs.none()
    if flt.industry:
        qs = qs.filter(industry=flt.industry)
    if flt.domain:
        qs = qs.filter(domain=flt.domain)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.sanyou == "1":
        qs = qs.filter(is_sanyou=True)
    return qs.select_related("area", "authority").order_by("id")


def _area_and_children(area: Area) -> list[int]:
    from sanxin.accounts.scoping import area_ids_under

    return area_ids_under(area.id)


def areas_visible_to(actor: User) -> QuerySet[Area]:
    """Areas a user may filter by: all for district and departments, their own for areas."""
    from sanxin.accounts.models import RoleKind
    from sanxin.accounts.scoping import area_ids_under

    area_roles = [r for r in actor.scope_roles if r.kind == RoleKind.AREA]
    if actor.is_district or not area_roles or len(area_roles) < len(actor.scope_roles):
        return Area.objects.all()
    ids: list[int] = []
    for role in area_roles:
        ids.extend(area_ids_under(role.area_id))
    return Area.objects.filter(id__in=ids)
