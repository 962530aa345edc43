"""Scoped reads of the party app, and the one place that decides whether personal data shows."""
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.db.models import Count, Q, QuerySet

from sanxin.accounts.audit import record_personal_data_read
from sanxin.accounts.models import User
from sanxin.accounts.scoping import area_ids_under, get_visible_or_404, visible_to
from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.core.validators import normalize_text
from sanxin.registry.models import Area

from .identity import id_digest
from .models import Instructor, Member, PartyOrganization
from .scoping import INSTRUCTOR_SCOPE, MEMBER_SCOPE, PARTY_ORG_SCOPE


def party_orgs_visible_to(actor: User) -> QuerySet[PartyOrganization]:
    return visible_to(actor, PartyOrganization.objects.all(), PARTY_ORG_SCOPE)


def members_visible_to(actor: User) -> QuerySet[Member]:
    return visible_to(actor, Member.objects.all(), MEMBER_SCOPE)


def instructors_visible_to(actor: User) -> QuerySet[Instructor]:
    return visible_to(actor, Instructor.objects.all(), INSTRUCTOR_SCOPE)


def get_party_org(actor: User, pk) -> PartyOrganization:
    return get_visible_or_404(party_orgs_visible_to(actor).select_related(
        "area", "parent", "secretary"), pk)


def get_member(actor: User, pk) -> Member:
    return get_visible_or_404(members_visible_to(actor).select_related(
        "party_organization", "employer"), pk)


def get_instructor(actor: User, pk) -> Instructor:
    return get_visible_or_404(instructors_visible_to(actor).select_related("area"), pk)


def _under(area_code: str) -> list[int]:
    area = Area.objects.filter(code=area_code).first()
    return area_ids_under(area.id) if area else []


@dataclass(frozen=True)
class PartyOrgFilter:
    q: str = ""
    kind: str = ""
    area: str = ""

    @classmethod
    def from_params(cls, params) -> "PartyOrgFilter":
        return cls(**{f.name: normalize_text(params.get(f.name, "")) for f in fields(cls)})


def search_party_orgs(actor: User, flt: PartyOrgFilter) -> QuerySet[PartyOrganization]:
    qs = party_orgs_visible_to(actor)
    if flt.q:
        qs = qs.filter(name__icontains=flt.q)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.area:
        qs = qs.filter(area_id__in=_under(flt.area))
    return (qs.select_related("area", "secretary")
            .annotate(member_count=Count("members", distinct=True)).order_by("area__code", "id"))


@dataclass(frozen=True)
class MemberFilter:
    q: str = ""
    status: str = ""
    party_org: str = ""
    area: str = ""
    flowing: str = ""
    id_number: str = ""   # exact lookup by full ID number (through the digest)

    @classmethod
    def from_params(cls, params) -> "MemberFilter":
        return cls(**{f.name: normalize_text(params.get(f.name, "")) for f in fields(cls)})


def search_members(actor: User, flt: MemberFilter) -> QuerySet[Member]:
    qs = members_visible_to(actor)
    if flt.q:
        qs = qs.filter(name__icontains=flt.q)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.party_org.isdigit():
        qs = qs.filter(party_organization_id=int(flt.party_org))
    if flt.area:
        qs = qs.filter(party_organization__area_id__in=_under(flt.area))
    if flt.flowing == "1":
        qs = qs.filter(is_flowing=True)
    if flt.id_number:
        qs = qs.filter(id_digest=id_digest(flt.id_number))
    return qs.select_related("party_organization", "employer").order_by("party_organization_id", "id")


def search_instructors(actor: User, q: str = "", area: str = "") -> QuerySet[Instructor]:
    qs = instructors_visible_to(actor)
    if q:
        qs = qs.filter(name__icontains=q)
    if area:
        qs = qs.filter(area_id__in=_under(area))
    return (qs.select_related("area")
            .annotate(org_count=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
            .order_by("area__code", "id"))


@dataclass(frozen=True)
class MemberPersonalData:
    id_number: str
    phone: str
    unmasked: bool


PERSONAL_FIELDS = ("id_number", "phone")


def record_member_read(actor: User, members: list[Member] | None, channel: str, *, rows: int = 0,
                       request=None) -> None:
    """One entry in the shared personal-data read log: the member for one, the count for many."""
    one = members[0].pk if members and len(members) == 1 else ""
    record_personal_data_read(actor=actor, model=Member, fields=PERSONAL_FIELDS, channel=channel,
                              object_id=one, rows=rows or len(members or []), request=request)


def personal_data(actor: User, members: Iterable[Member], channel: str = "page", *,
                  request=None, record: bool = True) -> dict[int, MemberPersonalData]:
    """ID numbers and phones as this actor may see them; an unmasked read is recorded (callers
    that recorded already, e.g. an export, pass record=False)."""
    members = list(members)
    unmasked = actor.sees_personal_data
    if unmasked and members and record:
        record_member_read(actor, members, channel, request=request)
    return {m.pk: MemberPersonalData(
        id_number=m.id_number if unmasked else mask_id_number(m.id_number),
        phone=m.phone if unmasked else mask_phone(m.phone), unmasked=unmasked) for m in members}
