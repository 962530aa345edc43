from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxin.core.editing import edit_page
from sanxin.core.forms import apply_errors
from sanxin.registry.models import Area, Domain
from sanxin.registry.selectors import areas_visible_to, organizations_visible_to

from . import selectors, services
from .forms import (
    ActivityForm,
    BrandEditForm,
    BrandForm,
    CaseEditForm,
    CaseForm,
    EndPairingForm,
    HonourEditForm,
    HonourForm,
    PairingEditForm,
    PairingForm,
    PhotoForm,
    ProblemForm,
)
from .models import BrandPhoto, HonourLevel


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def pairing_list(request: HttpRequest) -> HttpResponse:
    flt = selectors.PairingFilter.from_params(request.GET)
    page = Paginator(selectors.search_pairings(request.user, flt), 50).get_page(
        request.GET.get("page"))
    return render(request, "pairings/pairing_list.html", {
        "page": page, "filter": flt, "query": _query(request),
        "areas": areas_visible_to(request.user).exclude(kind="district"),
        "totals": selectors.pairing_totals(request.user),
        "can_manage": services.can_manage(request.user),
    })


@login_required
def pairing_areas(request: HttpRequest) -> HttpResponse:
    return render(request, "pairings/pairing_areas.html", {
        "rows": selectors.pairing_counts_by_area(request.user),
        "totals": selectors.pairing_totals(request.user),
    })


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.get_pairing(request.user, pk)
    return _render_detail(request, pairing)


def _render_detail(request, pairing, **forms) -> HttpResponse:
    can_record = services.can_record_on_pairing(request.user, pairing)
    return render(request, "pairings/pairing_detail.html", {
        "pairing": pairing,
        "activities": pairing.activities.all(),
        "problems": pairing.problems.all(),
        "can_record": can_record,
        "can_manage": services.can_manage(request.user),
        "activity_form": forms.get("activity_form") or ActivityForm(prefix="activity"),
        "problem_form": forms.get("problem_form") or ProblemForm(prefix="problem"),
        "end_form": forms.get("end_form") or EndPairingForm(prefix="end"),
    }, status=400 if forms else 200)


@login_required
def pairing_create(request: HttpRequest) -> HttpResponse:
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = PairingForm(request.POST or None,
                       organizations=organizations_visible_to(request.user),
                       areas=areas_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.pairing_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:pairing_detail", pk=pairing.pk)
    return render(request, "pairings/form.html", {"form": form, "title_kind": "pairing"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def pairing_record(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    pairing = selectors.get_pairing(request.user, pk)
    form_class, service, prefix = {
        "activity": (ActivityForm, services.pairing_activity_add, "activity"),
        "problem": (ProblemForm, services.pairing_problem_add, "problem"),
        "end": (EndPairingForm, services.pairing_end, "end"),
    }[what]
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(actor=request.user, pairing=pairing, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:pairing_detail", pk=pairing.pk)
    return _render_detail(request, pairing, **{f"{prefix}_form": form})


# brands and cases ------------------------------------------------------------------------------

@login_required
def brand_list(request: HttpRequest) -> HttpResponse:
    brands = (selectors.brands_visible_to(request.user)
              .select_related("party_organization__area").prefetch_related("photos"))
    return render(request, "pairings/brand_list.html", {
        "brands": brands, "can_manage": services.can_manage(request.user)})


@login_required
def brand_detail(request: HttpRequest, pk: int, photo_form=None) -> HttpResponse:
    brand = selectors.get_brand(request.user, pk)
    return render(request, "pairings/brand_detail.html", {
        "brand": brand,
        "cases": selectors.cases_visible_to(request.user).filter(brand=brand)
        .prefetch_related("honours"),
        "can_add_photo": services.can_add_photo(request.user, brand),
        "can_edit": services.can_edit_brand(request.user, brand),
        "photo_form": photo_form or PhotoForm(),
    }, status=400 if photo_form else 200)


@login_required
def brand_create(request: HttpRequest) -> HttpResponse:
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = BrandForm(request.POST or None, party_orgs=services.party_orgs_visible(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            brand = services.brand_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:brand_detail", pk=brand.pk)
    return render(request, "pairings/form.html", {"form": form, "title_kind": "brand"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def brand_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    brand = selectors.get_brand(request.user, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.brand_photo_add(actor=request.user, brand=brand, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:brand_detail", pk=brand.pk)
    return brand_detail(request, pk, photo_form=form)


@login_required
def brand_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Photos are served through the brand's scope, not from a public media folder."""
    photo = get_object_or_404(BrandPhoto.objects.filter(
        brand__in=selectors.brands_visible_to(request.user)), pk=pk)
    return FileResponse(photo.image.open("rb"))


@login_required
def case_library(request: HttpRequest) -> HttpResponse:
    flt = selectors.CaseFilter.from_params(request.GET)
    page = Paginator(selectors.search_cases(request.user, flt), 30).get_page(
        request.GET.get("page"))
    years = sorted({c.year for c in selectors.cases_visible_to(request.user).only("year")},
                   reverse=True)
    return render(request, "pairings/case_library.html", {
        "page": page, "filter": flt, "query": _query(request), "levels": HonourLevel.choices,
        "domains": Domain.choices, "years": years,
        "can_manage": services.can_manage(request.user),
    })


@login_required
def case_detail(request: HttpRequest, pk: int, honour_form=None) -> HttpResponse:
    case = selectors.get_case(request.user, pk)
    return render(request, "pairings/case_detail.html", {
        "case": case, "can_manage": services.can_manage(request.user),
        "honour_form": honour_form or HonourForm(),
    }, status=400 if honour_form else 200)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None, party_orgs=services.party_orgs_visible(request.user),
                    brands=selectors.brands_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:case_detail", pk=case.pk)
    return render(request, "pairings/form.html", {"form": form, "title_kind": "case"},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def honour_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case(request.user, pk)
    form = HonourForm(request.POST)
    if form.is_valid():
        try:
            services.honour_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("pairings:case_detail", pk=case.pk)
    return case_detail(request, pk, honour_form=form)


# edits ------------------------------------------------------------------------------------------

@login_required
def pairing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.get_pairing(request.user, pk)
    if not services.can_manage(request.user):
        raise PermissionDenied
    areas = areas_visible_to(request.user) | Area.objects.filter(pk=pairing.leader_area_id)
    form = PairingEditForm(request.POST or None, instance=pairing, areas=areas.distinct())
    return edit_page(request, form=form, heading=_("Edit pairing"),
                     save=partial(services.pairing_update, actor=request.user, pairing=pairing),
                     done=reverse("pairings:pairing_detail", args=[pk]))


@login_required
def brand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    brand = selectors.get_brand(request.user, pk)
    if not services.can_edit_brand(request.user, brand):
        raise PermissionDenied
    form = BrandEditForm(request.POST or None, instance=brand)
    return edit_page(request, form=form, heading=_("Edit brand"),
                     save=partial(services.brand_update, actor=request.user, brand=brand),
                     done=reverse("pairings:brand_detail", args=[pk]))


@login_required
@require_POST
def brand_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.get_photo(request.user, pk)
    services.brand_photo_delete(actor=request.user, photo=photo)
    return redirect("pairings:brand_detail", pk=photo.brand_id)


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_case(request.user, pk)
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = CaseEditForm(request.POST or None, instance=case)
    return edit_page(request, form=form, heading=_("Edit case study"),
                     save=partial(services.case_update, actor=request.user, case=case),
                     done=reverse("pairings:case_detail", args=[pk]))


@login_required
def honour_edit(request: HttpRequest, pk: int) -> HttpResponse:
    honour = selectors.get_honour(request.user, pk)
    if not services.can_manage(request.user):
        raise PermissionDenied
    form = HonourEditForm(request.POST or None, instance=honour)
    return edit_page(request, form=form, heading=_("Edit honour"),
                     save=partial(services.honour_update, actor=request.user, honour=honour),
                     done=reverse("pairings:case_detail", args=[honour.case_study_id]))
