"""Party figures for the dashboard, the `figures` command and the report (sanxin.dashboard.providers).

Written by the dashboard's engineer on the extension point; the party app may refine it."""
from django.db.models import Count, Q

from sanxin.dashboard.labels import label
from sanxin.dashboard.providers import AreaColumn, Figure, FigureScope, Period

from .models import Instructor, Member, MemberStatus, PartyOrganization, PartyOrgKind
from .scoping import INSTRUCTOR_SCOPE, MEMBER_SCOPE, PARTY_ORG_SCOPE


def _members(scope: FigureScope):
    qs = scope.scoped(Member.objects.all(), MEMBER_SCOPE)
    if scope.area_ids is not None:  # MEMBER_SCOPE reaches the area through a callable, not a path
        qs = qs.filter(party_organization__area_id__in=scope.area_ids)
    return qs


def party_figures(scope: FigureScope) -> list[Figure]:
    party_orgs = scope.scoped(PartyOrganization.objects.all(), PARTY_ORG_SCOPE).order_by()
    by_kind = dict(party_orgs.values_list("kind").annotate(n=Count("id")))
    members = _members(scope).order_by().aggregate(
        total=Count("id"), probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
        flowing=Count("id", filter=Q(is_flowing=True)))
    instructors = scope.scoped(Instructor.objects.filter(active=True), INSTRUCTOR_SCOPE).count()
    section = label("Party organizations and members")
    figures = [Figure("party.organizations", label("Party organizations"), sum(by_kind.values()),
                      group=section, order=200)]
    for order, (value, kind_label) in enumerate(PartyOrgKind.choices, start=201):
        figures.append(Figure(f"party.organizations.{value}", str(kind_label), by_kind.get(value, 0),
                              group=section, order=order))
    figures += [
        Figure("party.members", label("Party members"), members["total"], group=section, order=210),
        Figure("party.members.probationary", label("Probationary members"), members["probationary"],
               group=section, order=211),
        Figure("party.members.flowing", label("Flowing members"), members["flowing"], group=section, order=212),
        Figure("party.instructors", label("Party-building instructors"), instructors, group=section, order=213),
    ]
    return figures


def party_area_columns(scope: FigureScope, period: Period) -> list[AreaColumn]:
    section = label("Party organizations and members")
    party_orgs = dict(scope.scoped(PartyOrganization.objects.all(), PARTY_ORG_SCOPE).order_by()
                      .values_list("area_id").annotate(n=Count("id")))
    members = dict(_members(scope).order_by().values_list("party_organization__area_id").annotate(n=Count("id")))
    return [AreaColumn("party.organizations", label("Party organizations"), section, party_orgs, order=200),
            AreaColumn("party.members", label("Party members"), section, members, order=201)]


FIGURE_PROVIDERS = [party_figures]
AREA_COLUMNS = [party_area_columns]
