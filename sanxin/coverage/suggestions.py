"""Joint-branch suggestions: group uncovered small units into 联合党支部 the rules allow.

Candidates are organizations of the actor's scope without organizational coverage (no 单建, no
联建) that have party members working there but fewer than 3 正式党员 (else they need a branch of
their own). A group is allowed when it has at most 5 units, at least 3 正式党员 together and all its
units in the same area. Groups are built greedily per area: the unit with the most full members
first, then its nearest neighbours (same industry preferred) until the group reaches 3 full
members; units left over then join the nearest group with room. Pure Python after two queries;
the whole demo district takes well under a second.
"""
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sanxin.accounts.models import User
from sanxin.party import rules
from sanxin.party.models import Member, MemberStatus
from sanxin.registry.selectors import organizations_visible_to

from .engine import joint_org_ids, single_org_ids

# A different industry counts as this many extra kilometres when choosing neighbours.
OTHER_INDUSTRY_PENALTY_KM = 3.0


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    area_id: int
    area_name: str
    industry: str
    latitude: float | None
    longitude: float | None
    full_members: int
    members: int


@dataclass
class Suggestion:
    units: list[Candidate] = field(default_factory=list)
    max_distance_km: float = 0.0

    @property
    def key(self) -> str:
        return "-".join(str(u.id) for u in sorted(self.units, key=lambda u: u.id))

    @property
    def full_members(self) -> int:
        return sum(u.full_members for u in self.units)

    @property
    def members(self) -> int:
        return sum(u.members for u in self.units)

    @property
    def area_id(self) -> int:
        return self.units[0].area_id

    @property
    def area_name(self) -> str:
        return self.units[0].area_name

    @property
    def industries(self) -> list[str]:
        return sorted({u.industry for u in self.units})

    @property
    def proposed_name(self) -> str:
        return _("%(area)s %(first)s joint party branch") % {
            "area": self.area_name, "first": self.units[0].name[:12]}

    @property
    def reason(self) -> str:
        industries = self.industries
        same = (_("all in industry %(s)s") % {"s": industries[0]} if len(industries) == 1
                else _("industries %(s)s") % {"s": ", ".join(industries)})
        return _("%(full)d full members in %(units)d units of %(area)s, at most %(km).1f km apart, "
                 "%(industry)s.") % {"full": self.full_members, "units": len(self.units),
                                     "area": self.area_name, "km": self.max_distance_km,
                                     "industry": same}


def distance_km(a: Candidate, b: Candidate) -> float:
    """Great-circle distance; a unit without coordinates is taken as far (but still allowed)."""
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return 50.0
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def candidates_for(actor: User) -> list[Candidate]:
    counts = (Member.objects.filter(employer__isnull=False).order_by().values("employer_id")
              .annotate(n=Count("id"), full=Count("id", filter=Q(status=MemberStatus.FULL)))
              .filter(n__gte=1, full__lt=rules.OWN_BRANCH_MIN_FULL_MEMBERS))
    by_org = {row["employer_id"]: row for row in counts}
    orgs = (organizations_visible_to(actor)
            .filter(pk__in=counts.values("employer_id"), area__parent__isnull=False)
            .exclude(pk__in=single_org_ids()).exclude(pk__in=joint_org_ids())
            .values_list("id", "name", "area_id", "area__name", "industry", "latitude", "longitude"))
    return [Candidate(pk, name, area_id, area_name, industry, lat, lng, by_org[pk]["full"],
                      by_org[pk]["n"]) for pk, name, area_id, area_name, industry, lat, lng in orgs]


def group_candidates(candidates: Iterable[Candidate]) -> list[Suggestion]:
    """The greedy grouping; every suggestion it returns obeys the rules (see `obeys_rules`)."""
    by_area: dict[int, list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_area[c.area_id].append(c)
    suggestions: list[Suggestion] = []
    for area_id in sorted(by_area):
        suggestions.extend(_group_area(by_area[area_id]))
    return suggestions


def _group_area(pool: list[Candidate]) -> list[Suggestion]:
    seeds = sorted(pool, key=lambda c: (-c.full_members, c.id))
    used: set[int] = set()
    result: list[Suggestion] = []
    for seed in seeds:
        if seed.id in used or seed.full_members >= rules.OWN_BRANCH_MIN_FULL_MEMBERS:
            continue
        others = sorted(
            (c for c in pool if c.id not in used and c.id != seed.id),
            key=lambda c: (distance_km(seed, c) + (0 if c.industry == seed.industry
                                                   else OTHER_INDUSTRY_PENALTY_KM), c.id))
        group = [seed]
        full = seed.full_members
        for other in others:
            if full >= rules.OWN_BRANCH_MIN_FULL_MEMBERS or len(group) >= rules.JOINT_BRANCH_MAX_UNITS:
                break
            if other.full_members == 0 and len(group) == rules.JOINT_BRANCH_MAX_UNITS - 1:
                continue  # the last place must bring full members
            group.append(other)
            full += other.full_members
        if full >= rules.OWN_BRANCH_MIN_FULL_MEMBERS:
            used.update(c.id for c in group)
            result.append(Suggestion(units=group))
    _attach_leftovers([c for c in seeds if c.id not in used], result)
    for suggestion in result:
        suggestion.max_distance_km = max(
            (distance_km(a, b) for a in suggestion.units for b in suggestion.units), default=0.0)
    return result


def _attach_leftovers(leftovers: list[Candidate], groups: list[Suggestion]) -> None:
    """A unit that could not start a group of its own joins the nearest group that has room, so
    that no small unit stays uncovered when a branch nearby can take it."""
    for unit in leftovers:
        open_groups = [g for g in groups if len(g.units) < rules.JOINT_BRANCH_MAX_UNITS]
        if not open_groups:
            return
        nearest = min(open_groups, key=lambda g: (min(distance_km(unit, u) for u in g.units),
                                                  g.units[0].id))
        nearest.units.append(unit)


def obeys_rules(suggestion: Suggestion) -> bool:
    units = suggestion.units
    return (2 <= len(units) <= rules.JOINT_BRANCH_MAX_UNITS
            and suggestion.full_members >= rules.OWN_BRANCH_MIN_FULL_MEMBERS
            and len({u.area_id for u in units}) == 1
            and len({u.id for u in units}) == len(units)
            and all(u.full_members < rules.OWN_BRANCH_MIN_FULL_MEMBERS for u in units))


def suggestions_for(actor: User) -> list[Suggestion]:
    return group_candidates(candidates_for(actor))
