"""Whether an actor holds one of a transition's scopes over a case."""
from sanxin.accounts.models import RoleKind, User
from sanxin.accounts.scoping import area_ids_under

from . import rules
from .models import Case


def actor_scopes(actor: User, case: Case) -> set[str]:
    """The scopes (rules.DISTRICT, LEAD …) this actor has over this case."""
    scopes: set[str] = set()
    for role in actor.scope_roles:
        if role.kind == RoleKind.DISTRICT:
            scopes.add(rules.DISTRICT)
        elif role.kind == RoleKind.AREA and case.organization.area_id in area_ids_under(role.area_id):
            scopes.add(rules.AREA)
        elif role.kind == RoleKind.DEPARTMENT and role.department_id == case.lead_department_id \
                and case.lead_department_id is not None:
            scopes.add(rules.LEAD)
        elif role.kind == RoleKind.ORGANIZATION and role.organization_id == case.organization_id:
            scopes.add(rules.CONTACT)
        elif role.kind == RoleKind.OFFICER and _officer_serves(actor, case):
            scopes.add(rules.OFFICER)
    return scopes


def _officer_serves(actor: User, case: Case) -> bool:
    from sanxin.service.models import Assignment

    if actor.pk in (case.raised_by_id, case.officer_id):
        return True
    return Assignment.objects.filter(officer__user=actor, organization_id=case.organization_id,
                                     ended_at__isnull=True).exists()


def may_raise_for(actor: User, organization) -> bool:
    """District, the area, the organization's contact and its officer may raise a case for it."""
    from sanxin.service.models import Assignment

    for role in actor.scope_roles:
        if role.kind == RoleKind.DISTRICT:
            return True
        if role.kind == RoleKind.AREA and organization.area_id in area_ids_under(role.area_id):
            return True
        if role.kind == RoleKind.ORGANIZATION and role.organization_id == organization.pk:
            return True
        if role.kind == RoleKind.OFFICER and Assignment.objects.filter(
                officer__user=actor, organization=organization, ended_at__isnull=True).exists():
            return True
    return False
