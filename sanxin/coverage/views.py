from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_
from django.views.decorators.http import require_POST

from sanxin.core.codes import IndustrySection
from sanxin.core.exports import xlsx_response
from sanxin.registry.models import Area, Department, Domain
from sanxin.registry.selectors import areas_visible_to

from . import engine
from .findings import FINDING_KINDS, finding_counts, findings_for
from .forms import CampaignTargetForm
from .selectors import (
    CoverageFilter,
    coverage_report,
    organization_statuses,
    targets_with_progress,
    trend,
)
from .services import can_set_targets, joint_branch_accept, target_save
from .suggestions import suggestions_for

GROUPING_LABELS = {"area": gettext_lazy("area"), "industry": gettext_lazy("industry section"),
                   "domain": gettext_lazy("domain"), "authority": gettext_lazy("industry authority")}


def _status_names() -> dict[str, str]:
    return {code: str(label) for code, label in engine.Status.CHOICES}


def _chart(groups: list[engine.CoverageCounts]) -> dict:
    return {"labels": [g.label for g in groups], "names": _status_names(),
            "series": {"single": [g.single for g in groups], "joint": [g.joint for g in groups],
                       "work": [g.work for g in groups], "blank": [g.blank for g in groups]}}


def _filter_choices(request: HttpRequest) -> dict:
    return {"areas": areas_visible_to(request.user), "industries": IndustrySection.choices,
            "domains": Domain.choices, "statuses": engine.Status.CHOICES,
            "authorities": Department.objects.filter(kind="industry")}


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query.urlencode()


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Rates of the scope with a chart by the chosen grouping and by industry; an area row drills
    down to that area, whose organizations are one click further."""
    flt = CoverageFilter.from_params(request.GET)
    grouping = request.GET.get("group", "area")
    if grouping not in engine.GROUPINGS:
        grouping = "area"
    totals, report = coverage_report(request.user, flt, list(dict.fromkeys([grouping, "industry"])))
    groups, by_industry = report[grouping], report["industry"]
    area = Area.objects.filter(code=flt.area).first() if flt.area else None
    area_codes = dict(Area.objects.values_list("id", "code")) if grouping == "area" else {}
    return render(request, "coverage/overview.html", {
        "filter": flt, "totals": totals, "groups": groups, "grouping": grouping,
        "grouping_label": GROUPING_LABELS[grouping], "groupings": GROUPING_LABELS,
        "area": area, "area_codes": area_codes,
        "rows": [(g, area_codes.get(g.key)) for g in groups],
        "chart": {"groups": _chart(groups), "industry": _chart(by_industry)},
        "query": _query_without(request, "group"), "metrics": engine.METRICS,
        **_filter_choices(request)})


STATUS_HEADERS = (N_("ID"), N_("name"), N_("unified social credit code"), N_("domain"), N_("area"),
                  N_("industry section"), N_("industry authority"), N_("employees"), N_("in scope (三有)"),
                  N_("coverage status"))


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    flt = CoverageFilter.from_params(request.GET)
    page = Paginator(organization_statuses(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(request, "coverage/organization_list.html", {
        "page": page, "filter": flt, "query": _query_without(request),
        "status_names": _status_names(), **_filter_choices(request)})


@login_required
def organization_export(request: HttpRequest) -> HttpResponse:
    qs = organization_statuses(request.user, CoverageFilter.from_params(request.GET))
    names = _status_names()
    rows = ((o.pk, o.name, o.credit_code or "", o.get_domain_display(), o.area.name, o.industry,
             o.authority.name if o.authority else "", o.employees,
             _("yes") if o.is_sanyou else _("no"), names[o.coverage_status])
            for o in qs.iterator(chunk_size=2000))
    return xlsx_response("coverage", _("Coverage of organizations"),
                         [_(h) for h in STATUS_HEADERS], rows)


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    area = request.GET.get("area", "")
    everything = findings_for(request.user, area_code=area)
    shown = [f for f in everything if not kind or f.kind == kind]
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(request, "coverage/finding_list.html", {
        "page": page, "kind": kind, "area": area, "kinds": FINDING_KINDS,
        "counts": finding_counts(everything), "query": _query_without(request),
        "areas": areas_visible_to(request.user)})


FINDING_HEADERS = (N_("finding"), N_("name"), N_("area"), N_("detail"))


@login_required
def finding_export(request: HttpRequest) -> HttpResponse:
    found = findings_for(request.user, kind=request.GET.get("kind", ""),
                         area_code=request.GET.get("area", ""))
    rows = ((f.label, f.name, f.area, f.detail) for f in found)
    return xlsx_response("coverage-findings", _("Coverage findings"),
                         [_(h) for h in FINDING_HEADERS], rows)


@login_required
def trend_view(request: HttpRequest) -> HttpResponse:
    flt = CoverageFilter.from_params(request.GET)
    points = trend(request.user, include_all=flt.include_all, area=flt.area, domain=flt.domain)
    chart = {"labels": [p.label for p in points],
             "names": {k: str(v) for k, v in engine.METRICS.items()},
             "series": {k: [float(p.rates()[k].percent or 0) for p in points] for k in engine.METRICS}}
    return render(request, "coverage/trend.html", {
        "points": points, "filter": flt, "chart": chart, **_filter_choices(request)})


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    form = None
    if can_set_targets(request.user):
        form = CampaignTargetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            target_save(actor=request.user, form=form)
            messages.success(request, _("Target saved."))
            return redirect("coverage:target_list")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "coverage/target_list.html", {
        "progress": targets_with_progress(request.user), "form": form})


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    from sanxin.party.services import can_edit_party

    suggestions = suggestions_for(request.user)
    return render(request, "coverage/suggestion_list.html", {
        "suggestions": suggestions, "can_accept": can_edit_party(request.user)})


@login_required
@require_POST
def suggestion_accept(request: HttpRequest) -> HttpResponse:
    try:
        unit_ids = [int(v) for v in request.POST.get("units", "").split("-") if v]
    except ValueError:
        unit_ids = []
    if not unit_ids:
        messages.error(request, _("Choose a suggestion to accept."))
        return redirect("coverage:suggestion_list")
    try:
        branch = joint_branch_accept(actor=request.user, unit_ids=unit_ids,
                                     name=request.POST.get("name", "").strip())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("coverage:suggestion_list")
    messages.success(request, _("Joint branch %(name)s created.") % {"name": branch.name})
    return redirect("party:party_org_detail", pk=branch.pk)
