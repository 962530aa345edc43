"""Party-life pages: thin; every read through a scoped selector, every write through a service."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.registry.models import Area
from sanxin.registry.selectors import areas_visible_to

from . import rules, selectors, services
from .development import next_step, rule_warnings
from .forms import (
    AchievementForm,
    CandidateForm,
    CandidateStepForm,
    IntakePlanForm,
    MakeUpForm,
    MeetingForm,
    StudyForm,
    StudyPlaceForm,
    VanguardForm,
    VanguardMembersForm,
    VolunteerForm,
    apply_service,
)
from .models import AttendanceStatus, MeetingKind, MeetingStatus, VanguardKind, VolunteerKind


def _page(request: HttpRequest, qs, size: int = 50):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.today().year
    return year if 2000 <= year <= 2100 else selectors.today().year


def _require_recorder(actor: User) -> None:
    if not services.can_record(actor):
        raise PermissionDenied


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.user
    year = _year(request)
    rows = selectors.branch_compliance(actor, year)
    return render(request, "partylife/home.html", {
        "year": year,
        "branches": len(rows),
        "compliant": sum(1 for r in rows if r.compliant),
        "alerts": len(selectors.alerts_from(rows)),
        "meetings": selectors.meetings_visible_to(actor).filter(held_on__year=year).count(),
        "vanguard": selectors.vanguard_counts(actor)["total"],
        "activities": selectors.volunteer_activities_visible_to(actor)
        .filter(held_on__year=year).count(),
        "candidates": selectors.candidates_visible_to(actor).exclude(stage="full").count(),
        "can_record": services.can_record(actor),
    })


# ---- meetings ----------------------------------------------------------------------------------

@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.meetings_visible_to(request.user).select_related("party_organization", "place")
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    org = request.GET.get("org", "")
    if org.isdigit():
        qs = qs.filter(party_organization_id=int(org))
    return render(request, "partylife/meeting_list.html", {
        "page": _page(request, qs.order_by("-held_on", "-id")), "kinds": MeetingKind.choices,
        "kind": kind, "can_record": services.can_record(request.user),
        "query": f"kind={kind}&org={org}"})


def _attendance_from_post(post, members) -> list[services.AttendanceInput]:
    """Every member listed is expected; ticked = present, a reason = on leave, else absent.
    Ids posted that are not on the list are passed on, so the service names them."""
    present = {int(v) for v in post.getlist("present") if v.isdigit()}
    listed = [m.pk for m in members]
    rows = []
    for pk in listed + sorted(present - set(listed)):
        reason = post.get(f"reason_{pk}", "").strip()
        status = (AttendanceStatus.PRESENT if pk in present
                  else AttendanceStatus.LEAVE if reason else AttendanceStatus.ABSENT)
        rows.append(services.AttendanceInput(member_id=pk, status=status, reason=reason))
    return rows


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    """The phone-sized quick record: a branch, a kind, a date, a topic; every member is ticked
    present, untick the absent and type a reason for those on leave."""
    actor = request.user
    _require_recorder(actor)
    orgs = list(selectors.party_orgs_visible_to(actor).order_by("name")[:500])
    org_param = request.POST.get("org") or request.GET.get("org") or (
        str(orgs[0].pk) if len(orgs) == 1 else "")
    org = selectors.get_party_org(actor, org_param) if org_param else None
    members = (list(selectors.members_visible_to(actor).filter(
        party_organization_id__in=selectors.party_org_tree_ids(org.pk)).order_by("name"))
        if org else [])
    places = selectors.study_places_visible_to(actor).filter(area_id=org.area_id) if org else []
    form = MeetingForm(request.POST or None, places=places)
    if request.method == "POST" and org and form.is_valid():
        data = form.cleaned_data
        meeting = apply_service(
            form, services.meeting_record, actor=actor, party_organization_id=org.pk,
            kind=data["kind"], held_on=data["held_on"], topic=data["topic"],
            status=MeetingStatus.PLANNED if data["planned"] else MeetingStatus.HELD,
            counts_for=data["counts_for"], online=data["online"], place_id=data["place"],
            location=data["location"], materials=data["materials"], minutes=data["minutes"],
            attendance=_attendance_from_post(request.POST, members))
        if meeting:
            messages.success(request, _("Meeting recorded."))
            return redirect("partylife:meeting_detail", pk=meeting.pk)
    present = ({int(v) for v in request.POST.getlist("present") if v.isdigit()}
               if request.method == "POST" else {m.pk for m in members})
    return render(request, "partylife/meeting_form.html", {
        "form": form, "orgs": orgs, "org": org,
        "rows": [(m, m.pk in present, request.POST.get(f"reason_{m.pk}", "")) for m in members]})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    meeting = selectors.get_meeting(actor, pk)
    form = MakeUpForm(request.POST or None)
    if request.method == "POST":
        _require_recorder(actor)
        if form.is_valid():
            row = apply_service(form, services.attendance_make_up, actor=actor,
                                meeting_id=meeting.pk, member_id=form.cleaned_data["member"],
                                made_up_on=form.cleaned_data["made_up_on"],
                                note=form.cleaned_data["note"])
            if row:
                messages.success(request, _("Make-up recorded."))
                return redirect("partylife:meeting_detail", pk=meeting.pk)
    return render(request, "partylife/meeting_detail.html", {
        "meeting": meeting, "form": form, "can_record": services.can_record(actor),
        "attendance": meeting.attendance.select_related("member").order_by("status", "member_id"),
    })


# ---- compliance --------------------------------------------------------------------------------

@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    area = request.GET.get("area", "")
    rows = selectors.branch_compliance(request.user, year, area_code=area)
    rows.sort(key=lambda r: (r.rate if r.rate is not None else 2, r.org.pk))
    return render(request, "partylife/compliance.html", {
        "year": year, "area": area, "rows": rows[:300], "total": len(rows),
        "by_area": selectors.rates_by_area(rows), "by_domain": selectors.rates_by_domain(rows),
        "areas": areas_visible_to(request.user).exclude(kind="district"),
        "rules": rules.FREQUENCY_RULES, "kind_labels": dict(MeetingKind.choices)})


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.branch_compliance(request.user, year)
    found = selectors.alerts_from(rows)
    return render(request, "partylife/alerts.html", {
        "year": year, "page": _page(request, found, 100), "query": f"year={year}",
        "kind_labels": dict(MeetingKind.choices)})


@login_required
def absences(request: HttpRequest) -> HttpResponse:
    return render(request, "partylife/absences.html", {
        "page": _page(request, selectors.repeated_absences(request.user)),
        "minimum": rules.REPEATED_ABSENCE_MIN, "query": ""})


# ---- study -------------------------------------------------------------------------------------

@login_required
def study(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    by = "area" if request.GET.get("by") == "area" else "branch"
    records = (selectors.study_records_visible_to(request.user).filter(studied_on__year=year)
               .select_related("member", "party_organization", "place")
               .order_by("-studied_on", "-id"))
    return render(request, "partylife/study.html", {
        "year": year, "by": by, "totals": selectors.study_totals(request.user, year, by=by)[:200],
        "page": _page(request, records), "query": f"year={year}&by={by}",
        "can_record": services.can_record(request.user)})


@login_required
def study_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_recorder(actor)
    members = selectors.members_visible_to(actor).select_related("party_organization") \
        .order_by("party_organization__name", "name")[:2000]
    form = StudyForm(request.POST or None, members=members,
                     places=selectors.study_places_visible_to(actor)[:500])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = apply_service(form, services.study_record_create, actor=actor,
                               member_id=data["member"], studied_on=data["studied_on"],
                               mode=data["mode"], topic=data["topic"], hours=data["hours"],
                               place_id=data["place"])
        if record:
            messages.success(request, _("Study recorded."))
            return redirect("partylife:study")
    return render(request, "partylife/simple_form.html", {
        "form": form, "title": _("Record study"), "back": "partylife:study"})


@login_required
def places(request: HttpRequest) -> HttpResponse:
    actor = request.user
    can_add = actor.has_role("district", "area")
    form = StudyPlaceForm(request.POST or None,
                          areas=areas_visible_to(actor).exclude(kind="district") if can_add
                          else Area.objects.none())
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            place = apply_service(form, services.study_place_create, actor=actor,
                                  name=data["name"], kind=data["kind"], area_id=data["area"],
                                  address=data["address"])
            if place:
                messages.success(request, _("Study place registered."))
                return redirect("partylife:places")
    qs = selectors.study_places_visible_to(actor).select_related("area").order_by("area__code",
                                                                                  "name")
    return render(request, "partylife/places.html", {
        "page": _page(request, qs), "form": form, "can_add": can_add, "query": ""})


# ---- vanguard units ----------------------------------------------------------------------------

@login_required
def vanguard_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    qs = selectors.vanguard_units_visible_to(request.user).select_related(
        "party_organization__area", "organization")
    if kind:
        qs = qs.filter(kind=kind)
    counts = selectors.vanguard_counts(request.user)
    return render(request, "partylife/vanguard_list.html", {
        "page": _page(request, qs.order_by("kind", "id")), "kind": kind, "query": f"kind={kind}",
        "kinds": [(value, label, counts["by_kind"].get(value, 0))
                  for value, label in VanguardKind.choices],
        "by_area": counts["by_area"], "total": counts["total"],
        "can_record": services.can_record(request.user)})


@login_required
def vanguard_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_recorder(actor)
    form = VanguardForm(request.POST or None,
                        orgs=selectors.party_orgs_visible_to(actor).order_by("name")[:500])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = apply_service(form, services.vanguard_unit_create, actor=actor, kind=data["kind"],
                             name=data["name"], party_organization_id=data["party_organization"],
                             goals=data["goals"], established_on=data["established_on"])
        if unit:
            return redirect("partylife:vanguard_detail", pk=unit.pk)
    return render(request, "partylife/simple_form.html", {
        "form": form, "title": _("New vanguard unit"), "back": "partylife:vanguard_list"})


@login_required
def vanguard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    unit = selectors.get_vanguard_unit(actor, pk)
    setting_members = request.POST.get("action") == "members"
    form = AchievementForm(request.POST if request.method == "POST" and not setting_members
                           else None)
    candidates = selectors.members_visible_to(actor).filter(
        party_organization_id__in=selectors.party_org_tree_ids(unit.party_organization_id)
    ).order_by("name")[:500]
    members_form = VanguardMembersForm(
        request.POST if setting_members else None, candidates=candidates,
        initial={"members": list(unit.members.values_list("pk", flat=True))})
    if request.method == "POST":
        _require_recorder(actor)
        if setting_members and members_form.is_valid():
            done = apply_service(members_form, services.vanguard_unit_set_members, actor=actor,
                                 unit_id=unit.pk, member_ids=members_form.cleaned_data["members"])
        elif not setting_members and form.is_valid():
            done = apply_service(form, services.achievement_add, actor=actor, unit_id=unit.pk,
                                 **form.cleaned_data)
        else:
            done = None
        if done:
            return redirect("partylife:vanguard_detail", pk=unit.pk)
    return render(request, "partylife/vanguard_detail.html", {
        "unit": unit, "form": form, "members_form": members_form,
        "can_record": services.can_record(actor),
        "members": unit.members.order_by("name"), "achievements": unit.achievements.all()})


# ---- volunteering ------------------------------------------------------------------------------

@login_required
def volunteer_list(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "organization")
    if by not in ("member", "team", "organization"):
        by = "organization"
    qs = selectors.volunteer_activities_visible_to(request.user).select_related(
        "party_organization", "team").order_by("-held_on", "-id")
    return render(request, "partylife/volunteer_list.html", {
        "page": _page(request, qs), "by": by, "query": f"by={by}",
        "totals": selectors.volunteer_totals(request.user, by),
        "can_record": services.can_record(request.user)})


@login_required
def volunteer_new(request: HttpRequest) -> HttpResponse:
    """Record an activity: pick the party organization, tick the participating members, one
    number of hours each."""
    actor = request.user
    _require_recorder(actor)
    orgs = list(selectors.party_orgs_visible_to(actor).order_by("name")[:500])
    org_param = request.POST.get("org") or request.GET.get("org") or (
        str(orgs[0].pk) if len(orgs) == 1 else "")
    org = selectors.get_party_org(actor, org_param) if org_param else None
    tree = selectors.party_org_tree_ids(org.pk) if org else []
    members = list(selectors.members_visible_to(actor).filter(
        party_organization_id__in=tree).order_by("name")[:500]) if org else []
    teams = selectors.vanguard_units_visible_to(actor).filter(
        kind=VanguardKind.VOLUNTEER_TEAM, party_organization_id__in=tree) if org else []
    form = VolunteerForm(request.POST or None, teams=teams)
    if request.method == "POST" and org and form.is_valid():
        data = form.cleaned_data
        ticked = [int(v) for v in request.POST.getlist("participant") if v.isdigit()]
        activity = apply_service(
            form, services.volunteer_activity_record, actor=actor,
            party_organization_id=org.pk, held_on=data["held_on"], place=data["place"],
            kind=data["kind"], title=data["title"], beneficiaries=data["beneficiaries"],
            team_id=data["team"],
            participants=[services.ParticipantInput(member_id=pk, hours=data["hours"])
                          for pk in ticked])
        if activity:
            messages.success(request, _("Volunteer activity recorded."))
            return redirect("partylife:volunteer_detail", pk=activity.pk)
    return render(request, "partylife/volunteer_form.html", {
        "form": form, "orgs": orgs, "org": org, "members": members,
        "ticked": {int(v) for v in request.POST.getlist("participant") if v.isdigit()}})


@login_required
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.get_volunteer_activity(request.user, pk)
    return render(request, "partylife/volunteer_detail.html", {
        "activity": activity,
        "participations": activity.participations.select_related("member").order_by("member__name"),
        "kinds": dict(VolunteerKind.choices)})


# ---- member development ------------------------------------------------------------------------

@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    year = _year(request)
    stage = request.GET.get("stage", "")
    qs = selectors.candidates_visible_to(actor).select_related("party_organization")
    if stage:
        qs = qs.filter(stage=stage)
    page = _page(request, qs.order_by("-applied_on", "-id"))
    today = selectors.today()
    rows = [(c, next_step(c), rule_warnings(c, today)) for c in page]
    can_plan = actor.has_role("district", "area")
    plan_form = IntakePlanForm(request.POST or None, initial={"year": year},
                               areas=areas_visible_to(actor).exclude(kind="district")
                               if can_plan else Area.objects.none())
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        if plan_form.is_valid():
            data = plan_form.cleaned_data
            plan = apply_service(plan_form, services.intake_plan_save, actor=actor,
                                 area_id=data["area"], year=data["year"],
                                 planned=data["planned"], note=data["note"])
            if plan:
                messages.success(request, _("Intake plan saved."))
                return redirect(f"{request.path}?year={plan.year}")
    from .models import DevelopmentStage

    return render(request, "partylife/candidate_list.html", {
        "page": page, "rows": rows, "stage": stage, "stages": DevelopmentStage.choices,
        "year": year, "plans": selectors.intake_progress(actor, year), "plan_form": plan_form,
        "can_plan": can_plan, "can_record": services.can_record(actor),
        "query": f"stage={stage}&year={year}"})


@login_required
def candidate_new(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_recorder(actor)
    form = CandidateForm(request.POST or None,
                         orgs=selectors.party_orgs_visible_to(actor).order_by("name")[:500])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidate = apply_service(form, services.candidate_create, actor=actor, name=data["name"],
                                  party_organization_id=data["party_organization"],
                                  applied_on=data["applied_on"], birth_date=data["birth_date"])
        if candidate:
            return redirect("partylife:candidate_detail", pk=candidate.pk)
    return render(request, "partylife/simple_form.html", {
        "form": form, "title": _("New application"), "back": "partylife:candidate_list"})


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.user
    candidate = selectors.get_candidate(actor, pk)
    members = selectors.members_visible_to(actor).filter(
        party_organization_id__in=selectors.party_org_tree_ids(candidate.party_organization_id),
        status="full").order_by("name")[:500]
    form = CandidateStepForm(request.POST or None, members=members)
    if request.method == "POST":
        _require_recorder(actor)
        if form.is_valid():
            data = form.cleaned_data
            action = data["action"]
            if action == "talk":
                done = apply_service(form, services.candidate_record_talk, actor=actor,
                                     candidate_id=candidate.pk, talked_on=data["on"])
            elif action == "extend":
                done = apply_service(form, services.candidate_extend_probation, actor=actor,
                                     candidate_id=candidate.pk, months=data["months"])
            else:
                people = data["people"]
                done = apply_service(form, services.candidate_advance, actor=actor,
                                     candidate_id=candidate.pk, on=data["on"],
                                     contact_ids=people, introducer_ids=people)
            if done:
                return redirect("partylife:candidate_detail", pk=candidate.pk)
    return render(request, "partylife/candidate_detail.html", {
        "candidate": candidate, "step": next_step(candidate), "form": form,
        "warnings": rule_warnings(candidate, selectors.today()),
        "contacts": candidate.contacts.all(), "introducers": candidate.introducers.all(),
        "can_record": services.can_record(actor)})
