"""Scope paths of the party app: a party organization is visible where its area or one of the
organizations it covers is; a member where their party organization is; an instructor where
their area or one of their organizations is."""
from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths, area_ids_under, scope_q


def _through():
    from .models import PartyOrganization

    return PartyOrganization.units.through


def _served_org_ids(actor: User):
    from sanxin.service.models import Assignment

    return Assignment.objects.filter(officer__user=actor, ended_at__isnull=True).values(
        "organization_id")


def _party_orgs_by_department(role: Role, actor: User) -> Q:
    return Q(pk__in=_through().objects.filter(organization__authority_id=role.department_id)
             .values("partyorganization_id"))


def _party_orgs_by_organization(role: Role, actor: User) -> Q:
    return Q(pk__in=_through().objects.filter(organization_id=role.organization_id)
             .values("partyorganization_id"))


def _party_orgs_by_officer(role: Role, actor: User) -> Q:
    return Q(pk__in=_through().objects.filter(organization_id__in=_served_org_ids(actor))
             .values("partyorganization_id"))


PARTY_ORG_SCOPE = ScopePaths(
    area="area_id",
    department=_party_orgs_by_department,
    organization=_party_orgs_by_organization,
    officer=_party_orgs_by_officer,
)


def _member_clause(role: Role, actor: User) -> Q:
    from .models import PartyOrganization

    if role.kind == "area":
        return Q(party_organization__area_id__in=area_ids_under(role.area_id))
    builder = {"department": _party_orgs_by_department, "organization": _party_orgs_by_organization,
               "officer": _party_orgs_by_officer}[role.kind]
    return Q(party_organization_id__in=PartyOrganization.objects.filter(builder(role, actor))
             .values("pk"))


MEMBER_SCOPE = ScopePaths(area=_member_clause, department=_member_clause,
                          organization=_member_clause, officer=_member_clause)


def _instructors_by_orgs(org_filter: Q) -> Q:
    from .models import InstructorAssignment

    return Q(pk__in=InstructorAssignment.objects.filter(org_filter, ended_on__isnull=True)
             .values("instructor_id"))


INSTRUCTOR_SCOPE = ScopePaths(
    area="area_id",
    department=lambda role, actor: _instructors_by_orgs(
        Q(organization__authority_id=role.department_id)),
    organization=lambda role, actor: _instructors_by_orgs(Q(organization_id=role.organization_id)),
    officer=lambda role, actor: _instructors_by_orgs(Q(organization_id__in=_served_org_ids(actor))),
)


def is_unrestricted(actor: User) -> bool:
    return scope_q(actor, PARTY_ORG_SCOPE) is None
