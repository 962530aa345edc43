"""Writes of pairings, brands and cases: one transaction each; rule violations raise a
ValidationError naming the field, and nothing is saved."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.accounts.scoping import visible_to
from sanxin.core.validators import normalize_text
from sanxin.party.models import PartyOrganization
from sanxin.registry.models import Area, Organization
from sanxin.registry.selectors import areas_visible_to, organizations_visible_to

from .models import (
    Brand,
    BrandPhoto,
    CaseStudy,
    Honour,
    LeaderKind,
    Pairing,
    PairingActivity,
    PairingProblem,
)
from .rules import validate_photo
from .scoping import PARTY_ORG_SCOPE
from .selectors import brands_visible_to, cases_visible_to, pairings_visible_to


def can_manage(actor: User) -> bool:
    """District and township/park users create pairings, brands and cases in their scope."""
    return actor.has_role("district", "area")


def can_record_on_pairing(actor: User, pairing: Pairing) -> bool:
    """Activities and solved problems: managers, and the paired organization's own contact."""
    if not pairings_visible_to(actor).filter(pk=pairing.pk).exists():
        return False
    return can_manage(actor) or actor.has_role("organization")


def _check_pairing_sides(*, leader_name: str, leader_party_org: PartyOrganization | None,
                         organization: Organization,
                         partner_party_org: PartyOrganization | None) -> None:
    errors: dict[str, str] = {}
    if bool(leader_name) == bool(leader_party_org):
        errors["leader_name"] = _("Name the leading party organization or choose one, not both.")
    if partner_party_org is not None and not partner_party_org.units.filter(
            pk=organization.pk).exists():
        errors["partner_party_org"] = _("This party organization does not cover the paired "
                                        "organization.")
    itself = _("An organization cannot be paired with itself.")
    if leader_party_org is not None and (
            leader_party_org == partner_party_org
            or leader_party_org.units.filter(pk=organization.pk).exists()):
        errors["leader_party_org"] = itself
    names = {normalize_text(organization.name)}
    if partner_party_org is not None:
        names.add(normalize_text(partner_party_org.name))
    if leader_name and normalize_text(leader_name) in names:
        errors["leader_name"] = itself
    if errors:
        raise ValidationError(errors)


def _check_no_active_duplicate(*, leader_name: str, leader_party_org, organization,
                               exclude: int | None = None) -> None:
    qs = Pairing.objects.filter(organization=organization, ended_on__isnull=True).exclude(
        pk=exclude)
    qs = qs.filter(leader_party_org=leader_party_org) if leader_party_org else qs.filter(
        leader_party_org__isnull=True, leader_name=leader_name)
    if qs.exists():
        field = "leader_party_org" if leader_party_org else "leader_name"
        raise ValidationError({field: _("These two are already paired (an active pairing "
                                        "exists).")})


def pairing_create(*, actor: User, leader_kind: str, organization: Organization,
                   leader_area: Area, started_on: date, leader_name: str = "",
                   leader_party_org: PartyOrganization | None = None,
                   partner_party_org: PartyOrganization | None = None,
                   goals: str = "") -> Pairing:
    if not can_manage(actor):
        raise PermissionDenied
    if not organizations_visible_to(actor).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("This organization is outside your scope.")})
    if not areas_visible_to(actor).filter(pk=leader_area.pk).exists():
        raise ValidationError({"leader_area": _("This area is outside your scope.")})
    leader_name = normalize_text(leader_name)
    if leader_kind not in LeaderKind.values:
        raise ValidationError({"leader_kind": _("Unknown kind of leading side.")})
    _check_pairing_sides(leader_name=leader_name, leader_party_org=leader_party_org,
                         organization=organization, partner_party_org=partner_party_org)
    pairing = Pairing(leader_kind=leader_kind, leader_name=leader_name,
                      leader_party_org=leader_party_org, leader_area=leader_area,
                      organization=organization, partner_party_org=partner_party_org,
                      started_on=started_on, goals=goals.strip())
    try:
        with transaction.atomic():
            # the row lock makes two simultaneous requests for the same pair queue up
            Organization.objects.select_for_update().filter(pk=organization.pk).first()
            _check_no_active_duplicate(leader_name=leader_name, leader_party_org=leader_party_org,
                                       organization=organization)
            pairing.save()
    except IntegrityError as exc:  # the partial unique index, should a race slip through
        raise ValidationError({"leader_name": _("These two are already paired (an active "
                                                "pairing exists).")}) from exc
    return pairing


def pairing_end(*, actor: User, pairing: Pairing, ended_on: date) -> Pairing:
    if not can_manage(actor) or not pairings_visible_to(actor).filter(pk=pairing.pk).exists():
        raise PermissionDenied
    if ended_on < pairing.started_on:
        raise ValidationError({"ended_on": _("The end date cannot be before the start date.")})
    pairing.ended_on = ended_on
    with transaction.atomic():
        pairing.save(update_fields=["ended_on", "updated_at"])   # audited
    return pairing


def pairing_activity_add(*, actor: User, pairing: Pairing, held_on: date, title: str,
                         description: str = "", participants: int | None = None
                         ) -> PairingActivity:
    if not can_record_on_pairing(actor, pairing):
        raise PermissionDenied
    if held_on < pairing.started_on:
        raise ValidationError({"held_on": _("The activity cannot be before the pairing started.")})
    if participants is not None and participants < 0:
        raise ValidationError({"participants": _("The number of participants cannot be "
                                                 "negative.")})
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": _("Give the activity a title.")})
    with transaction.atomic():
        return PairingActivity.objects.create(pairing=pairing, held_on=held_on, title=title,
                                              description=description.strip(),
                                              participants=participants)


def pairing_problem_add(*, actor: User, pairing: Pairing, title: str, solution: str = "",
                        solved_on: date | None = None) -> PairingProblem:
    if not can_record_on_pairing(actor, pairing):
        raise PermissionDenied
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": _("Describe the problem.")})
    if solved_on is not None and solved_on < pairing.started_on:
        raise ValidationError({"solved_on": _("The problem cannot be solved before the pairing "
                                              "started.")})
    with transaction.atomic():
        return PairingProblem.objects.create(pairing=pairing, title=title,
                                             solution=solution.strip(), solved_on=solved_on)


# brands and cases ------------------------------------------------------------------------------

def brand_create(*, actor: User, party_organization: PartyOrganization, name: str,
                 slogan: str = "", story: str = "", domain: str = "enterprise") -> Brand:
    if not can_manage(actor):
        raise PermissionDenied
    if not party_orgs_visible(actor).filter(pk=party_organization.pk).exists():
        raise ValidationError({"party_organization": _("This party organization is outside "
                                                       "your scope.")})
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": _("Give the brand a name.")})
    if Brand.objects.filter(party_organization=party_organization, name=name).exists():
        raise ValidationError({"name": _("This party organization already has a brand of this "
                                         "name.")})
    with transaction.atomic():
        return Brand.objects.create(party_organization=party_organization, name=name,
                                    slogan=normalize_text(slogan), story=story.strip(),
                                    domain=domain)


def can_add_photo(actor: User, brand: Brand) -> bool:
    if not brands_visible_to(actor).filter(pk=brand.pk).exists():
        return False
    return can_manage(actor) or actor.has_role("organization")


def brand_photo_add(*, actor: User, brand: Brand, image, caption: str = "") -> BrandPhoto:
    """Decodes the upload with Pillow first: a file that is not an image is refused whole."""
    if not can_add_photo(actor, brand):
        raise PermissionDenied
    width, height = validate_photo(image)
    with transaction.atomic():
        return BrandPhoto.objects.create(brand=brand, image=image, width=width, height=height,
                                         caption=normalize_text(caption))


def case_create(*, actor: User, party_organization: PartyOrganization, title: str, year: int,
                summary: str = "", domain: str = "enterprise", brand: Brand | None = None,
                honours: list[dict] | None = None) -> CaseStudy:
    if not can_manage(actor):
        raise PermissionDenied
    if not party_orgs_visible(actor).filter(pk=party_organization.pk).exists():
        raise ValidationError({"party_organization": _("This party organization is outside "
                                                       "your scope.")})
    if brand is not None and brand.party_organization_id != party_organization.pk:
        raise ValidationError({"brand": _("This brand belongs to another party organization.")})
    title = normalize_text(title)
    if not title:
        raise ValidationError({"title": _("Give the case a title.")})
    with transaction.atomic():
        case = CaseStudy.objects.create(party_organization=party_organization, title=title,
                                        year=year, summary=summary.strip(), domain=domain,
                                        brand=brand)
        for honour in honours or []:
            _honour_save(case, **honour)
    return case


def _honour_save(case: CaseStudy, **fields) -> Honour:
    honour = Honour(case_study=case, **fields)
    honour.full_clean()
    honour.save()
    return honour


def honour_add(*, actor: User, case: CaseStudy, title: str, level: str, year: int,
               awarding_body: str) -> Honour:
    if not can_manage(actor) or not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    with transaction.atomic():
        return _honour_save(case, title=normalize_text(title), level=level, year=year,
                            awarding_body=normalize_text(awarding_body))


def party_orgs_visible(actor: User):
    """Party organizations an actor may attach brands and cases to."""
    return visible_to(actor, PartyOrganization.objects.all(), PARTY_ORG_SCOPE)


# edits ------------------------------------------------------------------------------------------
# Each takes the fields to change (a form gives all of them, the API only those sent), checks the
# same rules as creation, and saves the row with save() so that django-auditlog records the
# change with its actor.

PAIRING_EDITABLE = ("leader_kind", "leader_name", "leader_party_org", "leader_area",
                    "partner_party_org", "started_on", "goals")


def apply_changes(row, new: dict) -> None:
    """Set the edited fields and run the model's own checks on them (length, choices, number
    range), so that an over-long name is a message on its field, not a database error."""
    for name, value in new.items():
        setattr(row, name, value)
    row.clean_fields(exclude=[f.name for f in row._meta.concrete_fields if f.name not in new])


def merged_changes(row, editable: tuple[str, ...], changes: dict) -> dict:
    """The row's editable fields with the changes applied (a form or an API body)."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return {name: changes[name] if name in changes else getattr(row, name) for name in editable}


def pairing_update(*, actor: User, pairing: Pairing, **changes) -> Pairing:
    """Edit a pairing; the paired organization stays (another one is another pairing)."""
    if not can_manage(actor) or not pairings_visible_to(actor).filter(pk=pairing.pk).exists():
        raise PermissionDenied
    new = merged_changes(pairing, PAIRING_EDITABLE, changes)
    new["leader_name"] = normalize_text(new["leader_name"] or "")
    new["goals"] = (new["goals"] or "").strip()
    if new["leader_kind"] not in LeaderKind.values:
        raise ValidationError({"leader_kind": _("Unknown kind of leading side.")})
    if new["leader_area"] is None:
        raise ValidationError({"leader_area": _("Choose the leading side's area.")})
    if new["leader_area"].pk != pairing.leader_area_id and not areas_visible_to(actor).filter(
            pk=new["leader_area"].pk).exists():   # the area it had may stay
        raise ValidationError({"leader_area": _("This area is outside your scope.")})
    _check_pairing_sides(leader_name=new["leader_name"], leader_party_org=new["leader_party_org"],
                         organization=pairing.organization,
                         partner_party_org=new["partner_party_org"])
    _check_dates_hold(pairing, new["started_on"])
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().filter(pk=pairing.organization_id).first()
            if pairing.ended_on is None:
                _check_no_active_duplicate(
                    leader_name=new["leader_name"], leader_party_org=new["leader_party_org"],
                    organization=pairing.organization, exclude=pairing.pk)
            apply_changes(pairing, new)
            pairing.save()
    except IntegrityError as exc:
        raise ValidationError({"leader_name": _("These two are already paired (an active "
                                                "pairing exists).")}) from exc
    return pairing


def _check_dates_hold(pairing: Pairing, started_on: date) -> None:
    """A new start date may not leave the end, an activity or a solved problem before it."""
    if started_on is None:
        raise ValidationError({"started_on": _("Give the start date.")})
    if pairing.ended_on and pairing.ended_on < started_on:
        raise ValidationError({"started_on": _("The end date cannot be before the start date.")})
    if pairing.activities.filter(held_on__lt=started_on).exists():
        raise ValidationError({"started_on": _("An activity of this pairing was held before this "
                                               "date.")})
    if pairing.problems.filter(solved_on__lt=started_on).exists():
        raise ValidationError({"started_on": _("A problem of this pairing was solved before this "
                                               "date.")})


BRAND_EDITABLE = ("name", "slogan", "story", "domain")


def _check_domain(domain: str) -> None:
    from sanxin.registry.models import Domain

    if domain not in Domain.values:
        raise ValidationError({"domain": _("Unknown domain.")})


def can_edit_brand(actor: User, brand: Brand) -> bool:
    return can_manage(actor) and brands_visible_to(actor).filter(pk=brand.pk).exists()


def brand_update(*, actor: User, brand: Brand, **changes) -> Brand:
    if not can_edit_brand(actor, brand):
        raise PermissionDenied
    new = merged_changes(brand, BRAND_EDITABLE, changes)
    new["name"] = normalize_text(new["name"] or "")
    new["slogan"] = normalize_text(new["slogan"] or "")
    new["story"] = (new["story"] or "").strip()
    if not new["name"]:
        raise ValidationError({"name": _("Give the brand a name.")})
    if Brand.objects.filter(party_organization_id=brand.party_organization_id,
                            name=new["name"]).exclude(pk=brand.pk).exists():
        raise ValidationError({"name": _("This party organization already has a brand of this "
                                         "name.")})
    _check_domain(new["domain"])
    with transaction.atomic():
        apply_changes(brand, new)
        brand.save()
    return brand


def brand_photo_delete(*, actor: User, photo: BrandPhoto) -> None:
    """Remove a photo (a wrong upload); the file goes with the row once the transaction commits."""
    if not can_edit_brand(actor, photo.brand):
        raise PermissionDenied
    storage, name = photo.image.storage, photo.image.name
    with transaction.atomic():
        photo.delete()
        transaction.on_commit(lambda: storage.delete(name))


CASE_EDITABLE = ("brand", "title", "summary", "domain", "year")


def case_update(*, actor: User, case: CaseStudy, **changes) -> CaseStudy:
    """Edit a case study; it stays with its party organization."""
    if not can_manage(actor) or not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    new = merged_changes(case, CASE_EDITABLE, changes)
    new["title"] = normalize_text(new["title"] or "")
    new["summary"] = (new["summary"] or "").strip()
    if new["brand"] is not None and new["brand"].party_organization_id != case.party_organization_id:
        raise ValidationError({"brand": _("This brand belongs to another party organization.")})
    if not new["title"]:
        raise ValidationError({"title": _("Give the case a title.")})
    _check_domain(new["domain"])
    apply_changes(case, new)
    case.full_clean(exclude=["party_organization"])   # the year's bounds, with their message
    with transaction.atomic():
        case.save()
    return case


HONOUR_EDITABLE = ("title", "level", "year", "awarding_body")


def honour_update(*, actor: User, honour: Honour, **changes) -> Honour:
    if not can_manage(actor) or not cases_visible_to(actor).filter(
            pk=honour.case_study_id).exists():
        raise PermissionDenied
    new = merged_changes(honour, HONOUR_EDITABLE, changes)
    apply_changes(honour, {name: normalize_text(value or "") if name in ("title", "awarding_body")
                           else value for name, value in new.items()})
    honour.full_clean()
    with transaction.atomic():
        honour.save()
    return honour
