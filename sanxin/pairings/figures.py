"""Headline figures and per-area columns for the dashboard (sanxin/dashboard/providers.py)."""
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from sanxin.dashboard.providers import AreaColumn, Figure, FigureScope, Period
from sanxin.registry.scoping import organization_paths

from .models import HONOUR_RANK, CaseStudy, HonourLevel, Pairing
from .scoping import CASE_SCOPE

# for figures the pairing counts where its paired organization is (a string path, so that the
# dashboard's drill-down by area applies); the pages also show the leading side's area
PAIRING_FIGURE_PATHS = organization_paths("organization")
GROUP = _("Pairings, brands and cases")


def pairing_figures(scope: FigureScope) -> list[Figure]:
    pairings = scope.scoped(Pairing.objects.all(), PAIRING_FIGURE_PATHS)
    totals = pairings.aggregate(total=Count("id"), active=Count("id", filter=Q(ended_on=None)))
    problems = pairings.aggregate(n=Count("problems"))["n"]
    cases = scope.scoped(CaseStudy.objects.all(), CASE_SCOPE)
    national = cases.filter(honours__level=HonourLevel.NATIONAL).distinct().count()
    return [
        Figure("pairings.total", _("Pairings (结对子)"), totals["total"], group=GROUP, order=70),
        Figure("pairings.active", _("Active pairings"), totals["active"], group=GROUP, order=71),
        Figure("pairings.problems_solved", _("Problems solved through pairings"), problems,
               group=GROUP, order=72),
        Figure("cases.total", _("Brands and cases"), cases.count(), group=GROUP, order=73),
        Figure("cases.national", _("National-level cases"), national, group=GROUP, order=74),
        *_brands_by_level(cases),
    ]


def _brands_by_level(cases) -> list[Figure]:
    """Brands and cases by their highest honour (a national case counts once, as national).
    Added by the dashboard's engineer; labels in sanxin/dashboard/labels.py."""
    from django.db.models import Case, IntegerField, Max, Value, When

    from sanxin.dashboard.labels import label

    rank = Max(Case(*(When(honours__level=level, then=Value(n)) for level, n in HONOUR_RANK.items()),
                    default=Value(0), output_field=IntegerField()))
    counts: dict[int, int] = {}
    for best in cases.order_by().annotate(best=rank).values_list("best", flat=True):
        counts[best] = counts.get(best, 0) + 1
    texts = {HonourLevel.NATIONAL: "Brands and cases, highest honour national",
             HonourLevel.MUNICIPAL: "Brands and cases, highest honour municipal",
             HonourLevel.DISTRICT: "Brands and cases, highest honour district"}
    return [Figure(f"brands.by_level.{level}", label(texts[level]), counts.get(HONOUR_RANK[level], 0),
                   group=GROUP, order=75 + i) for i, level in enumerate(texts)]


def pairing_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    pairings = scope.scoped(Pairing.objects.all(), PAIRING_FIGURE_PATHS).order_by()
    total = dict(pairings.values_list("organization__area_id").annotate(n=Count("id")))
    started = dict(pairings.filter(started_on__gte=period.start, started_on__lte=period.end)
                   .values_list("organization__area_id").annotate(n=Count("id")))
    return [
        AreaColumn("pairings.total", _("Pairings"), GROUP, total, order=70),
        AreaColumn("pairings.started", _("Pairings started in the period"), GROUP, started,
                   order=71),
    ]


FIGURE_PROVIDERS = [pairing_figures]
AREA_COLUMNS = [pairing_area_columns]
