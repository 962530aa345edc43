"""The optimizer against brute force on small instances, its infeasibility report and the
stability of a rebalance. Pure functions: no database."""
import itertools
import random

import pytest

from sanxin.service.optimizer import (
    Enterprise,
    Infeasible,
    Mode,
    Officer,
    Weights,
    distance_m,
    eligible,
    greedy,
    solve,
)

WEIGHTS = Weights(industry_mismatch_m=700, keep_bonus_m=100_000)


def cost(e: Enterprise, o: Officer, mode: str, weights: Weights = WEIGHTS) -> int:
    value = distance_m(e.lat, e.lng, o.lat, o.lng)
    if not (e.industry and e.industry in o.industries):
        value += weights.industry_mismatch_m
    if mode == Mode.REBALANCE and e.current_officer != o.id:
        value += weights.keep_bonus_m
    return value


def brute_force(enterprises, officers, mode) -> int | None:
    """Every assignment that respects areas and capacities; the least total cost."""
    choices = [[o for o in officers if eligible(o, e)] for e in enterprises]
    best = None
    for combo in itertools.product(*choices):
        load: dict[int, int] = {}
        for o in combo:
            load[o.id] = load.get(o.id, 0) + 1
        if any(load[o.id] > o.capacity for o in officers if o.id in load):
            continue
        total = sum(cost(e, o, mode) for e, o in zip(enterprises, combo, strict=True))
        best = total if best is None or total < best else best
    return best


def random_instance(rng: random.Random, district_officer: bool, with_current: bool):
    areas = [1, 2]
    officers = [Officer(j, rng.choice(areas), rng.randint(1, 3), 29.7 + rng.uniform(0, 0.1),
                        107.4 + rng.uniform(0, 0.1), rng.choice(["C", "F", "CF", ""]))
                for j in range(1, 4)]
    if district_officer:
        officers.append(Officer(9, None, rng.randint(1, 2), 29.75, 107.45, "C"))
    enterprises = []
    for i in range(rng.randint(3, 6)):
        current = rng.choice([None] + [o.id for o in officers]) if with_current else None
        enterprises.append(Enterprise(100 + i, rng.choice(areas), 29.7 + rng.uniform(0, 0.1),
                                      107.4 + rng.uniform(0, 0.1), rng.choice("CFH"), current))
    return enterprises, officers


def solution_cost(solution, enterprises, officers, mode) -> int:
    by_e = {e.id: e for e in enterprises}
    by_o = {o.id: o for o in officers}
    return sum(cost(by_e[p.enterprise_id], by_o[p.officer_id], mode) for p in solution.pairs)


@pytest.mark.parametrize("seed", range(40))
def test_matches_brute_force_optimum(seed):
    rng = random.Random(seed)
    enterprises, officers = random_instance(rng, district_officer=seed % 2 == 0,
                                            with_current=seed % 3 == 0)
    mode = Mode.REBALANCE if seed % 3 == 0 else Mode.ASSIGN
    if mode == Mode.ASSIGN:
        enterprises = [Enterprise(e.id, e.area_id, e.lat, e.lng, e.industry) for e in enterprises]
    best = brute_force(enterprises, officers, mode)
    if best is None:
        with pytest.raises(Infeasible):
            solve(enterprises, officers, mode, WEIGHTS)
        return
    solution = solve(enterprises, officers, mode, WEIGHTS)
    assert len(solution.pairs) == len(enterprises)
    assert solution_cost(solution, enterprises, officers, mode) == best


def test_known_small_optimum_beats_greedy():
    """Greedy gives the shared nearest officer to the first enterprise; the optimum does not."""
    officers = [Officer(1, 1, 1, 29.700, 107.400), Officer(2, 1, 1, 29.700, 107.430)]
    first = Enterprise(10, 1, 29.700, 107.410)   # 1.0 km from 1, 1.9 km from 2
    second = Enterprise(11, 1, 29.700, 107.401)  # 0.1 km from 1, 2.8 km from 2
    weights = Weights(industry_mismatch_m=0)
    best = solve([first, second], officers, Mode.ASSIGN, weights)
    base = greedy([first, second], officers, weights)
    assert {(p.enterprise_id, p.officer_id) for p in best.pairs} == {(10, 2), (11, 1)}
    assert best.total_distance_m < base.total_distance_m


def test_industry_preference_breaks_near_ties():
    officers = [Officer(1, 1, 1, 29.7, 107.400, "F"), Officer(2, 1, 1, 29.7, 107.405, "C")]
    e = Enterprise(10, 1, 29.7, 107.401, "C")  # 100 m from the F officer, 400 m from the C one
    assert solve([e], officers, Mode.ASSIGN, Weights(industry_mismatch_m=1_000)).pairs[0].officer_id == 2
    assert solve([e], officers, Mode.ASSIGN, Weights(industry_mismatch_m=0)).pairs[0].officer_id == 1


def test_area_rule_and_capacities_hold_on_a_larger_instance():
    rng = random.Random(5)
    officers = [Officer(j, j % 4, 5, 29.7 + rng.uniform(0, .2), 107.4 + rng.uniform(0, .2))
                for j in range(1, 40)] + [Officer(99, None, 10, 29.8, 107.5)]
    enterprises = [Enterprise(i, rng.randrange(4), 29.7 + rng.uniform(0, .2),
                              107.4 + rng.uniform(0, .2)) for i in range(170)]
    solution = solve(enterprises, officers, Mode.ASSIGN)
    by_o = {o.id: o for o in officers}
    by_e = {e.id: e for e in enterprises}
    load: dict[int, int] = {}
    for p in solution.pairs:
        o, e = by_o[p.officer_id], by_e[p.enterprise_id]
        assert o.area_id is None or o.area_id == e.area_id
        assert p.same_area == (o.area_id == e.area_id)
        load[o.id] = load.get(o.id, 0) + 1
    assert all(load[o] <= by_o[o].capacity for o in load)
    assert sorted(p.enterprise_id for p in solution.pairs) == sorted(by_e)


def test_infeasible_reports_each_short_area_and_plans_nothing():
    officers = [Officer(1, 1, 2, 29.7, 107.4), Officer(2, 2, 5, 29.7, 107.4)]
    enterprises = [Enterprise(i, 1, 29.7, 107.4) for i in range(5)] + [
        Enterprise(10 + i, 2, 29.7, 107.4) for i in range(3)]
    with pytest.raises(Infeasible) as info:
        solve(enterprises, officers, Mode.ASSIGN)
    assert [(s.area_id, s.enterprises, s.capacity, s.missing) for s in info.value.shortages] == [
        (1, 5, 2, 3)]
    assert info.value.total_missing == 3
    # a district-level officer with room for exactly the shortfall makes it feasible
    district = Officer(3, None, 3, 29.7, 107.4)
    assert len(solve(enterprises, officers + [district], Mode.ASSIGN).pairs) == 8
    with pytest.raises(Infeasible) as info:
        solve(enterprises, officers + [Officer(3, None, 2, 29.7, 107.4)], Mode.ASSIGN)
    assert info.value.total_missing == 1 and info.value.district_capacity == 2


def test_inactive_officers_and_zero_capacity_count_for_nothing():
    officers = [Officer(1, 1, 5, 29.7, 107.4, active=False), Officer(2, 1, 1, 29.7, 107.4)]
    enterprises = [Enterprise(1, 1, 29.7, 107.4), Enterprise(2, 1, 29.7, 107.4)]
    with pytest.raises(Infeasible) as info:
        solve(enterprises, officers, Mode.ASSIGN)
    assert info.value.shortages[0].capacity == 1


def _district(seed: int, n_officers: int = 60, per_officer: int = 8):
    rng = random.Random(seed)
    officers = [Officer(j, j % 3, 10, 29.7 + rng.uniform(0, .1), 107.4 + rng.uniform(0, .1),
                        rng.choice("CF")) for j in range(n_officers)]
    enterprises = [Enterprise(i, i % 3, 29.7 + rng.uniform(0, .1), 107.4 + rng.uniform(0, .1),
                              rng.choice("CFH")) for i in range(n_officers * per_officer)]
    return enterprises, officers


def _with_current(enterprises, solution, pinned=frozenset()):
    by_e = {p.enterprise_id: p.officer_id for p in solution.pairs}
    return [Enterprise(e.id, e.area_id, e.lat, e.lng, e.industry, by_e[e.id], e.id in pinned)
            for e in enterprises]


def test_rebalance_after_officers_leave_moves_only_their_enterprises():
    enterprises, officers = _district(1)
    first = solve(enterprises, officers, Mode.ASSIGN)
    current = _with_current(enterprises, first)
    leaving = {o.id for o in officers[:3]}  # 5% of 60
    officers2 = [Officer(o.id, o.area_id, o.capacity, o.lat, o.lng, o.industries,
                         active=o.id not in leaving) for o in officers]
    second = solve(current, officers2, Mode.REBALANCE)
    changed = {p.enterprise_id for p in second.changes}
    orphaned = {e.id for e in current if e.current_officer in leaving}
    assert changed == orphaned
    assert len(changed) < 0.10 * len(enterprises)
    assert {p.reason for p in second.changes} == {"officer_left"}
    assert all(p.officer_id not in leaving for p in second.pairs)


def test_rebalance_without_change_is_a_no_op_and_capacity_cut_moves_the_fewest():
    enterprises, officers = _district(2)
    current = _with_current(enterprises, solve(enterprises, officers, Mode.ASSIGN))
    assert solve(current, officers, Mode.REBALANCE).changes == []
    victim = max(officers, key=lambda o: sum(e.current_officer == o.id for e in current))
    load = sum(e.current_officer == victim.id for e in current)
    cut = [Officer(o.id, o.area_id, load - 2 if o.id == victim.id else o.capacity, o.lat, o.lng,
                   o.industries) for o in officers]
    changes = solve(current, cut, Mode.REBALANCE).changes
    assert len(changes) == 2
    assert {p.previous_officer for p in changes} == {victim.id}
    assert {p.reason for p in changes} == {"capacity"}


def test_pinned_manual_pair_survives_a_rebalance_that_would_move_it():
    officers = [Officer(1, 1, 1, 29.7, 107.40), Officer(2, 1, 1, 29.7, 107.50)]
    near_2 = Enterprise(10, 1, 29.7, 107.41, current_officer=2, pinned=True)
    solution = solve([near_2], officers, Mode.REBALANCE, Weights(keep_bonus_m=0))
    assert solution.pairs[0].officer_id == 2 and solution.changes == []
    unpinned = Enterprise(10, 1, 29.7, 107.41, current_officer=2)
    assert solve([unpinned], officers, Mode.REBALANCE, Weights(keep_bonus_m=0)).pairs[0].officer_id == 1


def test_assign_mode_keeps_valid_pairs_and_places_the_rest():
    officers = [Officer(1, 1, 2, 29.7, 107.40), Officer(2, 1, 2, 29.7, 107.50)]
    kept = Enterprise(10, 1, 29.7, 107.41, current_officer=2)  # far from 2, but valid: kept
    new = Enterprise(11, 1, 29.7, 107.41)
    solution = solve([kept, new], officers, Mode.ASSIGN)
    assert {(p.enterprise_id, p.officer_id) for p in solution.pairs} == {(10, 2), (11, 1)}
    assert [p.enterprise_id for p in solution.changes] == [11]


def test_parallel_solve_equals_sequential():
    enterprises, officers = _district(3)
    one = solve(enterprises, officers, Mode.ASSIGN)
    two = solve(enterprises, officers, Mode.ASSIGN, workers=2)
    assert one.total_distance_m == two.total_distance_m and one.graphs == 3


def test_missing_coordinates_still_assign_with_unknown_distance():
    officers = [Officer(1, 1, 2, None, None)]
    solution = solve([Enterprise(1, 1, 29.7, 107.4)], officers, Mode.ASSIGN)
    assert solution.pairs[0].distance_m is None and solution.unknown_distance == 1


def _sparse_against_complete(seed, monkeypatch) -> list[bool] | None:
    """The solver first keeps each enterprise's few cheapest officers and accepts the result only
    with a proof of optimality; tight capacities force the proof to fail and the lists to grow."""
    from sanxin.service import optimizer

    rng = random.Random(seed)
    officers = [Officer(j, j % 2, rng.randint(1, 4), 29.7 + rng.uniform(0, .1),
                        107.4 + rng.uniform(0, .1), rng.choice("CF")) for j in range(40)]
    if seed % 2:
        officers += [Officer(100 + j, None, 3, 29.75, 107.45 + j / 100, "C") for j in range(5)]
    capacity = sum(o.capacity for o in officers)
    enterprises = [Enterprise(i, rng.randrange(2), 29.7 + rng.uniform(0, .1),
                              107.4 + rng.uniform(0, .1), rng.choice("CFH"))
                   for i in range(int(capacity * 0.8))]
    mode = Mode.ASSIGN
    try:
        monkeypatch.setattr(optimizer, "CANDIDATES", 10_000)
        complete = solve(enterprises, officers, mode, WEIGHTS)
    except Infeasible:
        return None
    certified = []
    real = optimizer._certified
    monkeypatch.setattr(optimizer, "_certified", lambda *a: certified.append(real(*a)) or
                        certified[-1])
    monkeypatch.setattr(optimizer, "CANDIDATES", 1)
    sparse = solve(enterprises, officers, mode, WEIGHTS)
    assert solution_cost(sparse, enterprises, officers, mode) == solution_cost(
        complete, enterprises, officers, mode)
    assert certified[-1] is True  # accepted with a proof, not by falling back to all arcs
    return certified


@pytest.mark.parametrize("seed", range(6))
def test_candidate_arcs_with_certificate_equal_the_complete_graph(seed, monkeypatch):
    _sparse_against_complete(seed, monkeypatch)


def test_a_failed_proof_makes_the_candidate_lists_grow(monkeypatch):
    outcomes = [_sparse_against_complete(seed, monkeypatch) for seed in range(6)]
    assert any(False in run for run in outcomes if run)


def test_predecessor_cycle_detection():
    from sanxin.service.optimizer import _has_cycle

    assert not _has_cycle(__import__("numpy").array([-1, 0, 1, 1]))
    assert _has_cycle(__import__("numpy").array([-1, 2, 3, 1]))
