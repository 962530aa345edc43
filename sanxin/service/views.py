from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxin.core.editing import save_if_valid
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area
from sanxin.registry.selectors import areas_visible_to, get_organization

from . import rules, selectors, services
from .forms import (
    MilestoneReachForm,
    OfficerForm,
    OverrideForm,
    PlanForm,
    ProblemForm,
    VisitForm,
)
from .labels import plan_rows, reason_code_label, reason_label


def _page(request: HttpRequest, qs, size: int = 50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _form_errors_to(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# ---------------------------------------------------------------- home
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """An officer's own page: my enterprises, whom to visit next, overdue, open demands."""
    officer = selectors.officer_of(request.user)
    if officer is None:
        return redirect("service:coverage")
    actor = request.user
    mine = list(selectors.visit_plan(actor, officer=officer).order_by("organization__name"))
    upcoming = selectors.visit_next(actor, officer)
    return render(request, "service/home.html", {
        "officer": officer, "mine": mine, "upcoming": upcoming[:10],
        "overdue": [r for r in upcoming if r.status == "overdue"],
        "demands": selectors.open_demands(actor, officer)[:20],
        "capacity_left": max(0, officer.capacity - len(mine)),
    })


# ---------------------------------------------------------------- officers
@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    params = {k: normalize_text(request.GET.get(k, "")) for k in ("q", "area", "active")}
    qs = selectors.officers_with_load(request.user, **params)
    return render(request, "service/officer_list.html", {
        "page": _page(request, qs), "params": params, "query": _query(request),
        "areas": areas_visible_to(request.user).exclude(kind="district"),
        "can_edit": services.can_manage_officers(request.user),
    })


@login_required
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = selectors.get_officer(request.user, pk)
    return render(request, "service/officer_detail.html", {
        "officer": officer,
        "assignments": selectors.officer_enterprises(request.user, officer),
        "can_edit": services.can_manage_officers(request.user),
    })


@login_required
def officer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = request.user
    if not services.can_manage_officers(actor):
        raise PermissionDenied
    instance = selectors.get_officer(actor, pk) if pk else None
    form = OfficerForm(request.POST or None, instance=instance,
                       allowed_areas=areas_visible_to(actor),
                       district_level_allowed=actor.is_district)
    officer = save_if_valid(request, form, lambda: services.officer_save(actor=actor, form=form))
    if officer is not None:
        messages.success(request, _("Officer saved."))
        return redirect("service:officer_detail", pk=officer.pk)
    return render(request, "service/officer_form.html", {"form": form, "officer": instance})


# ---------------------------------------------------------------- coverage and assignments
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    by_area = selectors.coverage_by_area(request.user)
    by_department = selectors.coverage_by_department(request.user)
    return render(request, "service/coverage.html", {
        "by_area": by_area, "by_department": by_department,
        "total": selectors.coverage_total(by_area),
        "can_plan": services.can_plan(request.user),
    })


@login_required
def unassigned(request: HttpRequest) -> HttpResponse:
    area = normalize_text(request.GET.get("area", ""))
    return render(request, "service/unassigned.html", {
        "page": _page(request, selectors.unassigned(request.user, area)), "area": area,
        "query": _query(request),
        "areas": areas_visible_to(request.user).exclude(kind="district"),
    })


@login_required
def assignment_history(request: HttpRequest, org_pk: int) -> HttpResponse:
    actor = request.user
    organization = get_organization(actor, org_pk)
    officers = selectors.officers_visible_to(actor).filter(active=True).select_related(
        "user", "area")
    form = OverrideForm(request.POST or None, officers=officers)
    can_override = services.can_plan(actor)
    if request.method == "POST":
        if not can_override:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.assignment_override(actor=actor, organization=organization,
                                             officer=form.cleaned_data["officer"],
                                             reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _form_errors_to(form, exc)
            else:
                messages.success(request, _("The officer was changed."))
                return redirect("service:assignment_history", org_pk=organization.pk)
    history = list(selectors.assignment_history(actor, organization))
    for row in history:
        row.why = reason_label(row)
    return render(request, "service/assignment_history.html", {
        "org": organization, "history": history, "form": form, "can_override": can_override,
    })


# ---------------------------------------------------------------- optimizer
@login_required
def optimizer_start(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not services.can_plan(actor):
        raise PermissionDenied
    form = PlanForm(request.POST or None, allowed_areas=areas_visible_to(actor))
    if request.method == "POST" and form.is_valid():
        area = form.cleaned_data.get("area")
        try:
            plan = services.plan_preview(actor=actor, mode=form.cleaned_data["mode"],
                                         area_ids=[area.pk] if area else None)
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            return redirect("service:plan_detail", pk=plan.pk)
    plans = selectors.plans_visible_to(actor).select_related("created_by")[:10]
    return render(request, "service/optimizer.html", {"form": form, "plans": plans})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    plan = selectors.get_plan(actor, pk)
    areas = {a.pk: a for a in Area.objects.all()}
    rows = plan_rows(plan, limit=300)
    return render(request, "service/plan_detail.html", {
        "plan": plan, "rows": rows, "areas": areas,
        "shortages": [dict(s, area=areas.get(s["area_id"])) for s in plan.shortages],
        "plan_areas": [areas[a] for a in plan.area_ids if a in areas],
        "reasons": [(reason_code_label(code), n) for code, n in plan.summary.get("reasons", {}).items()],
    })


@login_required
@require_POST
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    plan = selectors.get_plan(actor, pk)
    try:
        changed = services.plan_apply(actor=actor, plan=plan)
    except services.StalePlan:
        messages.error(request, _("This plan is stale: assignments changed after it was "
                                  "computed. Nothing was applied; preview again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Plan applied: %(n)d assignments changed.") % {"n": changed})
    return redirect("service:plan_detail", pk=plan.pk)


# ---------------------------------------------------------------- visits
@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.visits_visible_to(request.user)
    org = normalize_text(request.GET.get("organization", ""))
    if org.isdigit():
        qs = qs.filter(organization_id=int(org))
    return render(request, "service/visit_list.html", {
        "page": _page(request, qs), "query": _query(request),
        "is_officer": selectors.officer_of(request.user) is not None,
    })


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    """Phone-sized: one column, big inputs, the officer's own enterprises only."""
    actor = request.user
    officer = selectors.officer_of(actor)
    if officer is None:
        raise PermissionDenied
    enterprises = [a.organization for a in selectors.officer_enterprises(actor, officer)]
    initial = {"organization": request.GET.get("organization")} if request.method == "GET" else None
    form = VisitForm(request.POST or None, enterprises=enterprises, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organization = next(o for o in enterprises if o.pk == data["organization"])
        try:
            result = services.visit_log(actor=actor, organization=organization,
                                        visited_on=data["visited_on"],
                                        met_person=data["met_person"],
                                        discussed=data["discussed"], demands=data["demands"])
        except ValidationError as exc:
            _form_errors_to(form, exc)
        else:
            messages.success(request, _("Visit saved."))
            if result.too_many:
                messages.warning(request, _(
                    "无事不扰: %(org)s has had %(n)d visits this month, more than the %(max)d "
                    "the rule allows. Visit only when there is a reason.") % {
                    "org": organization.name, "n": result.visits_in_month,
                    "max": rules.max_visits_per_month()})
            return redirect("service:home")
    return render(request, "service/visit_form.html", {"form": form})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit(request.user, pk)
    officer = selectors.officer_of(request.user)
    return render(request, "service/visit_detail.html", {
        "visit": visit, "can_settle": officer is not None and visit.officer_id == officer.pk})


@login_required
@require_POST
def visit_settle(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.get_visit(request.user, pk)
    services.visit_settle_demands(actor=request.user, visit=visit)
    messages.success(request, _("Demands marked as settled."))
    return redirect("service:visit_detail", pk=visit.pk)


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    actor = request.user
    area = normalize_text(request.GET.get("area", ""))
    return render(request, "service/overdue.html", {
        "page": _page(request, selectors.overdue_visits(actor, area=area)),
        "by_officer": selectors.overdue_by_officer(actor)[:50],
        "by_area": selectors.overdue_by_area(actor), "area": area, "query": _query(request),
        "areas": areas_visible_to(actor).exclude(kind="district"),
    })


@login_required
def frequent(request: HttpRequest) -> HttpResponse:
    return render(request, "service/frequent.html", {
        "rows": selectors.frequent_visits(request.user)[:200],
        "limit": rules.max_visits_per_month()})


# ---------------------------------------------------------------- major projects
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    return render(request, "service/project_list.html", {
        "rows": selectors.projects_with_progress(request.user)})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    project = selectors.get_project(actor, pk)
    can_edit = services.can_edit_project(actor, project)
    problem_form = ProblemForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "milestone" in request.POST:
            form = MilestoneReachForm(request.POST)
            milestone = project.milestones.filter(pk=request.POST.get("milestone")).first()
            if milestone is None:
                raise Http404
            if form.is_valid():
                try:
                    services.milestone_reach(actor=actor, milestone=milestone,
                                             actual_on=form.cleaned_data["actual_on"])
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("Milestone recorded."))
            else:
                messages.error(request, _("actual date: enter a date such as 2026-03-31."))
        else:
            problem_form = ProblemForm(request.POST)
            if problem_form.is_valid():
                services.problem_raise(actor=actor, project=project,
                                       text=problem_form.cleaned_data["text"])
                messages.success(request, _("Problem recorded."))
                return redirect("service:project_detail", pk=project.pk)
        if not problem_form.errors:
            return redirect("service:project_detail", pk=project.pk)
    progress = selectors.project_progress(project, selectors.today())
    return render(request, "service/project_detail.html", {
        "project": project, "progress": progress, "can_edit": can_edit,
        "problem_form": problem_form, "today": selectors.today()})


