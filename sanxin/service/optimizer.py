"""The point-to-point assignment optimizer: an exact min-cost flow (OR-Tools), free of Django.

Enterprise i may be served by officer j when j is active and j's home area is i's area or j is a
district-level officer (no area). The cost of a pair is the distance in metres, plus a penalty when
the officer does not know the enterprise's industry, plus (when rebalancing) a penalty for leaving
the current pair. That last penalty is large by default, which makes the solve lexicographic: first
keep as many current pairs as the rules and capacities allow, then minimize distance.

Areas are independent unless district-level officers with free capacity exist; without them every
area is solved on its own (and the per-area graphs are small), with them all areas form one graph
so that the result stays exactly optimal.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from ortools.graph.python import min_cost_flow

EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True)
class Enterprise:
    id: int
    area_id: int
    lat: float | None
    lng: float | None
    industry: str = ""
    current_officer: int | None = None
    pinned: bool = False  # a manual override: kept while its officer stays eligible


@dataclass(frozen=True)
class Officer:
    id: int
    area_id: int | None  # None: district level, may serve any area
    capacity: int
    lat: float | None
    lng: float | None
    industries: str = ""
    active: bool = True
    # enterprises outside the problem that this officer keeps serving (uses up capacity)
    outside_load: int = 0


@dataclass(frozen=True)
class Weights:
    industry_mismatch_m: int = 1_500   # an officer who knows the industry is worth 1.5 km
    keep_bonus_m: int = 1_000_000      # leaving a current pair costs more than any distance
    unknown_distance_m: int = 5_000    # missing coordinates on either side


class Mode:
    ASSIGN = "assign"        # keep every valid current pair; place only the rest
    REBALANCE = "rebalance"  # optimize everything, current pairs preferred by keep_bonus_m


@dataclass(frozen=True)
class Shortage:
    area_id: int
    enterprises: int   # enterprises of the area that need a place in this solve
    capacity: int      # free capacity of the area's own officers
    missing: int       # enterprises - capacity


class Infeasible(Exception):
    def __init__(self, shortages: list[Shortage], district_capacity: int, total_missing: int):
        super().__init__(f"capacity short by {total_missing}")
        self.shortages = shortages
        self.district_capacity = district_capacity
        self.total_missing = total_missing


@dataclass(frozen=True)
class Pair:
    enterprise_id: int
    officer_id: int
    distance_m: int | None
    industry_match: bool
    same_area: bool
    previous_officer: int | None
    reason: str  # kept | unassigned | officer_left | area_rule | capacity | optimized | manual

    @property
    def changed(self) -> bool:
        return self.officer_id != self.previous_officer


@dataclass
class Solution:
    pairs: list[Pair] = field(default_factory=list)
    total_distance_m: int = 0
    unknown_distance: int = 0
    graphs: int = 0
    arcs: int = 0
    seconds: float = 0.0

    @property
    def changes(self) -> list[Pair]:
        return [p for p in self.pairs if p.changed]


def eligible(officer: Officer, enterprise: Enterprise) -> bool:
    return officer.active and (officer.area_id is None or officer.area_id == enterprise.area_id)


def haversine_m(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray, lng2: np.ndarray,
                unknown_m: int) -> np.ndarray:
    """Great-circle distance (m) between every row of 1 and every column of 2, as int64."""
    la1, lo1 = np.radians(lat1)[:, None], np.radians(lng1)[:, None]
    la2, lo2 = np.radians(lat2)[None, :], np.radians(lng2)[None, :]
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    dist = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    return np.where(np.isnan(dist), unknown_m, np.rint(dist)).astype(np.int64)


def _coords(items) -> tuple[np.ndarray, np.ndarray]:
    lat = np.array([np.nan if x.lat is None else x.lat for x in items], dtype=float)
    lng = np.array([np.nan if x.lng is None else x.lng for x in items], dtype=float)
    return lat, lng


@cache
def _industry_bits(letters: str) -> int:
    bits = 0
    for letter in letters.upper():
        if "A" <= letter <= "Z":
            bits |= 1 << (ord(letter) - 65)
    return bits


def _why_moved(enterprise: Enterprise, officers: dict[int, Officer], overloaded: set[int]) -> str:
    previous = officers.get(enterprise.current_officer) if enterprise.current_officer else None
    if enterprise.current_officer is None:
        return "unassigned"
    if previous is None or not previous.active:
        return "officer_left"
    if not eligible(previous, enterprise):
        return "area_rule"
    if previous.id in overloaded:
        return "capacity"
    return "optimized"


def solve(enterprises: list[Enterprise], officers: list[Officer], mode: str = Mode.ASSIGN,
          weights: Weights | None = None, workers: int = 1) -> Solution:
    """The optimal plan for `enterprises`; raises Infeasible (and plans nothing) if capacity lacks."""
    weights = weights or Weights()
    started = time.perf_counter()
    by_id = {o.id: o for o in officers}
    free_capacity = {o.id: max(0, o.capacity - o.outside_load) if o.active else 0 for o in officers}
    current_load: dict[int, int] = defaultdict(int)
    for e in enterprises:
        if e.current_officer is not None:
            current_load[e.current_officer] += 1
    overloaded = {oid for oid, load in current_load.items()
                  if oid in by_id and load > free_capacity[oid]}

    kept: list[Pair] = []
    free: list[Enterprise] = []
    for e in enterprises:
        officer = by_id.get(e.current_officer) if e.current_officer is not None else None
        valid = officer is not None and eligible(officer, e)
        if valid and (e.pinned or mode == Mode.ASSIGN):
            kept.append(_pair(e, officer, weights, "manual" if e.pinned else "kept"))
            free_capacity[officer.id] = max(0, free_capacity[officer.id] - 1)
        else:
            free.append(e)
    _check_feasible(free, officers, free_capacity)

    solution = Solution(pairs=kept)
    groups = _components(free, officers, free_capacity)
    jobs = [(group_e, group_o) for group_e, group_o in groups if group_e]
    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda job: _solve_graph(*job, free_capacity, mode, weights,
                                                             by_id, overloaded), jobs))
    else:
        results = [_solve_graph(e, o, free_capacity, mode, weights, by_id, overloaded)
                   for e, o in jobs]
    for pairs, arcs in results:
        solution.pairs.extend(pairs)
        solution.arcs += arcs
        solution.graphs += 1
    solution.pairs.sort(key=lambda p: p.enterprise_id)
    known = [p.distance_m for p in solution.pairs if p.distance_m is not None]
    solution.total_distance_m = int(sum(known))
    solution.unknown_distance = len(solution.pairs) - len(known)
    solution.seconds = time.perf_counter() - started
    return solution


def distance_m(lat1: float | None, lng1: float | None, lat2: float | None,
               lng2: float | None) -> int | None:
    """Great-circle distance in metres, None when a coordinate is missing."""
    if None in (lat1, lng1, lat2, lng2):
        return None
    la1, la2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((la2 - la1) / 2) ** 2
         + math.cos(la1) * math.cos(la2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2)
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a))))


def _pair(e: Enterprise, o: Officer, weights: Weights, reason: str) -> Pair:
    distance = distance_m(e.lat, e.lng, o.lat, o.lng)
    return Pair(e.id, o.id, distance, bool(e.industry and e.industry in o.industries.upper()),
                o.area_id == e.area_id, e.current_officer, reason)


def _check_feasible(free: list[Enterprise], officers: list[Officer],
                    free_capacity: dict[int, int]) -> None:
    need: dict[int, int] = defaultdict(int)
    for e in free:
        need[e.area_id] += 1
    area_capacity: dict[int, int] = defaultdict(int)
    district_capacity = 0
    for o in officers:
        if o.area_id is None:
            district_capacity += free_capacity[o.id]
        else:
            area_capacity[o.area_id] += free_capacity[o.id]
    # District officers serve any area, so capacity suffices iff the areas' own shortfalls
    # together fit into the district officers' free capacity (Hall's condition here).
    shortages = [Shortage(area, n, area_capacity[area], n - area_capacity[area])
                 for area, n in sorted(need.items()) if n > area_capacity[area]]
    total_missing = sum(s.missing for s in shortages) - district_capacity
    if total_missing > 0:
        raise Infeasible(shortages, district_capacity, total_missing)


def _components(free: list[Enterprise], officers: list[Officer],
                free_capacity: dict[int, int]) -> list[tuple[list[Enterprise], list[Officer]]]:
    usable = [o for o in officers if free_capacity[o.id] > 0]
    district = [o for o in usable if o.area_id is None]
    if district:
        return [(free, usable)]
    by_area_e: dict[int, list[Enterprise]] = defaultdict(list)
    for e in free:
        by_area_e[e.area_id].append(e)
    by_area_o: dict[int, list[Officer]] = defaultdict(list)
    for o in usable:
        by_area_o[o.area_id].append(o)
    return [(by_area_e[a], by_area_o[a]) for a in sorted(by_area_e)]


def _solve_graph(enterprises: list[Enterprise], officers: list[Officer],
                 free_capacity: dict[int, int], mode: str, weights: Weights,
                 by_id: dict[int, Officer], overloaded: set[int]) -> tuple[list[Pair], int]:
    """Exact min-cost flow on one graph. Arcs are first limited to each enterprise's cheapest
    officers; the result is accepted only with a certificate of optimality for the complete
    graph (no negative cycle in its residual graph), else the candidate lists grow."""
    n, m = len(enterprises), len(officers)
    e_lat, e_lng = _coords(enterprises)
    o_lat, o_lng = _coords(officers)
    e_bits = np.array([_industry_bits(e.industry) for e in enterprises], dtype=np.int64)
    o_bits = np.array([_industry_bits(o.industries) for o in officers], dtype=np.int64)
    e_area = np.array([e.area_id for e in enterprises], dtype=np.int64)
    o_area = np.array([-1 if o.area_id is None else o.area_id for o in officers], dtype=np.int64)
    o_ids = np.array([o.id for o in officers], dtype=np.int64)
    e_current = np.array([-1 if e.current_officer is None else e.current_officer
                          for e in enterprises], dtype=np.int64)
    capacities = np.array([free_capacity[o.id] for o in officers], dtype=np.int64)

    blocks = []
    for rows, cols, split in _blocks(e_area, o_area):
        dist = haversine_m(e_lat[rows], e_lng[rows], o_lat[cols], o_lng[cols],
                           weights.unknown_distance_m)
        match = (e_bits[rows][:, None] & o_bits[cols][None, :]) != 0
        cost = dist + (~match) * weights.industry_mismatch_m
        if mode == Mode.REBALANCE:
            cost += (e_current[rows][:, None] != o_ids[cols][None, :]) * weights.keep_bonus_m
        blocks.append(_Block(rows, cols, cost, dist, match, split))

    widest = max(max(b.split, len(b.cols) - b.split) for b in blocks)
    k = min(widest, CANDIDATES)
    arcs_used = 0
    while True:
        officer_of = _min_cost_flow(n, m, blocks, capacities, k)
        arcs_used += sum(len(b.rows) * (min(k, b.split) + min(k, len(b.cols) - b.split))
                         for b in blocks)
        if officer_of is not None and (k >= widest or _certified(officer_of, blocks, capacities,
                                                                 m)):
            break
        if k >= widest:  # the complete graph is feasible (checked before): cannot happen
            raise RuntimeError("min-cost flow found no solution on the complete graph")
        k = min(widest, k * 4)

    pairs = []
    o_known = ~(np.isnan(o_lat) | np.isnan(o_lng))
    for block in blocks:
        col_pos = np.full(m, -1)
        col_pos[block.cols] = np.arange(len(block.cols))
        chosen = officer_of[block.rows]
        j = col_pos[chosen]
        r = np.arange(len(block.rows))
        known = ~(np.isnan(e_lat[block.rows]) | np.isnan(e_lng[block.rows])) & o_known[chosen]
        for row, col, dist, match, has_distance in zip(
                block.rows.tolist(), chosen.tolist(), block.dist[r, j].tolist(),
                block.match[r, j].tolist(), known.tolist(), strict=True):
            e = enterprises[row]
            o = officers[col]
            reason = "kept" if e.current_officer == o.id else _why_moved(e, by_id, overloaded)
            pairs.append(Pair(e.id, o.id, dist if has_distance else None,
                              bool(match and e.industry), o.area_id == e.area_id,
                              e.current_officer, reason))
    return pairs, arcs_used


CANDIDATES = 12  # first try: each enterprise's 12 cheapest officers


@dataclass
class _Block:
    rows: np.ndarray    # enterprise indices
    cols: np.ndarray    # officer indices allowed for them
    cost: np.ndarray    # rows × cols
    dist: np.ndarray
    match: np.ndarray
    split: int          # cols[:split] are the area's officers, cols[split:] district-level


def _min_cost_flow(n: int, m: int, blocks: list[_Block], capacities: np.ndarray,
                   k: int) -> np.ndarray | None:
    """Officer index per enterprise using each enterprise's k cheapest arcs; None if infeasible."""
    tails, heads, costs = [], [], []
    for b in blocks:
        pick = _cheapest(b.cost[:, :b.split], k)
        if b.split < len(b.cols):  # district-level officers are candidates of their own
            pick = np.hstack([pick, b.split + _cheapest(b.cost[:, b.split:], k)])
        tails.append(np.repeat(b.rows, pick.shape[1]))
        heads.append(b.cols[pick].ravel())
        costs.append(np.take_along_axis(b.cost, pick, axis=1).ravel())
    tail = np.concatenate(tails)
    head = np.concatenate(heads) + n
    cost = np.concatenate(costs)
    sink = n + m
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tail, head, np.ones(len(tail), dtype=np.int64), cost)
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(n, n + m, dtype=np.int64), np.full(m, sink, dtype=np.int64), capacities,
        np.zeros(m, dtype=np.int64))
    supplies = np.zeros(n + m + 1, dtype=np.int64)
    supplies[:n] = 1
    supplies[sink] = -n
    flow.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int64), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    chosen = flow.flows(pair_arcs) > 0
    officer_of = np.full(n, -1, dtype=np.int64)
    officer_of[tail[chosen]] = head[chosen] - n
    return officer_of


def _cheapest(cost: np.ndarray, k: int) -> np.ndarray:
    rows, cols = cost.shape
    if k >= cols:
        return np.broadcast_to(np.arange(cols), (rows, cols))
    return np.argpartition(cost, k - 1, axis=1)[:, :k]


def _certified(officer_of: np.ndarray, blocks: list[_Block], capacities: np.ndarray,
               m: int) -> bool:
    """True when no cheaper plan exists on the complete graph.

    A plan is optimal iff its residual graph has no negative cycle. Every cycle through an
    enterprise i enters from its officer a (undoing i→a, cost -c_ia) and leaves to another
    allowed officer b (cost c_ib), so the officers plus the sink form a graph with
    w(a, b) = min over i at a of (c_ib - c_ia), a → sink where a has room, sink → a where a
    serves someone; Bellman-Ford on it finds any negative cycle."""
    big = np.inf
    weight = np.full((m + 1, m + 1), big)
    for b in blocks:
        col_pos = np.full(m, -1)
        col_pos[b.cols] = np.arange(len(b.cols))
        owner = officer_of[b.rows]
        own = b.cost[np.arange(len(b.rows)), col_pos[owner]]
        delta = (b.cost - own[:, None]).astype(float)
        order = np.argsort(owner, kind="stable")
        officers_here, starts = np.unique(owner[order], return_index=True)
        best = np.minimum.reduceat(delta[order], starts, axis=0)  # per officer, per column
        block_view = weight[np.ix_(officers_here, b.cols)]
        weight[np.ix_(officers_here, b.cols)] = np.minimum(block_view, best)
    np.fill_diagonal(weight, big)
    load = np.bincount(officer_of, minlength=m)
    sink = m
    weight[np.flatnonzero(load < capacities), sink] = 0
    weight[sink, np.flatnonzero(load > 0)] = 0
    dist = np.zeros(m + 1)
    parent = np.full(m + 1, -1)
    for step in range(m + 1):
        through = dist[:, None] + weight
        best_from = through.argmin(axis=0)
        best = through[best_from, np.arange(m + 1)]
        better = best < dist
        if not better.any():
            return True
        dist = np.where(better, best, dist)
        parent = np.where(better, best_from, parent)
        # A cycle among the predecessors is a negative cycle: stop early instead of running
        # all m + 1 rounds.
        if step % 8 == 7 and _has_cycle(parent):
            return False
    return False


def _has_cycle(parent: np.ndarray) -> bool:
    """Whether following predecessor pointers (-1 = root) ever loops: pointer doubling."""
    n = len(parent)
    jump = np.where(parent < 0, n, parent)
    jump = np.append(jump, n)  # node n is the root's sentinel, pointing at itself
    for _ in range(int(np.ceil(np.log2(n + 1))) + 1):
        jump = jump[jump]
    return bool((jump[:n] != n).any())


def _blocks(e_area: np.ndarray, o_area: np.ndarray):
    """(enterprise rows, officer columns) blocks of allowed pairs: same area, or district level."""
    district_cols = np.flatnonzero(o_area == -1)
    for area in np.unique(e_area):
        rows = np.flatnonzero(e_area == area)
        own = np.flatnonzero(o_area == area)
        cols = np.concatenate([own, district_cols])
        if len(cols):
            yield rows, cols, len(own)


def greedy(enterprises: list[Enterprise], officers: list[Officer],
           weights: Weights | None = None) -> Solution:
    """The baseline: each enterprise in turn takes the nearest eligible officer with room left."""
    weights = weights or Weights()
    started = time.perf_counter()
    room = {o.id: max(0, o.capacity - o.outside_load) if o.active else 0 for o in officers}
    solution = Solution()
    o_lat, o_lng = _coords(officers)
    o_area = np.array([-1 if o.area_id is None else o.area_id for o in officers])
    by_area: dict[int, list[Enterprise]] = defaultdict(list)
    for e in enterprises:
        by_area[e.area_id].append(e)
    for area in sorted(by_area):
        rows = by_area[area]
        cols = np.flatnonzero((o_area == area) | (o_area == -1))
        e_lat, e_lng = _coords(rows)
        dist = haversine_m(e_lat, e_lng, o_lat[cols], o_lng[cols], weights.unknown_distance_m)
        order = np.argsort(dist, axis=1, kind="stable")
        for i, e in enumerate(rows):
            for k in order[i]:
                officer = officers[int(cols[k])]
                if room[officer.id] > 0:
                    room[officer.id] -= 1
                    solution.pairs.append(_pair(e, officer, weights, "greedy"))
                    break
            else:
                raise Infeasible([], 0, 1)
    solution.total_distance_m = sum(p.distance_m or 0 for p in solution.pairs)
    solution.seconds = time.perf_counter() - started
    return solution
