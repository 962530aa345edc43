"""Who sees which pairing, brand and case (DESIGN.md, Scoping).

- district: everything;
- area: pairings whose paired organization or leading side is in the area; brands and cases of
  party organizations in the area;
- department (行业主管单位): pairings of its industry's organizations; brands and cases of party
  organizations covering one of them;
- organization: its own pairings; the brands and cases of party organizations covering it;
- officer: the same for the organizations the officer serves.
"""
from dataclasses import replace

from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths, area_ids_under
from sanxin.registry.scoping import organization_paths


def _served_ids(actor: User):
    from sanxin.service.models import Assignment

    return Assignment.objects.filter(officer__user=actor, ended_at__isnull=True).values(
        "organization_id")


def _pairing_area(role: Role, actor: User) -> Q:
    ids = area_ids_under(role.area_id)
    return Q(organization__area_id__in=ids) | Q(leader_area_id__in=ids)


PAIRING_SCOPE = replace(organization_paths("organization"), area=_pairing_area)


def party_org_paths(prefix: str | None) -> ScopePaths:
    """Scope paths for a model pointing at a party organization through `prefix` (None: the
    party organization itself)."""
    key = f"{prefix}_id__in" if prefix else "id__in"

    def units(**lookup) -> Q:
        from sanxin.party.models import PartyOrganization

        return Q(**{key: PartyOrganization.objects.filter(**lookup).values("id")})

    return ScopePaths(
        area=f"{prefix}__area_id" if prefix else "area_id",
        department=lambda role, actor: units(units__authority_id=role.department_id),
        organization=lambda role, actor: units(units__id=role.organization_id),
        officer=lambda role, actor: units(units__id__in=_served_ids(actor)),
    )


PARTY_ORG_SCOPE = party_org_paths(None)
BRAND_SCOPE = party_org_paths("party_organization")
CASE_SCOPE = party_org_paths("party_organization")
