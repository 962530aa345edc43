"""Reads behind the dashboard, the figures command and the reports: every provider, one scope."""
from django.http import Http404

from sanxin.accounts.models import User
from sanxin.registry.models import Area
from sanxin.registry.selectors import areas_visible_to, organizations_visible_to

from .providers import Chart, Figure, FigureScope, chart_providers, figure_providers


def resolve_area(actor: User | None, code: str) -> Area | None:
    """The drill-down area: one the actor may look at, else 404 (a system read sees all)."""
    if not code:
        return None
    areas = Area.objects.all() if actor is None else areas_visible_to(actor)
    area = areas.filter(code=code).first()
    if area is None:
        raise Http404
    return area


def figure_scope(actor: User | None, area_code: str = "") -> FigureScope:
    return FigureScope(actor=actor, area=resolve_area(actor, area_code))


def collect_figures(scope: FigureScope) -> list[Figure]:
    figures = [f for provider in figure_providers() for f in provider(scope)]
    return sorted(figures, key=lambda f: f.order)


def collect_charts(scope: FigureScope) -> list[Chart]:
    charts = [c for provider in chart_providers() for c in provider(scope)]
    return sorted(charts, key=lambda c: c.order)


def dashboard_payload(scope: FigureScope) -> dict:
    return {
        "area": {"code": scope.area.code, "name": scope.area.name} if scope.area else None,
        "figures": [f.as_dict() for f in collect_figures(scope)],
        "charts": [c.as_dict() for c in collect_charts(scope)],
    }


def cached_payload(actor: User, area_code: str = "") -> dict:
    """The payload for one user and drill-down area, kept SANXIN_DASHBOARD_CACHE_SECONDS (60 s by
    default): a wall display refreshes each minute, and many users open the page at once (the
    aggregates cost under 0.2 s at a million organizations: docs/dashboard.md). The key holds the
    user, so no scope ever sees another's figures."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import translation

    seconds = getattr(settings, "SANXIN_DASHBOARD_CACHE_SECONDS", 60)
    key = f"sanxin:dashboard:{actor.pk}:{area_code}:{translation.get_language()}"
    payload = cache.get(key) if seconds else None
    if payload is None:
        payload = dashboard_payload(figure_scope(actor, area_code))
        if seconds:
            cache.set(key, payload, seconds)
    return payload


def largest_organizations(actor: User, area: Area, limit: int = 20):
    """The last drill-down step: the area's organizations in the actor's scope, largest first
    (those with a known number of employees: index org_area_largest)."""
    return (organizations_visible_to(actor).filter(area=area, employees__isnull=False)
            .order_by("-employees", "id").only("id", "name", "employees", "domain", "is_sanyou")[:limit])
