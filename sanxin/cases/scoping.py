"""Who sees which case (DESIGN.md, Scoping):

district → all; area → cases of its organizations; department → cases dispatched to it, as lead or
co-handler; organization contact → its own cases (and the case its duplicates were merged into);
officer → cases of the organizations it serves and the ones it raised.
"""
from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths

# Up to this many co-handled cases are inlined as a list of ids, above it a subquery.
MAX_INLINE_CO_HANDLED = 5000


def _dispatched_to_department(role: Role, actor: User) -> Q:
    """Lead OR co-handler. `lead = X OR id IN (subquery)` made PostgreSQL scan every case to
    count a department's list; with the co-handled ids read first (one index-only lookup, few
    rows) it combines two index scans (BitmapOr) instead."""
    from .models import CaseHandler

    co_handled = CaseHandler.objects.filter(department_id=role.department_id).values_list(
        "case_id", flat=True)
    ids = list(co_handled[:MAX_INLINE_CO_HANDLED + 1])
    lead = Q(lead_department_id=role.department_id)
    if not ids:
        return lead
    return lead | Q(pk__in=ids if len(ids) <= MAX_INLINE_CO_HANDLED else co_handled)


def _dispatched_to_department_one(role: Role, actor: User) -> Q:
    """The same scope for fetching one case by id: a correlated EXISTS costs PostgreSQL one
    index probe for that row, where reading the department's co-handled ids first cost a query
    of its own on every case page."""
    from django.db.models import Exists, OuterRef

    from .models import CaseHandler

    return Q(lead_department_id=role.department_id) | Q(Exists(CaseHandler.objects.filter(
        case_id=OuterRef("pk"), department_id=role.department_id)))


def _own_organization(role: Role, actor: User) -> Q:
    from .models import Case

    return Q(organization_id=role.organization_id) | Q(pk__in=Case.objects.filter(
        organization_id=role.organization_id, merged_into__isnull=False).values("merged_into_id"))


def _officer_cases(role: Role, actor: User) -> Q:
    from sanxin.service.models import Assignment

    served = Assignment.objects.filter(officer__user=actor, ended_at__isnull=True)
    return (Q(raised_by_id=actor.pk) | Q(officer_id=actor.pk)
            | Q(organization_id__in=served.values("organization_id")))


CASE_SCOPE = ScopePaths(
    area="organization__area_id",
    department=_dispatched_to_department,
    organization=_own_organization,
    officer=_officer_cases,
)

# For one case by id (`selectors.get_case`): the same rows, a plan suited to one row.
CASE_SCOPE_ONE = ScopePaths(
    area=CASE_SCOPE.area,
    department=_dispatched_to_department_one,
    organization=CASE_SCOPE.organization,
    officer=CASE_SCOPE.officer,
    stable=True,    # its clauses are subqueries on the actor's roles: compiled once per actor
)
