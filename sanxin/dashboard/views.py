from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .reports import ReportForm, default_period, report_response
from .selectors import cached_payload, figure_scope, largest_organizations


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """驾驶舱: the actor's scope at a glance; ?area= drills into one area; ?fullscreen=1 for a wall."""
    area_code = request.GET.get("area", "")
    scope = figure_scope(request.user, area_code)  # 404 outside the scope, before any cache
    payload = cached_payload(request.user, area_code)
    return render(request, "dashboard/dashboard.html", {
        "scope": scope, "payload": payload, "groups": _groups(payload),
        "organizations": largest_organizations(request.user, scope.area) if scope.area else None,
        "fullscreen": request.GET.get("fullscreen") == "1",
        "report_form": ReportForm(initial=asdict(default_period())),
    })


def _groups(payload: dict) -> list[tuple[str, list[dict]]]:
    groups: dict[str, list[dict]] = {}
    for figure in payload["figures"]:
        groups.setdefault(figure["group"], []).append(figure)
    return list(groups.items())


@login_required
def dashboard_data(request: HttpRequest) -> JsonResponse:
    """The same figures and charts as JSON, for the page's live refresh and for scripts."""
    area_code = request.GET.get("area", "")
    figure_scope(request.user, area_code)  # 404 outside the scope, before any cache
    return JsonResponse(cached_payload(request.user, area_code), json_dumps_params={"ensure_ascii": False})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.GET or None)
    if not form.is_valid():
        return render(request, "dashboard/report_form.html", {"form": form}, status=400 if request.GET else 200)
    scope = figure_scope(request.user, form.cleaned_data.get("area") or "")
    return report_response(scope, form.period())
