"""Service figures: officers, the share of operating enterprises with a current officer, visits,
major projects escorted.

Written by the dashboard's engineer on the extension point; the service app may refine it.
Enterprises and those served are sums of the coverage summary's cells (their `operating` and
`served` columns, kept current on every write of organizations and assignments) wherever the cells
express the scope; organization and officer roles count their few organizations directly.

The share served is of *operating* enterprises: the rule (rules.needs_officer_q) gives each of
them exactly one officer; a suspended or deregistered one needs none."""
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.utils import timezone

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Figure, FigureScope, Period, rate
from sanxin.registry.models import Domain, Organization
from sanxin.registry.scoping import ORGANIZATION_SCOPE

from .models import Assignment, MajorProject, ServiceOfficer, Visit
from .rules import needs_officer_q
from .scoping import ASSIGNMENT_SCOPE, OFFICER_SCOPE, PROJECT_SCOPE, VISIT_SCOPE


@dataclass(frozen=True)
class EnterpriseCounts:
    """Per area id: enterprises with a current officer, operating enterprises, and those of them served."""

    served: dict[int, int]
    operating: dict[int, int]
    operating_served: dict[int, int]


def _per_area(rows) -> dict[int, int]:
    return {area: n for area, n in rows if n}


def enterprise_counts(scope: FigureScope) -> EnterpriseCounts:
    def compute() -> EnterpriseCounts:
        from sanxin.coverage import summary

        if summary.expresses_scope(scope.actor):
            rows = list(summary.scoped_cells(scope.actor, scope.area_ids)
                        .filter(domain=Domain.ENTERPRISE).values("area_id").annotate(
                            n_served=Sum("n", filter=Q(served=True)),
                            n_operating=Sum("n", filter=Q(operating=True)),
                            n_both=Sum("n", filter=Q(operating=True, served=True)))
                        .values_list("area_id", "n_served", "n_operating", "n_both"))
            return EnterpriseCounts(*(_per_area((r[0], r[i] or 0) for r in rows) for i in (1, 2, 3)))
        current = scope.scoped(Assignment.objects.filter(ended_at__isnull=True), ASSIGNMENT_SCOPE).order_by()
        enterprises = scope.scoped(Organization.objects.filter(domain=Domain.ENTERPRISE),
                                   ORGANIZATION_SCOPE).order_by()
        operating = enterprises.filter(needs_officer_q())
        return EnterpriseCounts(
            served=_per_area(current.filter(organization__domain=Domain.ENTERPRISE)
                             .values_list("organization__area_id").annotate(n=Count("id"))),
            operating=_per_area(operating.values_list("area_id").annotate(n=Count("id"))),
            operating_served=_per_area(
                operating.filter(pk__in=current.values("organization_id"))
                .values_list("area_id").annotate(n=Count("id"))))

    return scope.memo("service.enterprises", compute)


def service_figures(scope: FigureScope) -> list[Figure]:
    officers = scope.scoped(ServiceOfficer.objects.filter(active=True), OFFICER_SCOPE)
    if scope.area_ids is not None:  # OFFICER_SCOPE reaches areas through a callable
        officers = officers.filter(area_id__in=scope.area_ids)
    counts = enterprise_counts(scope)
    operating, operating_served = sum(counts.operating.values()), sum(counts.operating_served.values())
    year_start = date(timezone.localdate().year, 1, 1)
    visits = scope.scoped(Visit.objects.filter(visited_on__gte=year_start), VISIT_SCOPE).count()
    projects = scope.scoped(MajorProject.objects.all(), PROJECT_SCOPE)  # 护航重大项目
    section = label("Door-to-door service")
    return [
        Figure("service.officers", label("Service officers"), officers.count(), group=section, order=500),
        Figure("service.enterprises_served", label("Enterprises with a service officer"),
               sum(counts.served.values()), group=section, order=501),
        Figure("service.operating_enterprises", label("Operating enterprises"), operating,
               group=section, order=502, note=label("each must have one service officer")),
        Figure("service.enterprise_coverage", label("Share of operating enterprises served"),
               rate(operating_served, operating), unit="%", group=section, order=503),
        Figure("service.visits_this_year", label("Visits this year"), visits, group=section, order=504),
        Figure("service.major_projects", label("Major projects escorted"), projects.count(),
               group=section, order=505),
    ]


def service_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    section = label("Door-to-door service")
    counts = enterprise_counts(scope)
    served, enterprises = counts.operating_served, counts.operating
    visits = dict(scope.scoped(Visit.objects.filter(visited_on__gte=period.start, visited_on__lte=period.end),
                               VISIT_SCOPE).order_by().values_list("organization__area_id").annotate(n=Count("id")))
    return [
        AreaColumn("service.enterprises", label("Operating enterprises"), section, enterprises, order=500),
        AreaColumn("service.enterprises_served", label("Operating enterprises with a service officer"),
                   section, served, order=501),
        AreaColumn("service.enterprise_coverage", label("Share of operating enterprises served"), section, {},
                   total="ratio", ratio_of=("service.enterprises_served", "service.enterprises"), unit="%",
                   order=502),
        AreaColumn("service.visits", label("Visits in the period"), section, visits, order=503),
    ]


FIGURE_PROVIDERS = [service_figures]
AREA_COLUMNS = [service_area_columns]
