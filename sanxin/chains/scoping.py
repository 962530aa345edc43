"""Who sees which chain, post, deal and problem (DESIGN.md, Scoping).

- district: everything;
- area: chains with a member enterprise in the area or whose joint committee sits there; posts and
  deals of the area's enterprises, and every post and deal of a chain whose committee sits in
  the area (the committee sees its chain's supply, demand and matches);
- department (行业主管单位): chains, posts and deals of its industry's enterprises;
- organization: the chains it is a member of (their pages and members), its own posts, and the
  deals it is a side of;
- officer: the same for the enterprises the officer serves.
"""
from django.db.models import Q

from sanxin.accounts.models import Role, User
from sanxin.accounts.scoping import ScopePaths, area_ids_under


def _served(actor: User):
    from sanxin.service.models import Assignment

    return Assignment.objects.filter(officer__user=actor, ended_at__isnull=True).values(
        "organization_id")


def _member_chains(**lookup):
    from .models import ChainMember

    return ChainMember.objects.filter(**lookup).values("chain_id")


def _chain_area(role: Role, actor: User) -> Q:
    ids = area_ids_under(role.area_id)
    return (Q(pk__in=_member_chains(organization__area_id__in=ids))
            | Q(committee__area_id__in=ids))


CHAIN_SCOPE = ScopePaths(
    area=_chain_area,
    department=lambda role, actor: Q(pk__in=_member_chains(
        organization__authority_id=role.department_id)),
    organization=lambda role, actor: Q(pk__in=_member_chains(
        organization_id=role.organization_id)),
    officer=lambda role, actor: Q(pk__in=_member_chains(organization_id__in=_served(actor))),
)


def _post_area(role: Role, actor: User) -> Q:
    ids = area_ids_under(role.area_id)
    return Q(organization__area_id__in=ids) | Q(chain__committee__area_id__in=ids)


POST_SCOPE = ScopePaths(
    area=_post_area,
    department="organization__authority_id",
    organization="organization_id",
    officer=lambda role, actor: Q(organization_id__in=_served(actor)),
)


def _deal_area(role: Role, actor: User) -> Q:
    ids = area_ids_under(role.area_id)
    return (Q(supply__organization__area_id__in=ids) | Q(need__organization__area_id__in=ids)
            | Q(chain__committee__area_id__in=ids))


DEAL_SCOPE = ScopePaths(
    area=_deal_area,
    department=lambda role, actor: Q(supply__organization__authority_id=role.department_id)
    | Q(need__organization__authority_id=role.department_id),
    organization=lambda role, actor: Q(supply__organization_id=role.organization_id)
    | Q(need__organization_id=role.organization_id),
    officer=lambda role, actor: Q(supply__organization_id__in=_served(actor))
    | Q(need__organization_id__in=_served(actor)),
)


def _via_chain(builder):
    def clause(role: Role, actor: User) -> Q:
        from .models import Chain

        return Q(chain_id__in=Chain.objects.filter(builder(role, actor)).values("id"))

    return clause


# a chain's problems are seen by whoever sees the chain
PROBLEM_SCOPE = ScopePaths(
    area=_via_chain(CHAIN_SCOPE.area),
    department=_via_chain(CHAIN_SCOPE.department),
    organization=_via_chain(CHAIN_SCOPE.organization),
    officer=_via_chain(CHAIN_SCOPE.officer),
)
