"""Coverage (两个覆盖) figures for the dashboard, the `figures` command and the report.

Written by the dashboard's engineer on the extension point; the coverage app may refine it."""

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Chart, Figure, FigureScope, Period, Series
from sanxin.registry.models import Area

from . import engine


def _percent(rate) -> float | None:
    value = rate.percent
    return None if value is None else float(value)


def _counts(scope: FigureScope):
    """(totals, {"area": groups}) in one read: the coverage summary's cells where they express the
    scope (district, area and department users, and the command line's whole district), else one
    pass of the engine over the organizations (the figures and the chart share it)."""
    from django.db.models import Sum

    from .models import CoverageCell
    from .selectors import CoverageFilter, coverage_report

    def compute():
        if scope.actor is not None:
            return coverage_report(scope.actor, CoverageFilter(area=scope.area.code if scope.area else ""),
                                   ["area"])
        cells = CoverageCell.objects.filter(is_sanyou=True).exclude(n=0)  # a system read
        if scope.area_ids is not None:
            cells = cells.filter(area_id__in=scope.area_ids)
        rows = cells.order_by().values("area_id", "status").annotate(total=Sum("n")).values_list(
            "area_id", "status", "total")
        return engine.fold(rows, ["area_id"], ["area"])

    return scope.memo("coverage.counts", compute)


def coverage_figures(scope: FigureScope) -> list[Figure]:
    totals = _counts(scope)[0]
    section = label("Coverage of the 三有 organizations")
    return [
        Figure("coverage.population", label("三有 organizations"), totals.total, group=section, order=300),
        Figure("coverage.single", label("With their own party organization (单建)"), totals.single,
               group=section, order=301),
        Figure("coverage.joint", label("In a joint party organization (联建)"), totals.joint, group=section, order=302),
        Figure("coverage.work", label("Work coverage only (工作覆盖)"), totals.work, group=section, order=303),
        Figure("coverage.blank", label("Not covered"), totals.blank, group=section, order=304),
        Figure("coverage.org_rate", label("Organizational coverage (组织覆盖率)"), _percent(totals.org_rate),
               unit="%", group=section, order=305),
        Figure("coverage.single_rate", label("Own-branch rate (单独组建率)"), _percent(totals.single_rate),
               unit="%", group=section, order=306),
        Figure("coverage.both_rate", label("Two coverages (两个覆盖率)"), _percent(totals.both_rate),
               unit="%", group=section, order=307),
    ]


def _by_area(scope: FigureScope):
    return _counts(scope)[1]["area"]


def coverage_charts(scope: FigureScope) -> list[Chart]:
    groups = sorted(_by_area(scope), key=lambda g: -g.total)
    codes = dict(Area.objects.filter(id__in=[g.key for g in groups]).values_list("id", "code"))
    return [Chart(
        key="coverage.by_area", title=label("Coverage by area"), kind="stacked",
        categories=[g.label for g in groups],
        series=[Series(label("单建"), [g.single for g in groups]),
                Series(label("联建"), [g.joint for g in groups]),
                Series(label("工作覆盖"), [g.work for g in groups]),
                Series(label("Not covered"), [g.blank for g in groups])],
        drill=[codes.get(g.key, "") for g in groups], order=15)]


def coverage_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    groups = _by_area(scope)
    section = label("Coverage of the 三有 organizations")
    return [
        AreaColumn("coverage.population", label("三有 organizations"), section, {g.key: g.total for g in groups},
                   order=300),
        AreaColumn("coverage.organized", label("Organizational coverage (单建+联建)"), section,
                   {g.key: g.organized for g in groups}, order=301),
        AreaColumn("coverage.work", label("Work coverage only (工作覆盖)"), section, {g.key: g.work for g in groups},
                   order=302),
        AreaColumn("coverage.org_rate", label("Organizational coverage (组织覆盖率)"), section, {},
                   total="ratio", ratio_of=("coverage.organized", "coverage.population"), unit="%", order=303),
    ]


FIGURE_PROVIDERS = [coverage_figures]
CHART_PROVIDERS = [coverage_charts]
AREA_COLUMNS = [coverage_area_columns]
