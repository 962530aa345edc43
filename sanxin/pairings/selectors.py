"""Reads of pairings, brands and cases, each through the actor's scope."""
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import area_ids_under, get_visible_or_404, visible_to
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area

from .models import Brand, CaseStudy, Pairing
from .scoping import BRAND_SCOPE, CASE_SCOPE, PAIRING_SCOPE


def pairings_visible_to(actor: User) -> QuerySet[Pairing]:
    return visible_to(actor, Pairing.objects.all(), PAIRING_SCOPE)


@dataclass(frozen=True)
class PairingFilter:
    q: str = ""
    area: str = ""      # area code: the paired organization's area or the leading side's
    active: str = ""    # "1" active only, "0" ended only

    @classmethod
    def from_params(cls, params) -> "PairingFilter":
        return cls(**{n: normalize_text(params.get(n, "")) for n in ("q", "area", "active")})


def search_pairings(actor: User, flt: PairingFilter) -> QuerySet[Pairing]:
    qs = pairings_visible_to(actor)
    if flt.q:
        qs = qs.filter(Q(leader_name__icontains=flt.q) | Q(organization__name__icontains=flt.q)
                       | Q(leader_party_org__name__icontains=flt.q))
    if flt.area:
        area = Area.objects.filter(code=flt.area).first()
        if area is None:
            return qs.none()
        ids = area_ids_under(area.id)
        qs = qs.filter(Q(organization__area_id__in=ids) | Q(leader_area_id__in=ids))
    if flt.active == "1":
        qs = qs.filter(ended_on__isnull=True)
    elif flt.active == "0":
        qs = qs.filter(ended_on__isnull=False)
    return (qs.select_related("organization__area", "leader_area", "leader_party_org",
                              "partner_party_org")
            .annotate(activity_count=Count("activities", distinct=True),
                      problem_count=Count("problems", distinct=True))
            .order_by("-started_on", "id"))


def get_pairing(actor: User, pk) -> Pairing:
    return get_visible_or_404(pairings_visible_to(actor).select_related(
        "organization__area", "leader_area", "leader_party_org", "partner_party_org"), pk)


def pairing_counts_by_area(actor: User) -> list[dict]:
    """Per area of the paired organization: pairings, active ones, activities, problems solved."""
    qs = pairings_visible_to(actor)
    rows = (qs.values("organization__area__code", "organization__area__name")
            .annotate(pairings=Count("id", distinct=True),
                      active=Count("id", filter=Q(ended_on__isnull=True), distinct=True))
            .order_by("organization__area__code"))
    activity = dict(qs.values("organization__area__code").annotate(n=Count("activities"))
                    .values_list("organization__area__code", "n"))
    problems = dict(qs.values("organization__area__code").annotate(n=Count("problems"))
                    .values_list("organization__area__code", "n"))
    return [{"area_code": r["organization__area__code"], "area_name": r["organization__area__name"],
             "pairings": r["pairings"], "active": r["active"],
             "activities": activity.get(r["organization__area__code"], 0),
             "problems_solved": problems.get(r["organization__area__code"], 0)} for r in rows]


def pairing_totals(actor: User) -> dict:
    rows = pairing_counts_by_area(actor)
    return {key: sum(r[key] for r in rows)
            for key in ("pairings", "active", "activities", "problems_solved")}


# brands and cases ------------------------------------------------------------------------------

def brands_visible_to(actor: User) -> QuerySet[Brand]:
    return visible_to(actor, Brand.objects.all(), BRAND_SCOPE)


def get_brand(actor: User, pk) -> Brand:
    return get_visible_or_404(brands_visible_to(actor).select_related(
        "party_organization__area").prefetch_related("photos"), pk)


def cases_visible_to(actor: User) -> QuerySet[CaseStudy]:
    return visible_to(actor, CaseStudy.objects.all(), CASE_SCOPE)


def get_case(actor: User, pk) -> CaseStudy:
    return get_visible_or_404(cases_visible_to(actor).select_related(
        "party_organization__area", "brand").prefetch_related("honours"), pk)


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    level: str = ""     # an honour level: cases with at least one honour of that level
    domain: str = ""
    year: str = ""      # the case's year or the year of one of its honours

    @classmethod
    def from_params(cls, params) -> "CaseFilter":
        return cls(**{n: normalize_text(params.get(n, "")) for n in ("q", "level", "domain", "year")})


def search_cases(actor: User, flt: CaseFilter) -> QuerySet[CaseStudy]:
    """The searchable case library."""
    qs = cases_visible_to(actor)
    if flt.q:
        qs = qs.filter(Q(title__icontains=flt.q) | Q(summary__icontains=flt.q)
                       | Q(brand__name__icontains=flt.q)
                       | Q(party_organization__name__icontains=flt.q)
                       | Q(honours__title__icontains=flt.q)
                       | Q(honours__awarding_body__icontains=flt.q))
    if flt.level:
        qs = qs.filter(honours__level=flt.level)
    if flt.domain:
        qs = qs.filter(domain=flt.domain)
    if flt.year:
        if not flt.year.isdigit():
            return qs.none()
        year = int(flt.year)
        qs = qs.filter(Q(year=year) | Q(honours__year=year))
    ids = qs.values("id")
    return (CaseStudy.objects.filter(id__in=ids)
            .select_related("party_organization", "brand").prefetch_related("honours")
            .order_by("-year", "id"))


def honours_visible_to(actor: User):
    from .models import Honour

    return Honour.objects.filter(case_study__in=cases_visible_to(actor))


def get_honour(actor: User, pk):
    return get_visible_or_404(honours_visible_to(actor).select_related("case_study"), pk)


def get_photo(actor: User, pk):
    from .models import BrandPhoto

    return get_visible_or_404(BrandPhoto.objects.filter(brand__in=brands_visible_to(actor))
                              .select_related("brand"), pk)
