"""Pages of the case workflow; each view parses input, calls one selector or service, renders."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxin.accounts.scoping import get_visible_or_404
from sanxin.core import calendar, pagecache
from sanxin.core.masking import mask_phone
from sanxin.registry.models import Organization
from sanxin.registry.selectors import organizations_visible_to

from . import rules, services
from .errors import CaseError
from .forms import CaseForm
from .measures import GROUPS, Period, compute_measures, measure_definitions
from .models import CaseKind, CaseState, Category, Rating
from .permissions import may_raise_for
from .selectors import (
    CaseFilter,
    case_list_rows,
    case_of_stamp,
    case_page,
    case_stamp,
    get_case,
    handling_departments,
    notifications_for,
    overdue_visible_to,
    search_cases,
)

RAISING_ROLES = ("district", "area", "organization", "officer")
MAX_ORGANIZATION_CHOICES = 300


def raisable_organizations(actor):
    """Organizations the actor may raise a case for (its scope; departments raise none)."""
    if not actor.has_role(*RAISING_ROLES):
        return Organization.objects.none()
    return organizations_visible_to(actor).order_by("name")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    flt = CaseFilter.from_params(request.GET)

    def render_list() -> pagecache.Content:
        page = Paginator(case_list_rows(request.user, flt), 50).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        query = request.GET.copy()
        query.pop("page", None)
        return pagecache.Content("cases/case_list.html", {
            "page": page, "filter": flt, "query": query.urlencode(),
            "kinds": CaseKind.choices, "states": CaseState.choices,
            "categories": Category.objects.filter(active=True),
            "can_raise": request.user.has_role(*RAISING_ROLES),
        }, pagecache.next_change(timezone.now(), *(row["deadline"] for row in page.object_list)))

    # Which cases are past their deadline changes with the clock alone: that list is not stored.
    return pagecache.page(request, ("case-list",), render_list,
                          depends_on=("cases",), cacheable=flt.overdue != "1")


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    organizations = raisable_organizations(request.user)
    if not request.user.has_role(*RAISING_ROLES):
        raise PermissionDenied
    initial = {"organization": request.GET.get("organization"), "kind": request.GET.get("kind", "demand")}
    visits = _raisable_visits(request.user)
    visit = None
    if request.GET.get("visit"):
        visit = get_visible_or_404(visits, request.GET["visit"])   # 404 outside the scope
        initial.update(organization=visit.organization_id, source="visit", visit=visit.pk,
                       title=(visit.demand_list or [""])[0][:120], description=visit.demands)
    form = CaseForm(request.POST or None, initial=initial, organizations=organizations, visits=visits)
    if organizations.count() > MAX_ORGANIZATION_CHOICES:
        from django import forms

        form.fields["organization"].widget = forms.NumberInput(attrs={"class": "form-control"})
        form.fields["organization"].help_text = _("Organization number, as on its page.")
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_raise(actor=request.user, data=form.cleaned_data)
        except CaseError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            for upload in request.FILES.getlist("files"):
                _attach(request, case.pk, upload)
            messages.success(request, _("Case raised; the district will dispatch it."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "visit": visit})


def _raisable_visits(actor):
    from sanxin.service.selectors import visits_visible_to

    return visits_visible_to(actor)


def _attach(request, case_pk, upload) -> bool:
    try:
        services.attachment_add(actor=request.user, case_id=case_pk, upload=upload)
    except CaseError as exc:
        messages.error(request, exc.message)
        return False
    return True


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stamp = case_stamp(request.user, pk)    # 404 outside the scope, before any cached copy
    # A merged case shows its main case's answer, which its own stamp does not follow.
    return pagecache.page(request, stamp.key, lambda: _case_detail_page(request, case_of_stamp(stamp)),
                          cacheable=stamp.merged_into_id is None)


def _case_detail_page(request: HttpRequest, case) -> pagecache.Content:
    related = case_page(case)
    now = timezone.now()
    allowed = services.allowed_transitions(request.user, case, now)
    warn_years = calendar.uncovered_years(case.signed_at, case.deadline)
    contact_phone = case.organization.contact_phone
    return pagecache.Content("cases/case_detail.html", {
        "case": case, "timeline": related.timeline,
        "transitions": [{"t": t, "fields": [*t.required, *t.optional], "required": t.required}
                        for t in allowed],
        "attachments": related.attachments, "extensions": related.extensions,
        "co_handlers": related.co_handlers, "duplicates": related.duplicates,
        "rectifications": related.rectifications,
        "can_rectify": services.can_manage_rectification(request.user, case),
        "calendar_warning_years": warn_years,
        "contact_phone": contact_phone if request.user.sees_personal_data else mask_phone(contact_phone),
        "departments": _dispatch_choices(allowed), "ratings": Rating.choices,
        "max_extension": rules.MAX_EXTENSION_DAYS, "can_attach": case.state not in ("closed", "merged"),
    }, pagecache.next_change(now, case.deadline, case.response_due))


def _dispatch_choices(allowed) -> list:
    """The 职能部门 for the dispatch form, read only when the user may dispatch this case now."""
    if any("lead_department" in (*t.required, *t.optional) for t in allowed):
        return list(handling_departments())
    return []


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    fields = {key: request.POST.get(key) for key in
              ("lead_department", "note", "reason", "answer", "working_days", "rating", "resolved", "target")}
    fields["co_handlers"] = request.POST.getlist("co_handlers")
    try:
        services.case_transition(actor=request.user, case_id=pk, action=action, fields=fields,
                                 version=request.POST.get("version") or None)
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {
            "action": rules.TRANSITIONS_BY_ACTION[action].label})
    # After a 退单 the department no longer sees the case: send it back to its list.
    if not search_cases(request.user, CaseFilter()).filter(pk=pk).exists():
        return redirect("cases:list")
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_attach(request: HttpRequest, pk: int) -> HttpResponse:
    get_case(request.user, pk)
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, _("Choose a file to attach."))
    elif all(_attach(request, pk, u) for u in uploads):
        messages.success(request, _("Attached."))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def rectification_add(request: HttpRequest, pk: int) -> HttpResponse:
    get_case(request.user, pk)   # out of scope: 404 before anything else
    deadline = parse_date(request.POST.get("deadline", "") or "")
    title, owner = request.POST.get("title", "").strip(), request.POST.get("owner", "").strip()
    if not (deadline and title and owner):
        messages.error(request, _("A rectification task needs a task, an owner and a deadline."))
        return redirect("cases:detail", pk=pk)
    try:
        services.rectification_add(actor=request.user, case_id=pk, title=title[:120],
                                   owner=owner[:60], deadline=deadline)
    except CaseError as exc:
        messages.error(request, exc.message)
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def rectification_update(request: HttpRequest, pk: int, task_id: int) -> HttpResponse:
    get_case(request.user, pk)
    try:
        progress = int(request.POST.get("progress", ""))
    except ValueError:
        messages.error(request, _("Progress must be between 0 and 100."))
        return redirect("cases:detail", pk=pk)
    try:
        task = services.rectification_update(actor=request.user, task_id=task_id, progress=progress,
                                             evidence=request.POST.get("evidence", ""))
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        pk = task.case_id
    return redirect("cases:detail", pk=pk)


def _period(params) -> Period:
    today = timezone.localdate()
    start = parse_date(params.get("start", "") or "") or date(today.year, 1, 1)
    end = parse_date(params.get("end", "") or "") or today
    return Period(start, end)


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    period = _period(request.GET)
    group = request.GET.get("group", "department")
    group = group if group in GROUPS else ""
    rank_by = request.GET.get("rank", "satisfied")
    definitions = measure_definitions(timezone.now())
    return render(request, "cases/measures.html", {
        "period": period, "group": group, "rank_by": rank_by, "definitions": definitions,
        "total": compute_measures(request.user, period)[0],
        "rows": compute_measures(request.user, period, group, rank_by=rank_by) if group else [],
        "groups": [("department", _("per department")), ("area", _("per area")),
                   ("officer", _("per officer"))],
    })


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    page = Paginator(overdue_visible_to(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/overdue.html", {"page": page, "now": timezone.now()})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.notification_mark_read(actor=request.user)
        return redirect("cases:notifications")
    page = Paginator(notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page": page})


def may_raise(actor, organization) -> bool:
    return may_raise_for(actor, organization)


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The district enters next year's holiday arrangement (also editable in the admin)."""
    from sanxin.core.models import CalendarYear, Holiday

    if not request.user.is_district:
        raise PermissionDenied
    year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    if request.method == "POST":
        op = request.POST.get("op")
        day = parse_date(request.POST.get("date", "") or "")
        try:
            if op == "add_year":
                services.calendar_year_add(actor=request.user, year=year)
            elif op in ("set_day", "delete_day") and day is None:
                raise CaseError(_("Give a valid date."), "date")
            elif op == "set_day":
                services.holiday_set(actor=request.user, day=day, name=request.POST.get("name", "").strip(),
                                     is_workday=request.POST.get("is_workday") == "1")
                year = day.year
            elif op == "delete_day":
                services.holiday_delete(actor=request.user, day=day)
        except CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Calendar saved."))
        return redirect(f"{request.path}?year={year}")
    return render(request, "cases/calendar.html", {
        "year": year, "covered": calendar.is_year_covered(year),
        "years": CalendarYear.objects.all(), "days": Holiday.objects.filter(date__year=year),
    })
