"""Service figures: officers, the share of enterprises with a current officer, visits.

Written by the dashboard's engineer on the extension point; the service app may refine it."""
from datetime import date

from django.db.models import Count

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Figure, FigureScope, Period, rate
from sanxin.registry.models import Domain, Organization
from sanxin.registry.scoping import ORGANIZATION_SCOPE

from .models import Assignment, ServiceOfficer, Visit
from .scoping import ASSIGNMENT_SCOPE, OFFICER_SCOPE, VISIT_SCOPE


def _current(scope: FigureScope):
    return scope.scoped(Assignment.objects.filter(ended_at__isnull=True), ASSIGNMENT_SCOPE).order_by()


def service_figures(scope: FigureScope) -> list[Figure]:
    officers = scope.scoped(ServiceOfficer.objects.filter(active=True), OFFICER_SCOPE)
    if scope.area_ids is not None:  # OFFICER_SCOPE reaches areas through a callable
        officers = officers.filter(area_id__in=scope.area_ids)
    enterprises = scope.scoped(Organization.objects.filter(domain=Domain.ENTERPRISE), ORGANIZATION_SCOPE)
    served = _current(scope).filter(organization__domain=Domain.ENTERPRISE).count()
    total = enterprises.count()
    year_start = date(date.today().year, 1, 1)
    visits = scope.scoped(Visit.objects.filter(visited_on__gte=year_start), VISIT_SCOPE).count()
    section = label("Door-to-door service")
    return [
        Figure("service.officers", label("Service officers"), officers.count(), group=section, order=500),
        Figure("service.enterprises_served", label("Enterprises with a service officer"), served,
               group=section, order=501),
        Figure("service.enterprise_coverage", label("Share of enterprises served"), rate(served, total), unit="%",
               group=section, order=502),
        Figure("service.visits_this_year", label("Visits this year"), visits, group=section, order=503),
    ]


def service_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    section = label("Door-to-door service")
    served = dict(_current(scope).filter(organization__domain=Domain.ENTERPRISE)
                  .values_list("organization__area_id").annotate(n=Count("id")))
    enterprises = dict(scope.scoped(Organization.objects.filter(domain=Domain.ENTERPRISE), ORGANIZATION_SCOPE)
                       .order_by().values_list("area_id").annotate(n=Count("id")))
    visits = dict(scope.scoped(Visit.objects.filter(visited_on__gte=period.start, visited_on__lte=period.end),
                               VISIT_SCOPE).order_by().values_list("organization__area_id").annotate(n=Count("id")))
    return [
        AreaColumn("service.enterprises", label("Enterprises"), section, enterprises, order=500),
        AreaColumn("service.enterprises_served", label("Enterprises with a service officer"), section, served,
                   order=501),
        AreaColumn("service.enterprise_coverage", label("Share of enterprises served"), section, {},
                   total="ratio", ratio_of=("service.enterprises_served", "service.enterprises"), unit="%",
                   order=502),
        AreaColumn("service.visits", label("Visits in the period"), section, visits, order=503),
    ]


FIGURE_PROVIDERS = [service_figures]
AREA_COLUMNS = [service_area_columns]
