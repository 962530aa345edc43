"""Edits of pairings, brands and case studies (PATCH: only the fields sent change).

Registered on `api.router` (imported at the end of api.py); a module of its own so that changes
to the first endpoints and these merge independently."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from pydantic import Field

from sanxin.core.apitools import IdParam, InputSchema
from sanxin.party.models import PartyOrganization
from sanxin.registry.models import Area

from . import selectors, services
from .api import (
    ERRORS,
    NOT_IN_SCOPE,
    BrandOut,
    CaseStudyOut,
    HonourOut,
    PairingOut,
    _forbidden,
    router,
)
from .apitools import error_body, scoped_or_400


class PairingPatchIn(InputSchema):
    leader_kind: str | None = None
    leader_name: str | None = None
    leader_party_org_id: IdParam | None = None
    leader_area_code: str | None = None
    partner_party_org_id: IdParam | None = None
    started_on: date | None = None
    goals: str | None = None


class BrandPatchIn(InputSchema):
    name: str | None = None
    slogan: str | None = None
    story: str | None = None
    domain: str | None = None


class CaseStudyPatchIn(InputSchema):
    brand_id: IdParam | None = None
    title: str | None = None
    summary: str | None = None
    domain: str | None = None
    year: int | None = Field(None, ge=1921, le=2100)


class HonourPatchIn(InputSchema):
    title: str | None = None
    level: str | None = None
    year: int | None = Field(None, ge=1921, le=2100)
    awarding_body: str | None = None


def run_edit(service, **kwargs):
    """Run an edit service: a 403 or 422 `Status` for a role that may not or a broken rule
    (naming the field), else what the service returned."""
    try:
        return service(**kwargs)
    except PermissionDenied:
        return _forbidden()
    except ValidationError as exc:
        return error_body(exc)


def resolve_id(changes: dict, key: str, field: str, queryset) -> None:
    """Replace an `<x>_id` sent in the body by the row it names (or None when sent as null)."""
    if key in changes:
        changes[field] = scoped_or_400(queryset, changes.pop(key), key, NOT_IN_SCOPE)


@router.patch("/pairings/{pairing_id}", response={200: PairingOut, **ERRORS},
              summary="Edit a pairing (district and area users; not its organization)")
def update_pairing(request: HttpRequest, pairing_id: int, payload: PairingPatchIn):
    actor = request.auth
    pairing = selectors.get_pairing(actor, pairing_id)
    changes = payload.dict(exclude_unset=True)
    try:
        resolve_id(changes, "leader_party_org_id", "leader_party_org",
                 PartyOrganization.objects.all())
        resolve_id(changes, "partner_party_org_id", "partner_party_org",
                 PartyOrganization.objects.all())
        if "leader_area_code" in changes:
            changes["leader_area"] = Area.objects.filter(
                code=changes.pop("leader_area_code") or "").first()
            if changes["leader_area"] is None:
                raise ValidationError({"leader_area_code": _("Unknown area code.")})
    except ValidationError as exc:
        return error_body(exc)
    result = run_edit(services.pairing_update, actor=actor, pairing=pairing, **changes)
    return result if isinstance(result, Status) else Status(200, selectors.get_pairing(actor, pairing_id))


@router.patch("/brands/{brand_id}", response={200: BrandOut, **ERRORS},
              summary="Edit a brand: name, slogan, story, domain")
def update_brand(request: HttpRequest, brand_id: int, payload: BrandPatchIn):
    actor = request.auth
    brand = selectors.get_brand(actor, brand_id)
    result = run_edit(services.brand_update, actor=actor, brand=brand,
                     **payload.dict(exclude_unset=True))
    return result if isinstance(result, Status) else Status(200, selectors.get_brand(actor, brand_id))


@router.delete("/brands/photos/{photo_id}", response={204: None, **ERRORS},
               summary="Remove a brand photo")
def delete_photo(request: HttpRequest, photo_id: int):
    photo = selectors.get_photo(request.auth, photo_id)
    result = run_edit(services.brand_photo_delete, actor=request.auth, photo=photo)
    return result if isinstance(result, Status) else Status(204, None)


@router.patch("/cases/{case_id}", response={200: CaseStudyOut, **ERRORS},
              summary="Edit a case study: brand, title, summary, domain, year")
def update_case(request: HttpRequest, case_id: int, payload: CaseStudyPatchIn):
    actor = request.auth
    case = selectors.get_case(actor, case_id)
    changes = payload.dict(exclude_unset=True)
    try:
        resolve_id(changes, "brand_id", "brand", selectors.brands_visible_to(actor))
    except ValidationError as exc:
        return error_body(exc)
    result = run_edit(services.case_update, actor=actor, case=case, **changes)
    return result if isinstance(result, Status) else Status(200, selectors.get_case(actor, case_id))


@router.patch("/cases/honours/{honour_id}", response={200: HonourOut, **ERRORS},
              summary="Edit an honour of a case study")
def update_honour(request: HttpRequest, honour_id: int, payload: HonourPatchIn):
    honour = selectors.get_honour(request.auth, honour_id)
    result = run_edit(services.honour_update, actor=request.auth, honour=honour,
                     **payload.dict(exclude_unset=True))
    return result if isinstance(result, Status) else Status(200, result)
