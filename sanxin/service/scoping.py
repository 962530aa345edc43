"""Scope paths of the service models (see sanxin.accounts.scoping)."""
from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths, area_ids_under
from sanxin.registry.scoping import organization_paths

from .models import Assignment

ASSIGNMENT_SCOPE = organization_paths("organization")


def _officer_in_area(role: Role, actor: User) -> Q:
    """An area sees its own officers and those (district-level ones) serving its enterprises."""
    areas = area_ids_under(role.area_id)
    serving = Assignment.objects.filter(ended_at__isnull=True, organization__area_id__in=areas)
    return Q(area_id__in=areas) | Q(pk__in=serving.values("officer_id"))


def _officer_of_organization(role: Role, actor: User) -> Q:
    return Q(pk__in=Assignment.objects.filter(ended_at__isnull=True,
                                              organization_id=role.organization_id)
             .values("officer_id"))


OFFICER_SCOPE = ScopePaths(
    area=_officer_in_area,
    department="department_id",
    organization=_officer_of_organization,
    officer=lambda role, actor: Q(user=actor),
)


def _visits_of_officer(role: Role, actor: User) -> Q:
    """An officer sees the visits it logged and every visit to the enterprises it serves now."""
    served = Assignment.objects.filter(officer__user=actor, ended_at__isnull=True)
    return Q(officer__user=actor) | Q(organization_id__in=served.values("organization_id"))


_org = organization_paths("organization")
VISIT_SCOPE = ScopePaths(area=_org.area, department=_org.department,
                         organization=_org.organization, officer=_visits_of_officer)


def _projects_of_officer(role: Role, actor: User) -> Q:
    served = Assignment.objects.filter(officer__user=actor, ended_at__isnull=True)
    return Q(officer__user=actor) | Q(organization_id__in=served.values("organization_id"))


def _projects_of_department(role: Role, actor: User) -> Q:
    return Q(organization__authority_id=role.department_id) | Q(department_id=role.department_id)


PROJECT_SCOPE = ScopePaths(area=_org.area, department=_projects_of_department,
                           organization=_org.organization, officer=_projects_of_officer)


def project_child_paths(prefix: str) -> ScopePaths:
    """Milestones and problems follow their project."""

    def wrap(builder):
        def clause(role: Role, actor: User) -> Q:
            inner = builder(role, actor)
            return _prefixed(inner, prefix)
        return clause

    return ScopePaths(area=f"{prefix}__organization__area_id",
                      department=wrap(_projects_of_department),
                      organization=f"{prefix}__organization_id",
                      officer=wrap(_projects_of_officer))


def _prefixed(q: Q, prefix: str) -> Q:
    children = [(_prefixed(c, prefix) if isinstance(c, Q) else (f"{prefix}__{c[0]}", c[1]))
                for c in q.children]
    clone = Q()
    clone.connector, clone.negated, clone.children = q.connector, q.negated, children
    return clone
