from django.http import HttpRequest
from ninja import Router, Schema

from .selectors import dashboard_payload, figure_scope

router = Router(tags=["dashboard"])


class FigureOut(Schema):
    key: str
    label: str
    value: int | float | None
    unit: str
    group: str
    note: str


class SeriesOut(Schema):
    name: str
    data: list[int | float | None]


class ChartOut(Schema):
    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[SeriesOut]
    drill: list[str]


class AreaRef(Schema):
    code: str
    name: str


class DashboardOut(Schema):
    area: AreaRef | None
    figures: list[FigureOut]
    charts: list[ChartOut]


@router.get("/figures", response=DashboardOut,
            summary="Headline figures and charts for the caller's scope (404 for an area outside it)")
def figures(request: HttpRequest, area: str = ""):
    return dashboard_payload(figure_scope(request.auth, area))
