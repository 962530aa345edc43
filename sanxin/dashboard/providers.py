"""The figure-provider extension point: each app contributes its own headline figures, charts and
per-area report columns from `sanxin/<app>/figures.py`, so the dashboard, the `figures` command
and the statistical report never import another app's models.

    FIGURE_PROVIDERS = [my_figures]      # (scope: FigureScope) -> list[Figure]
    CHART_PROVIDERS = [my_charts]        # (scope: FigureScope) -> list[Chart]
    AREA_COLUMNS = [my_columns]          # (scope: FigureScope, period: Period) -> list[AreaColumn]

Every provider reads through `scope.scoped(queryset, paths)`: the actor's scope (security) and
the drill-down area in one place.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import ScopePaths, area_ids_under, scope_q
from sanxin.core.extensions import collect
from sanxin.registry.models import Area


@dataclass(frozen=True)
class Figure:
    key: str                       # stable name for scripts, e.g. "organizations.total"
    label: str                     # translated
    value: int | float | None
    unit: str = ""                 # "%" for rates
    group: str = ""                # section title on the dashboard
    order: int = 100
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": str(self.label), "value": self.value, "unit": self.unit,
                "group": str(self.group), "note": str(self.note)}


@dataclass(frozen=True)
class Series:
    name: str
    data: list[int | float | None]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str                                  # "bar", "stacked", "line" or "pie"
    categories: list[str]
    series: list[Series]
    drill: list[str] = field(default_factory=list)  # per category: area code to drill into, or ""
    order: int = 100

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": str(self.title), "kind": self.kind,
                "categories": [str(c) for c in self.categories],
                "series": [{"name": str(s.name), "data": s.data} for s in self.series],
                "drill": self.drill}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


@dataclass(frozen=True)
class AreaColumn:
    """One column of the statistical report: a value per area id, and how to total it."""

    key: str
    label: str
    group: str
    values: dict[int, int | float]
    total: str = "sum"                        # "sum", or "ratio" of two other columns' totals
    ratio_of: tuple[str, str] | None = None   # (numerator key, denominator key) for "ratio"
    unit: str = ""
    order: int = 100


@dataclass
class FigureScope:
    """Who is looking (None: a system read for the command line) and which area is drilled into."""

    actor: User | None
    area: Area | None = None
    _area_ids: list[int] | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Share one aggregate between an app's figure, chart and column providers."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def area_ids(self) -> list[int] | None:
        if self.area is None:
            return None
        if self._area_ids is None:
            self._area_ids = area_ids_under(self.area.id)
        return self._area_ids

    def scoped(self, queryset: QuerySet, paths: ScopePaths) -> QuerySet:
        """The actor's scope, then the drill-down area (through the same path as area scope)."""
        if self.actor is not None:
            clause = scope_q(self.actor, paths)
            if clause is not None:
                queryset = queryset.filter(clause)
        if self.area_ids is not None and isinstance(paths.area, str):
            queryset = queryset.filter(Q(**{f"{paths.area}__in": self.area_ids}))
        return queryset


FigureProvider = Callable[[FigureScope], list[Figure]]
ChartProvider = Callable[[FigureScope], list[Chart]]
AreaColumnProvider = Callable[[FigureScope, Period], list[AreaColumn]]


def figure_providers() -> list[FigureProvider]:
    return collect("figures", "FIGURE_PROVIDERS")


def chart_providers() -> list[ChartProvider]:
    return collect("figures", "CHART_PROVIDERS")


def area_column_providers() -> list[AreaColumnProvider]:
    return collect("figures", "AREA_COLUMNS")


def rate(part: int | float | None, whole: int | float | None) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide by."""
    if not whole or part is None:
        return None
    return round(100 * part / whole, 1)
