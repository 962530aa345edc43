from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanxin.accounts.audit import record_personal_data_read
from sanxin.core.codes import IndustrySection
from sanxin.core.editing import save_if_valid
from sanxin.core.exports import csv_response, xlsx_response
from sanxin.core.extensions import organization_panels
from sanxin.core.masking import mask_phone
from sanxin.core.pagination import CappedPaginator

from .forms import OrganizationForm
from .models import Domain, Organization, OrgStatus
from .selectors import (
    OrganizationFilter,
    areas_visible_to,
    get_organization,
    search_organizations,
)
from .services import can_edit_organizations, organization_save


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    flt = OrganizationFilter.from_params(request.GET)
    page = CappedPaginator(search_organizations(request.user, flt), 50).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "filter": flt, "query": query.urlencode(),
        "areas": areas_visible_to(request.user).exclude(kind="district"),
        "industries": IndustrySection.choices, "domains": Domain.choices,
        "statuses": OrgStatus.choices, "can_edit": can_edit_organizations(request.user),
    }
    partial = request.headers.get("HX-Request")
    template = "registry/_organization_rows.html" if partial else "registry/organization_list.html"
    return render(request, template, context)


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization(request.user, pk)
    unmasked = request.user.sees_personal_data and bool(organization.contact_phone)
    if unmasked:
        record_personal_data_read(actor=request.user, model=Organization, fields=["contact_phone"],
                                  channel="page", object_id=organization.pk, request=request)
    return render(request, "registry/organization_detail.html", {
        "org": organization,
        "contact_phone": organization.contact_phone if unmasked
        else mask_phone(organization.contact_phone),
        "can_edit": can_edit_organizations(request.user),
        "panels": organization_panels(request.user, organization),
    })


@login_required
def organization_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not can_edit_organizations(request.user):
        raise PermissionDenied
    instance = get_organization(request.user, pk) if pk else None
    form = OrganizationForm(request.POST or None, instance=instance,
                            allowed_areas=areas_visible_to(request.user))
    organization = save_if_valid(request, form,
                                 lambda: organization_save(actor=request.user, form=form))
    if organization is not None:
        return redirect("registry:organization_detail", pk=organization.pk)
    return render(request, "registry/organization_form.html", {"form": form, "org": instance})


EXPORT_HEADERS = ("ID", "name", "unified social credit code", "domain", "kind", "area",
                  "industry section", "industry authority", "employees", "operating status",
                  "in scope (三有)", "address", "contact person", "contact phone")


def export_rows(actor, qs):
    show_phone = actor.sees_personal_data
    for org in qs.iterator(chunk_size=2000):
        yield (org.pk, org.name, org.credit_code or "", org.get_domain_display(),
               org.get_kind_display(), org.area.name, org.industry,
               org.authority.name if org.authority else "", org.employees,
               org.get_status_display(), _("yes") if org.is_sanyou else _("no"), org.address,
               org.contact_name,
               org.contact_phone if show_phone else mask_phone(org.contact_phone))


@login_required
def organization_export(request: HttpRequest) -> HttpResponse:
    flt = OrganizationFilter.from_params(request.GET)
    qs = search_organizations(request.user, flt)
    headers = [_(h) for h in EXPORT_HEADERS]
    rows = export_rows(request.user, qs)
    if request.user.sees_personal_data:
        record_personal_data_read(actor=request.user, model=Organization, fields=["contact_phone"],
                                  channel="export", rows=qs.count(), request=request)
    if request.GET.get("format") == "csv":
        return csv_response("organizations", headers, rows)
    scope = ", ".join(str(r) for r in request.user.scope_roles)
    return xlsx_response("organizations", _("Organizations"), headers, rows,
                         subtitle=_("Scope: %(scope)s") % {"scope": scope})
