"""Reads of chains and matchmaking, each through the actor's scope."""
from collections import defaultdict
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


@dataclass(frozen=True, slots=True)
class _Side:
    """The fields matching reads, copied once out of a post and its joined rows (speed)."""

    post: Post
    pk: int
    organization_id: int
    lat: float | None
    lng: float | None
    starts_on: object
    ends_on: object
    position: int
    offer: str
    quantity: Decimal

    @classmethod
    def of(cls, post: Post) -> "_Side":
        org = post.organization
        return cls(post, post.pk, post.organization_id, org.latitude, org.longitude,
                   post.starts_on, post.ends_on, post.member.link.position, post.offer,
                   post.quantity)


def _rank(me: _Side, is_supply: bool, candidates: list[_Side], dealt: set[tuple[int, int]],
          limit: int) -> list[Proposal]:
    """Apply the rules of rules.py to already loaded counterparts of a post, best first."""
    ranked: list[tuple[tuple, _Side, float | None, int]] = []
    for cand in candidates:
        supply, need = (me, cand) if is_supply else (cand, me)
        if (cand.organization_id == me.organization_id or (supply.pk, need.pk) in dealt
                or not rules.periods_overlap(me.starts_on, me.ends_on, cand.starts_on,
                                             cand.ends_on)
                or not rules.link_fits(supply.offer, supply.position, need.position)):
            continue
        distance = rules.haversine_km(me.lat, me.lng, cand.lat, cand.lng)
        gap = need.position - supply.position
        ranked.append((rules.RankKey(distance, abs(gap), cand.pk).sort_key(), cand, distance,
                       gap))
    ranked.sort(key=lambda row: row[0])
    return [Proposal(cand.post, None if distance is None else round(distance, 2), gap,
                     min(me.quantity, cand.quantity))
            for _key, cand, distance, gap in ranked[:limit]]


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
    dealt = set(Deal.objects.filter(**{post.kind: post}).values_list("supply_id", "need_id"))
    return _rank(_Side.of(post), post.kind == PostKind.SUPPLY, [_Side.of(c) for c in candidates],
                 dealt, limit)


def propose_for_needs(chain: Chain, needs: list[Post], limit: int = 3
                      ) -> list[tuple[Post, list[Proposal]]]:
    """Proposals for many needs of one chain with three queries in all (the market page)."""
    supplies: dict[str, list[_Side]] = defaultdict(list)
    for supply in (Post.objects.filter(chain=chain, kind=PostKind.SUPPLY, status=PostStatus.OPEN)
                   .select_related("organization", "member__link").order_by("id")):
        supplies[rules.normalize_category(supply.category)].append(_Side.of(supply))
    dealt = set(Deal.objects.filter(chain=chain).values_list("supply_id", "need_id"))
    return [(need, _rank(_Side.of(need), False,
                         supplies.get(rules.normalize_category(need.category), []), dealt, limit))
            for need in needs if need.status == PostStatus.OPEN]


MARKET_ROWS = 100        # posts of each kind listed on the market page
MARKET_PROPOSALS = 50    # open needs whose proposals the market page shows


def chain_market(actor: User, chain: Chain) -> dict:
    """Supply, demand, proposals for the open needs and the deals the actor may see."""
    posts = (posts_visible_to(actor).filter(chain=chain)
             .select_related("organization", "member__link").order_by("category", "id"))
    # the page lists at most MARKET_ROWS posts of each kind; the API pages through all of them
    supply = list(posts.filter(kind=PostKind.SUPPLY)[:MARKET_ROWS])
    needs = list(posts.filter(kind=PostKind.NEED)[:MARKET_ROWS])
    counts = dict(posts.order_by().values_list("kind").annotate(n=Count("id")))
    proposals = propose_for_needs(chain, needs[:MARKET_PROPOSALS])
    deals = (deals_visible_to(actor).filter(chain=chain)
             .select_related("supply__organization", "need__organization").order_by("-agreed_on"))
    return {"supply": supply, "needs": needs, "proposals": proposals,
            "deals": list(deals[:MARKET_ROWS]), "deal_total": deals.count(),
            "supply_total": counts.get(PostKind.SUPPLY, 0), "need_total": counts.get(PostKind.NEED, 0)}


def get_problem(actor: User, pk) -> ChainProblem:
    return get_visible_or_404(problems_visible_to(actor).select_related(
        "chain__committee", "raised_by", "case"), pk)


@dataclass(frozen=True)
class CaseProgress:
    """Where the case made from a chain problem stands, for whoever sees the problem. The
    answer and the link to the case page are given only to those who see the case itself."""

    case_id: int
    number: str
    state: str
    state_label: str
    lead_department: str | None
    deadline: object
    answered_at: object
    closed_at: object
    rating: str
    merged_into_id: int | None
    answer: str | None
    visible: bool
    events: list[tuple[object, str]]


def problem_case_progress(actor: User, problem: ChainProblem) -> CaseProgress | None:
    from sanxin.cases.models import Case
    from sanxin.cases.rules import event_label
    from sanxin.cases.selectors import cases_visible_to

    if problem.case_id is None:
        return None
    case = Case.objects.select_related("lead_department").get(pk=problem.case_id)
    hops = 0
    while case.merged_into_id and hops < 5:   # a merged case lives on in the one it joined
        case = Case.objects.select_related("lead_department").get(pk=case.merged_into_id)
        hops += 1
    visible = cases_visible_to(actor).filter(pk=case.pk).exists()
    return CaseProgress(
        case_id=case.pk, number=case.number, state=case.state,
        state_label=str(case.get_state_display()),
        lead_department=case.lead_department.name if case.lead_department_id else None,
        deadline=case.deadline, answered_at=case.answered_at, closed_at=case.closed_at,
        rating=str(case.get_rating_display()) if case.rating else "",
        merged_into_id=case.pk if case.pk != problem.case_id else None,
        answer=case.answer if visible else None, visible=visible,
        events=[(e.at, event_label(e.action)) for e in case.events.order_by("at", "id")])


def links_visible_to(actor: User) -> QuerySet[ChainLink]:
    """A chain's steps are seen by whoever sees the chain."""
    return ChainLink.objects.filter(chain__in=chains_visible_to(actor))


def members_visible_to(actor: User) -> QuerySet[ChainMember]:
    """A chain's member enterprises are shown with the chain (its page lists them)."""
    return ChainMember.objects.filter(chain__in=chains_visible_to(actor))


def get_link(actor: User, pk) -> ChainLink:
    return get_visible_or_404(links_visible_to(actor).select_related("chain"), pk)


def get_member(actor: User, pk) -> ChainMember:
    return get_visible_or_404(members_visible_to(actor).select_related(
        "chain", "organization", "link", "branch"), pk)
