from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from sanxin.core.editing import save_if_valid
from sanxin.core.exports import csv_response, xlsx_response
from sanxin.registry.selectors import areas_visible_to, organizations_visible_to

from .forms import InstructorForm, MemberForm, PartyOrganizationForm
from .models import MemberStatus, PartyOrgKind
from .selectors import (
    MemberFilter,
    PartyOrgFilter,
    get_instructor,
    get_member,
    get_party_org,
    party_orgs_visible_to,
    personal_data,
    record_member_read,
    search_instructors,
    search_members,
    search_party_orgs,
)
from .services import can_edit_party, instructor_save, member_save, party_org_save


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def party_org_list(request: HttpRequest) -> HttpResponse:
    flt = PartyOrgFilter.from_params(request.GET)
    page = Paginator(search_party_orgs(request.user, flt), 50).get_page(request.GET.get("page"))
    return render(request, "party/party_org_list.html", {
        "page": page, "filter": flt, "query": _query_without_page(request),
        "kinds": PartyOrgKind.choices, "areas": areas_visible_to(request.user),
        "can_edit": can_edit_party(request.user)})


def _with_personal(request, members):
    shown = personal_data(request.user, members, "page", request=request)
    return [(m, shown[m.pk]) for m in members]


@login_required
def party_org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    party_org = get_party_org(request.user, pk)
    members = list(party_org.members.select_related("employer").order_by("status", "id")[:200])
    return render(request, "party/party_org_detail.html", {
        "po": party_org, "units": party_org.units.select_related("area").order_by("id"),
        "rows": _with_personal(request, members),
        "member_count": party_org.members.count(),
        "full_count": party_org.members.filter(status=MemberStatus.FULL).count(),
        "children": party_orgs_visible_to(request.user).filter(parent=party_org),
        "can_edit": can_edit_party(request.user)})


@login_required
def party_org_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_edit_party(request.user):
        raise PermissionDenied
    instance = get_party_org(request.user, pk) if pk else None
    form = PartyOrganizationForm(
        request.POST or None, instance=instance,
        allowed_areas=areas_visible_to(request.user),
        visible_orgs=organizations_visible_to(request.user),
        visible_party_orgs=party_orgs_visible_to(request.user))
    party_org = save_if_valid(request, form, lambda: party_org_save(actor=request.user, form=form))
    if party_org is not None:
        return redirect("party:party_org_detail", pk=party_org.pk)
    return render(request, "party/form.html", {
        "form": form, "title": instance.name if instance else _("New party organization"),
        "cancel": "party:party_org_list"})


PARTY_ORG_HEADERS = (N_("ID"), N_("name"), N_("kind"), N_("area"), N_("parent organization"),
                     N_("covered organizations"), N_("members"), N_("secretary"), N_("committee members"),
                     N_("founded"), N_("term start"), N_("term end"))


@login_required
def party_org_export(request: HttpRequest) -> HttpResponse:
    qs = search_party_orgs(request.user, PartyOrgFilter.from_params(request.GET)).select_related("parent")
    rows = ((po.pk, po.name, po.get_kind_display(), po.area.name, po.parent.name if po.parent else "",
             po.unit_count, po.member_count, po.secretary.name if po.secretary else "",
             po.committee_size, po.founded, po.term_start, po.term_end)
            for po in qs.iterator(chunk_size=2000))
    return xlsx_response("party-organizations", _("Party organizations"),
                         [_(h) for h in PARTY_ORG_HEADERS], rows)


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    flt = MemberFilter.from_params(request.GET)
    page = Paginator(search_members(request.user, flt), 50).get_page(request.GET.get("page"))
    members = list(page.object_list)
    shown = personal_data(request.user, members, "page", request=request)
    return render(request, "party/member_list.html", {
        "page": page, "filter": flt, "query": _query_without_page(request),
        "rows": [(m, shown[m.pk]) for m in members],
        "statuses": MemberStatus.choices, "areas": areas_visible_to(request.user),
        "can_edit": can_edit_party(request.user)})


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member(request.user, pk)
    return render(request, "party/member_detail.html", {
        "m": member, "personal": personal_data(request.user, [member], "page", request=request)[member.pk],
        "can_edit": can_edit_party(request.user), "is_district": request.user.is_district})


@login_required
def member_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_edit_party(request.user):
        raise PermissionDenied
    instance = get_member(request.user, pk) if pk else None
    # The edit form shows what the role may see; opening it unmasked is a recorded read.
    shown = personal_data(request.user, [instance], request=request,
                          record=request.method == "GET")[instance.pk] if instance else None
    form = MemberForm(request.POST or None, instance=instance, shown=shown,
                      visible_party_orgs=party_orgs_visible_to(request.user),
                      visible_orgs=organizations_visible_to(request.user))
    member = save_if_valid(request, form, lambda: member_save(actor=request.user, form=form))
    if member is not None:
        return redirect("party:member_detail", pk=member.pk)
    return render(request, "party/form.html", {
        "form": form, "title": instance.name if instance else _("New party member"),
        "cancel": "party:member_list"})


MEMBER_HEADERS = (N_("ID"), N_("name"), N_("gender"), N_("birth date"), N_("resident ID number"),
                  N_("phone"), N_("status"), N_("admitted as probationary member"), N_("became full member"),
                  N_("party organization"), N_("employer"), N_("flowing member (流动党员)"),
                  N_("role in the organization"))


def _member_rows(actor, qs):
    for chunk_start in range(0, qs.count(), 2000):
        chunk = list(qs[chunk_start:chunk_start + 2000])
        shown = personal_data(actor, chunk, "export", record=False)
        for m in chunk:
            yield (m.pk, m.name, m.get_gender_display(), m.birth_date, shown[m.pk].id_number,
                   shown[m.pk].phone, m.get_status_display(), m.joined_on, m.full_on,
                   m.party_organization.name, m.employer.name if m.employer else "",
                   _("yes") if m.is_flowing else _("no"), m.get_role_display())


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    qs = search_members(request.user, MemberFilter.from_params(request.GET))
    headers = [_(h) for h in MEMBER_HEADERS]
    if request.user.sees_personal_data:
        record_member_read(request.user, None, "export", rows=qs.count(), request=request)
    if request.GET.get("format") == "csv":
        return csv_response("party-members", headers, _member_rows(request.user, qs))
    return xlsx_response("party-members", _("Party members"), headers,
                         _member_rows(request.user, qs))


@login_required
def instructor_list(request: HttpRequest) -> HttpResponse:
    q, area = request.GET.get("q", "").strip(), request.GET.get("area", "").strip()
    page = Paginator(search_instructors(request.user, q, area), 50).get_page(request.GET.get("page"))
    return render(request, "party/instructor_list.html", {
        "page": page, "q": q, "area": area, "areas": areas_visible_to(request.user),
        "query": _query_without_page(request), "can_edit": can_edit_party(request.user)})


@login_required
def instructor_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_edit_party(request.user):
        raise PermissionDenied
    instance = get_instructor(request.user, pk) if pk else None
    form = InstructorForm(request.POST or None, instance=instance,
                          allowed_areas=areas_visible_to(request.user),
                          visible_orgs=organizations_visible_to(request.user))
    if save_if_valid(request, form,
                     lambda: instructor_save(actor=request.user, form=form)) is not None:
        return redirect("party:instructor_list")
    return render(request, "party/form.html", {
        "form": form, "title": instance.name if instance else _("New instructor"),
        "cancel": "party:instructor_list"})
