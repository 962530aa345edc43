"""Scoped reads of coverage: every rate, list and chart starts from the actor's organizations."""
from dataclasses import dataclass, fields

from django.db.models import Q, QuerySet, Sum

from sanxin.accounts.models import User
from sanxin.accounts.scoping import ScopePaths, area_ids_under, visible_to
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area, Department, Organization
from sanxin.registry.selectors import organizations_visible_to

from . import engine, summary
from .models import CampaignTarget, CoverageSnapshot, Population


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


def narrowed(qs: QuerySet, flt: CoverageFilter, *, no_authority: Q) -> QuerySet:
    """The filter's area, industry, domain and authority on organizations or summary cells (both
    have area_id, industry, domain and authority_id; "none" is `no_authority`)."""
    if flt.area:
        area = Area.objects.filter(code=flt.area).first()
        qs = qs.filter(area_id__in=area_ids_under(area.id)) if area else qs.none()
    if flt.industry:
        qs = qs.filter(industry=flt.industry)
    if flt.domain:
        qs = qs.filter(domain=flt.domain)
    if flt.authority:
        qs = (qs.filter(no_authority) if flt.authority == "none" else qs.filter(
            authority_id__in=Department.objects.filter(code=flt.authority).values("pk")))
    return qs


def filtered_organizations(actor: User, flt: CoverageFilter) -> QuerySet[Organization]:
    qs = engine.population(organizations_visible_to(actor), include_all=flt.include_all)
    qs = narrowed(qs, flt, no_authority=Q(authority__isnull=True))
    if flt.q:
        qs = qs.filter(name__icontains=flt.q)
    return qs


def coverage_report(actor: User, flt: CoverageFilter, groupings: list[str]):
    """(totals, {grouping: groups}) of the scope, one query for all groupings."""
    unknown = [g for g in groupings if g not in engine.GROUPINGS]
    if unknown:
        raise ValueError(unknown)
    if summary.applies(actor, flt):  # the summary's cells: equal by construction, far faster
        return summary.summary_counts(actor, flt, groupings)
    return engine.coverage_counts(filtered_organizations(actor, flt), groupings)


def coverage_rates(actor: User, flt: CoverageFilter, grouping: str | None = None):
    """(totals, groups): the scope's counts and, if asked, the same per group."""
    totals, groups = coverage_report(actor, flt, [grouping] if grouping else [])
    return totals, groups.get(grouping, []) if grouping else []


def organization_statuses(actor: User, flt: CoverageFilter) -> QuerySet[Organization]:
    """The organizations of the scope with their coverage status (blind-spot list when status=blank)."""
    qs = filtered_organizations(actor, flt)
    if flt.status:
        qs = engine.filter_status(qs, flt.status)
    return engine.with_status(qs).select_related("area", "authority").order_by("area__code", "id")


SNAPSHOT_SCOPE = ScopePaths(area="area_id")  # per area only: department and unit roles see none
TARGET_SCOPE = ScopePaths(area="area_id")


def trend(actor: User, *, include_all: bool = False, area: str = "", domain: str = ""
          ) -> list[engine.CoverageCounts]:
    """The rates month by month from the stored snapshots, summed over the actor's areas."""
    qs = visible_to(actor, CoverageSnapshot.objects.all(), SNAPSHOT_SCOPE).filter(
        population=Population.ALL if include_all else Population.SANYOU)
    if area:
        root = Area.objects.filter(code=area).first()
        qs = qs.filter(area_id__in=area_ids_under(root.id)) if root else qs.none()
    if domain:
        qs = qs.filter(domain=domain)
    rows = qs.order_by("month").values("month").annotate(
        total=Sum("total"), single=Sum("single"), joint=Sum("joint"), work=Sum("work"))
    return [engine.CoverageCounts(key=r["month"], label=f"{r['month']:%Y-%m}", total=r["total"],
                                  single=r["single"], joint=r["joint"], work=r["work"]) for r in rows]


@dataclass
class TargetProgress:
    target: CampaignTarget
    current: engine.Rate
    days_left: int

    @property
    def reached(self) -> bool:
        pct = self.current.percent
        return pct is not None and pct >= self.target.target_percent

    @property
    def gap(self):
        pct = self.current.percent
        return None if pct is None else max(self.target.target_percent - pct, 0)

    @property
    def progress_percent(self) -> int:
        """How far the current rate is toward the target, 0–100, for the progress bar."""
        pct, goal = self.current.percent, self.target.target_percent
        if pct is None or not goal:
            return 100 if goal == 0 else 0
        return int(min(100, pct * 100 / goal))


def targets_with_progress(actor: User, today=None) -> list[TargetProgress]:
    from django.utils import timezone

    today = today or timezone.localdate()
    result = []
    for target in visible_to(actor, CampaignTarget.objects.select_related("area"), TARGET_SCOPE):
        totals, _ = coverage_rates(actor, CoverageFilter(area=target.area.code))
        result.append(TargetProgress(target=target, current=totals.rates()[target.metric],
                                     days_left=(target.period_end - today).days))
    return result
