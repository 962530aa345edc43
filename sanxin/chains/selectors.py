"""Reads of chains and matchmaking, each through the actor's scope."""
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import get_visible_or_404, visible_to

from . import rules
from .models import Chain, ChainLink, ChainMember, ChainProblem, Deal, Post, PostKind, PostStatus
from .scoping import CHAIN_SCOPE, DEAL_SCOPE, POST_SCOPE, PROBLEM_SCOPE


def chains_visible_to(actor: User) -> QuerySet[Chain]:
    return visible_to(actor, Chain.objects.all(), CHAIN_SCOPE)


def chain_list(actor: User) -> QuerySet[Chain]:
    return (chains_visible_to(actor).select_related("committee")
            .annotate(member_count=Count("members__organization", distinct=True),
                      link_count=Count("links", distinct=True)).order_by("id"))


def get_chain(actor: User, pk) -> Chain:
    members = ChainMember.objects.select_related("organization__area", "branch", "link")
    return get_visible_or_404(chains_visible_to(actor).select_related("committee__area")
                              .prefetch_related(Prefetch("links", ChainLink.objects.prefetch_related(
                                  Prefetch("members", members)))), pk)


def committee_branches(chain: Chain) -> list:
    """The joint committee's members: the party branches of the chain's enterprises."""
    seen: dict[int, object] = {}
    for member in ChainMember.objects.filter(chain=chain, branch__isnull=False).select_related(
            "branch").order_by("branch_id"):
        seen.setdefault(member.branch_id, member.branch)
    return list(seen.values())


def posts_visible_to(actor: User) -> QuerySet[Post]:
    return visible_to(actor, Post.objects.all(), POST_SCOPE)


def get_post(actor: User, pk) -> Post:
    return get_visible_or_404(posts_visible_to(actor).select_related(
        "organization", "member__link", "chain"), pk)


def deals_visible_to(actor: User) -> QuerySet[Deal]:
    return visible_to(actor, Deal.objects.all(), DEAL_SCOPE)


def problems_visible_to(actor: User) -> QuerySet[ChainProblem]:
    return visible_to(actor, ChainProblem.objects.all(), PROBLEM_SCOPE)


def memberships_of(actor: User, chain: Chain) -> QuerySet[ChainMember]:
    """The chain's members the actor may post for (its own enterprise, or any in its scope)."""
    from sanxin.registry.selectors import organizations_visible_to

    return (ChainMember.objects.filter(chain=chain,
                                       organization__in=organizations_visible_to(actor))
            .select_related("organization", "link"))


@dataclass(frozen=True)
class Proposal:
    post: Post            # the counterpart: a supply for a need, a need for a supply
    distance_km: float | None
    step_gap: int         # steps between the supply and the need (0 = same step)
    quantity: Decimal     # how much of the need the supply could cover


def propose_matches(post: Post, limit: int = 10) -> list[Proposal]:
    """Open counterparts of a post inside its chain, best first (see rules.py).

    The counterpart is shown to whoever sees the post: finding partners inside the chain is the
    point of matchmaking, and only the chain's own members post."""
    if post.status != PostStatus.OPEN:
        return []
    other = PostKind.NEED if post.kind == PostKind.SUPPLY else PostKind.SUPPLY
    candidates = (Post.objects.filter(chain_id=post.chain_id, kind=other, status=PostStatus.OPEN,
                                      category__iexact=post.category,
                                      starts_on__lte=post.ends_on, ends_on__gte=post.starts_on)
                  .exclude(organization_id=post.organization_id)
                  .select_related("organization", "member__link"))
    already = set(Deal.objects.filter(**{post.kind: post}).values_list(
        "need_id" if post.kind == PostKind.SUPPLY else "supply_id", flat=True))
    me = post.organization
    ranked: list[tuple[tuple, Proposal]] = []
    for cand in candidates:
        if cand.pk in already:
            continue
        supply, need = (post, cand) if post.kind == PostKind.SUPPLY else (cand, post)
        if not rules.link_fits(supply.offer, supply.member.link.position,
                               need.member.link.position):
            continue
        distance = rules.haversine_km(me.latitude, me.longitude, cand.organization.latitude,
                                      cand.organization.longitude)
        gap = need.member.link.position - supply.member.link.position
        key = rules.RankKey(distance, abs(gap), cand.pk).sort_key()
        ranked.append((key, Proposal(cand, None if distance is None else round(distance, 2),
                                     gap, min(supply.quantity, need.quantity))))
    ranked.sort(key=lambda pair: pair[0])
    return [proposal for _key, proposal in ranked[:limit]]


def chain_market(actor: User, chain: Chain) -> dict:
    """Supply, demand, proposals for the open needs and the deals the actor may see."""
    posts = (posts_visible_to(actor).filter(chain=chain)
             .select_related("organization", "member__link").order_by("category", "id"))
    supply = [p for p in posts if p.kind == PostKind.SUPPLY]
    needs = [p for p in posts if p.kind == PostKind.NEED]
    proposals = [(need, propose_matches(need, limit=3)) for need in needs
                 if need.status == PostStatus.OPEN]
    deals = (deals_visible_to(actor).filter(chain=chain)
             .select_related("supply__organization", "need__organization").order_by("-agreed_on"))
    return {"supply": supply, "needs": needs, "proposals": proposals, "deals": list(deals)}
