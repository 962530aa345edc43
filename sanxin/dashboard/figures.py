"""The registry's figures: organizations by domain, the 三有 scope, by area, department and month.

The counts by area, domain, authority and 三有 are sums of the coverage summary's cells
(sanxin/coverage/summary.py, kept current on every write) wherever the cells can be cut to the
actor's scope; organization and officer roles, which see a handful of organizations, count them
directly. The new-employment workers and the recent establishments are read through their own
indexes (org_with_workers, org_established): never a pass over every organization."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, DateField, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sanxin.coverage import summary as coverage_summary
from sanxin.registry.models import Area, Department, Domain, Organization
from sanxin.registry.scoping import ORGANIZATION_SCOPE

from .providers import AreaColumn, Chart, Figure, FigureScope, Period, Series, rate

MONTHS_SHOWN = 12


@dataclass
class OrganizationGroups:
    """Counts by (area, domain, authority, 三有), the workers, and establishments by recent month."""

    rows: list[dict]
    workers: int
    months: list[tuple[date, int]]

    def total(self, **match) -> int:
        return sum(r["n"] for r in self.rows if all(r[k] == v for k, v in match.items()))

    def by(self, key: str, **match) -> dict:
        out: dict = defaultdict(int)
        for r in self.rows:
            if all(r[k] == v for k, v in match.items()):
                out[r[key]] += r["n"]
        return out


def _month_start(day: date, back: int) -> date:
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def organization_groups(scope: FigureScope) -> OrganizationGroups:
    def compute() -> OrganizationGroups:
        today = timezone.localdate()
        months = [_month_start(today, back) for back in range(MONTHS_SHOWN - 1, -1, -1)]
        qs = scope.scoped(Organization.objects.all(), ORGANIZATION_SCOPE).order_by()
        rows = _group_counts(scope, qs)
        workers = qs.filter(workers__gt=0).aggregate(n=Sum("workers"))["n"] or 0
        recent = qs.filter(established__gte=months[0]).annotate(
            month=TruncMonth("established", output_field=DateField())
        ).values("month").annotate(n=Count("id"))
        monthly = {r["month"]: r["n"] for r in recent}
        return OrganizationGroups(rows=rows, workers=workers,
                                  months=[(m, monthly.get(m, 0)) for m in months])

    return scope.memo("registry.groups", compute)


GROUP_BY = ("area_id", "domain", "authority_id", "is_sanyou")


def _group_counts(scope: FigureScope, organizations) -> list[dict]:
    """[{area_id, domain, authority_id, is_sanyou, n}]: from the summary's cells where they express
    the scope (equal to a count of the organizations: tests/dashboard/test_figures.py), else by
    counting the organizations."""
    if not coverage_summary.expresses_scope(scope.actor):
        return list(organizations.values(*GROUP_BY).annotate(n=Count("id")))
    rows = (coverage_summary.scoped_cells(scope.actor, scope.area_ids)
            .values(*GROUP_BY).annotate(total=Sum("n")).values_list(*GROUP_BY, "total"))
    return [{"area_id": area, "domain": domain, "authority_id": authority or None,  # cells' 0: none
             "is_sanyou": sanyou, "n": n} for area, domain, authority, sanyou, n in rows]


def registry_figures(scope: FigureScope) -> list[Figure]:
    groups = organization_groups(scope)
    total = groups.total()
    sanyou = groups.total(is_sanyou=True)
    enterprises = groups.total(domain=Domain.ENTERPRISE)
    enterprises_sanyou = groups.total(domain=Domain.ENTERPRISE, is_sanyou=True)
    workers = groups.workers
    section = _("Organizations")
    return [
        Figure("organizations.total", _("All organizations"), total, group=section, order=10),
        Figure("organizations.enterprise", _("Non-public enterprises"), enterprises, group=section, order=11),
        Figure("organizations.social", _("Social organizations"), groups.total(domain=Domain.SOCIAL),
               group=section, order=12),
        Figure("organizations.new_employment", _("New-employment sites"),
               groups.total(domain=Domain.NEW_EMPLOYMENT), group=section, order=13),
        Figure("organizations.new_employment_workers", _("New-employment workers"), workers,
               group=section, order=14),
        Figure("organizations.sanyou", _("In scope (三有)"), sanyou, group=section, order=15,
               note=_("fixed premises, at least 10 employees, operating")),
        Figure("organizations.enterprise_sanyou", _("Enterprises in scope (三有)"), enterprises_sanyou,
               group=section, order=16),
        Figure("organizations.sanyou_rate", _("Share in scope (三有)"), rate(sanyou, total), unit="%",
               group=section, order=17),
    ]


def _area_names(ids) -> dict[int, Area]:
    return {a.id: a for a in Area.objects.filter(id__in=ids)}


def registry_charts(scope: FigureScope) -> list[Chart]:
    groups = organization_groups(scope)
    charts = []
    by_area_domain = defaultdict(lambda: defaultdict(int))
    for r in groups.rows:
        by_area_domain[r["area_id"]][r["domain"]] += r["n"]
    areas = _area_names(by_area_domain)
    ordered = sorted(by_area_domain, key=lambda i: (-sum(by_area_domain[i].values()), areas[i].code))
    charts.append(Chart(
        key="organizations.by_area", title=_("Organizations by area"), kind="stacked",
        categories=[areas[i].name for i in ordered],
        series=[Series(label, [by_area_domain[i][value] for i in ordered]) for value, label in Domain.choices],
        drill=[areas[i].code for i in ordered], order=10))
    by_department = groups.by("authority_id")
    departments = {d.id: d.name for d in Department.objects.filter(id__in=[k for k in by_department if k])}
    top = sorted(by_department.items(), key=lambda kv: -kv[1])
    charts.append(Chart(
        key="organizations.by_department", title=_("Organizations by industry authority"), kind="bar",
        categories=[departments.get(k, _("none")) for k, _n in top],
        series=[Series(_("Organizations"), [n for _k, n in top])], order=30))
    charts.append(Chart(
        key="organizations.by_month", title=_("Organizations established by month"), kind="line",
        categories=[m.strftime("%Y-%m") for m, _n in groups.months],
        series=[Series(_("Organizations"), [n for _m, n in groups.months])], order=40))
    charts.append(Chart(
        key="organizations.by_domain", title=_("Organizations by domain"), kind="pie",
        categories=[label for _v, label in Domain.choices],
        series=[Series(_("Organizations"), [groups.total(domain=v) for v, _l in Domain.choices])], order=20))
    return charts


def registry_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    groups = organization_groups(scope)
    section = _("Organizations")
    established = dict(
        scope.scoped(Organization.objects.all(), ORGANIZATION_SCOPE).order_by()
        .filter(Q(established__gte=period.start) & Q(established__lte=period.end))
        .values_list("area_id").annotate(n=Count("id")))
    return [
        AreaColumn("organizations.total", _("All organizations"), section, dict(groups.by("area_id")), order=10),
        AreaColumn("organizations.enterprise", _("Non-public enterprises"), section,
                   dict(groups.by("area_id", domain=Domain.ENTERPRISE)), order=11),
        AreaColumn("organizations.social", _("Social organizations"), section,
                   dict(groups.by("area_id", domain=Domain.SOCIAL)), order=12),
        AreaColumn("organizations.new_employment", _("New-employment sites"), section,
                   dict(groups.by("area_id", domain=Domain.NEW_EMPLOYMENT)), order=13),
        AreaColumn("organizations.sanyou", _("In scope (三有)"), section,
                   dict(groups.by("area_id", is_sanyou=True)), order=14),
        AreaColumn("organizations.established", _("Established in the period"), section, established,
                   order=15),
    ]


FIGURE_PROVIDERS = [registry_figures]
CHART_PROVIDERS = [registry_charts]
AREA_COLUMNS = [registry_area_columns]
