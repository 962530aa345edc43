"""Scope paths for party-life rows.

A party organization is seen by the district, by its area (and the area's parents), and by the
contact of any organization it covers (the party organization covering that unit). Departments
and service officers do not see party life.
"""
from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths


def covering_party_org_ids(organization_id: int):
    """Ids of the party organizations covering one registry organization (a subquery)."""
    from sanxin.party.models import PartyOrganization

    return PartyOrganization.units.through.objects.filter(
        organization_id=organization_id).values("partyorganization_id")


def party_org_paths(prefix: str) -> ScopePaths:
    """ScopePaths for a model that points at a party organization through `prefix`
    ("" for PartyOrganization itself)."""
    lookup = f"{prefix}__" if prefix else ""
    own_id = f"{prefix}_id" if prefix else "pk"

    def covering(role: Role, actor: User) -> Q:
        return Q(**{f"{own_id}__in": covering_party_org_ids(role.organization_id)})

    return ScopePaths(area=f"{lookup}area_id", organization=covering)


PARTY_ORG_SCOPE = party_org_paths("")
MEETING_SCOPE = party_org_paths("party_organization")
ATTENDANCE_SCOPE = party_org_paths("meeting__party_organization")
STUDY_SCOPE = party_org_paths("party_organization")
VANGUARD_SCOPE = party_org_paths("party_organization")
ACHIEVEMENT_SCOPE = party_org_paths("unit__party_organization")
VOLUNTEER_SCOPE = party_org_paths("party_organization")
PARTICIPATION_SCOPE = party_org_paths("activity__party_organization")
CANDIDATE_SCOPE = party_org_paths("party_organization")
MEMBER_SCOPE = party_org_paths("party_organization")


def _places_in_own_area(role: Role, actor: User) -> Q:
    from sanxin.registry.models import Organization

    return Q(area_id__in=Organization.objects.filter(pk=role.organization_id).values("area_id"))


# Study places are public places of an area: an organization contact sees those of its area.
STUDY_PLACE_SCOPE = ScopePaths(area="area_id", organization=_places_in_own_area)
INTAKE_PLAN_SCOPE = ScopePaths(area="area_id")
