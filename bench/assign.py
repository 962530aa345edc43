#!/usr/bin/env python
"""Point-to-point assignment: the exact optimizer against a greedy baseline, on a synthetic,
seeded district; optionally end to end through the product on a database.

    .venv/bin/python bench/assign.py --enterprises 20000 --officers 1700 --areas 27
    .venv/bin/python bench/assign.py --enterprises 20000 --officers 1700 --areas 27 \
        --db postgres://postgres@127.0.0.1:5432/sx_service_bench

Prints the optimizer's time and total distance, the greedy nearest-with-capacity baseline's, the
gap, the share of assignments a rebalance changes after 5% of officers leave, and (with --db) the
product's own preview (loading from the database, solving, storing the plan) and apply times. The
last line is `RESULT {json}`. The --db database is flushed: its name must contain "bench".
"""
import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sanxin.service.optimizer import Enterprise, Mode, Officer, Weights, greedy, solve  # noqa: E402

CENTER = (29.70, 107.39)
DISTANCE_ONLY = Weights(industry_mismatch_m=0)


def synthetic(n: int, m: int, k: int, seed: int, capacity_slack: float = 1.15):
    """Areas scattered around a centre; enterprises and officers near their area's centre;
    officers per area in proportion to its enterprises, capacity with 15% slack."""
    rng = random.Random(seed)
    centers = [(CENTER[0] + rng.uniform(-0.3, 0.3), CENTER[1] + rng.uniform(-0.35, 0.35))
               for _ in range(k)]
    weights = [rng.lognormvariate(0, 0.6) for _ in range(k)]
    areas = rng.choices(range(k), weights, k=n)
    per_area = [areas.count(a) for a in range(k)]
    officers_per_area = [max(1, round(m * c / n)) for c in per_area]
    capacity = max(1, math.ceil(capacity_slack * max(
        c / o for c, o in zip(per_area, officers_per_area, strict=True))))
    industries = "CFHEILOGAK"
    enterprises = []
    for i, a in enumerate(areas):
        lat, lng = centers[a]
        enterprises.append(Enterprise(i + 1, a + 1, lat + rng.gauss(0, 0.02),
                                      lng + rng.gauss(0, 0.023), rng.choice(industries)))
    officers = []
    for a, count in enumerate(officers_per_area):
        lat, lng = centers[a]
        for _ in range(count):
            officers.append(Officer(len(officers) + 1, a + 1, capacity, lat + rng.gauss(0, 0.015),
                                    lng + rng.gauss(0, 0.017),
                                    "".join(rng.sample(industries, 2))))
    return enterprises, officers, capacity


def leave(officers, share: float, seed: int, enterprises=()) -> tuple[list[Officer], set[int]]:
    """A random `share` of officers leaves, skipping one whose area would then lack capacity
    (that is the infeasibility report's case, not a rebalance)."""
    rng = random.Random(seed + 1)
    room: dict[int, int] = {}
    for o in officers:
        room[o.area_id] = room.get(o.area_id, 0) + o.capacity
    for e in enterprises:
        room[e.area_id] -= 1
    gone: set[int] = set()
    for o in rng.sample(officers, len(officers)):
        if len(gone) >= round(share * len(officers)):
            break
        if room[o.area_id] >= o.capacity:
            room[o.area_id] -= o.capacity
            gone.add(o.id)
    return [Officer(o.id, o.area_id, o.capacity, o.lat, o.lng, o.industries, o.id not in gone)
            for o in officers], gone


def pure(args) -> dict:
    enterprises, officers, capacity = synthetic(args.enterprises, args.officers, args.areas,
                                                args.seed)
    print(f"synthetic district: {len(enterprises)} enterprises, {len(officers)} officers, "
          f"{args.areas} areas, capacity {capacity}, seed {args.seed}")
    best = solve(enterprises, officers, Mode.ASSIGN, DISTANCE_ONLY, workers=args.workers)
    print(f"optimizer (min-cost flow, per area): {best.seconds:.2f} s, "
          f"{best.total_distance_m / 1000:,.0f} km, {best.graphs} graphs, {best.arcs:,} arcs")
    base = greedy(enterprises, officers, DISTANCE_ONLY)
    gap = base.total_distance_m / best.total_distance_m - 1
    print(f"greedy nearest-with-capacity:        {base.seconds:.2f} s, "
          f"{base.total_distance_m / 1000:,.0f} km  → greedy is {gap:.1%} worse")
    product = solve(enterprises, officers, Mode.ASSIGN, Weights(), workers=args.workers)
    match = sum(p.industry_match for p in product.pairs) / len(product.pairs)
    print(f"optimizer with the industry term:    {product.seconds:.2f} s, "
          f"{product.total_distance_m / 1000:,.0f} km, industry known in {match:.0%} of pairs")
    by_e = {p.enterprise_id: p.officer_id for p in product.pairs}
    current = [Enterprise(e.id, e.area_id, e.lat, e.lng, e.industry, by_e[e.id])
               for e in enterprises]
    remaining, gone = leave(officers, args.leave, args.seed, enterprises)
    rebalance = solve(current, remaining, Mode.REBALANCE, Weights(), workers=args.workers)
    changed = len(rebalance.changes) / len(enterprises)
    print(f"rebalance after {len(gone)} officers ({args.leave:.0%}) leave: "
          f"{rebalance.seconds:.2f} s, {len(rebalance.changes)} changed ({changed:.1%})")
    return {"enterprises": len(enterprises), "officers": len(officers), "areas": args.areas,
            "optimizer_s": round(best.seconds, 3), "optimizer_km": round(best.total_distance_m / 1000),
            "greedy_s": round(base.seconds, 3), "greedy_km": round(base.total_distance_m / 1000),
            "greedy_gap": round(gap, 4), "industry_term_s": round(product.seconds, 3),
            "rebalance_s": round(rebalance.seconds, 3), "rebalance_changed_share": round(changed, 4),
            "optimizer_vs_greedy_time": round(best.seconds / base.seconds, 2)}


def end_to_end(args, pure_result: dict) -> dict:
    """Load a synthetic district into the database, then time the product's own services."""
    from urllib.parse import urlparse

    name = urlparse(args.db).path.lstrip("/")
    if "bench" not in name:
        raise SystemExit("--db must name a database whose name contains 'bench' (it is flushed)")
    _create_database(args.db, name)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    from sanxin.accounts.models import Role, User
    from sanxin.registry.models import Area, Organization
    from sanxin.service import services
    from sanxin.service.models import ServiceOfficer

    enterprises, officers, _capacity = synthetic(args.enterprises, args.officers, args.areas,
                                                 args.seed)
    t0 = time.perf_counter()
    root = Area.objects.create(code="500102", name="涪陵区", kind="district")
    areas = Area.objects.bulk_create(Area(code=f"500102{a:03d}", name=f"区域{a}", kind="town",
                                          parent=root) for a in range(1, args.areas + 1))
    area_pk = {a + 1: area.pk for a, area in enumerate(areas)}
    Organization.objects.bulk_create(
        (Organization(name=f"企业{e.id}", domain="enterprise", kind="company",
                      area_id=area_pk[e.area_id], industry=e.industry, latitude=e.lat,
                      longitude=e.lng, status="operating") for e in enterprises), batch_size=5000)
    users = User.objects.bulk_create(User(username=f"o{o.id}") for o in officers)
    ServiceOfficer.objects.bulk_create(
        (ServiceOfficer(user=u, area_id=area_pk[o.area_id], capacity=o.capacity, latitude=o.lat,
                        longitude=o.lng, industries=o.industries)
         for u, o in zip(users, officers, strict=True)), batch_size=5000)
    planner = User.objects.create(username="bench_district")
    Role.objects.create(user=planner, kind="district")
    print(f"database {connection.vendor} '{name}' loaded in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    plan = services.plan_preview(actor=planner, mode="assign", workers=args.workers)
    preview_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.plan_apply(actor=planner, plan=plan)
    apply_s = time.perf_counter() - t0
    print(f"product preview (load + solve + store plan): {preview_s:.2f} s "
          f"(solve {plan.solve_seconds:.2f} s), {plan.summary['total_distance_m'] / 1000:,.0f} km;"
          f" apply {len(plan.moves):,} assignments: {apply_s:.2f} s")
    _remaining, gone_synthetic = leave(officers, args.leave, args.seed, enterprises)
    pk_of = dict(zip([o.id for o in officers], [o.pk for o in ServiceOfficer.objects.filter(
        user__username__startswith="o").order_by("pk")], strict=True))
    gone = [pk_of[i] for i in gone_synthetic]
    ServiceOfficer.objects.filter(pk__in=gone).update(active=False)
    t0 = time.perf_counter()
    rebalance = services.plan_preview(actor=planner, mode="rebalance", workers=args.workers)
    rebalance_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    services.plan_apply(actor=planner, plan=rebalance)
    rebalance_apply_s = time.perf_counter() - t0
    changed = rebalance.summary["changed"] / len(enterprises)
    print(f"product rebalance after {len(gone)} officers leave: preview {rebalance_s:.2f} s, "
          f"apply {rebalance_apply_s:.2f} s, {rebalance.summary['changed']} changed ({changed:.1%})")
    ratio = preview_s / pure_result["industry_term_s"]
    print(f"end-to-end preview / pure solve in this run: {ratio:.2f}×")
    return {"db": connection.vendor, "e2e_preview_s": round(preview_s, 3),
            "e2e_solve_s": plan.solve_seconds, "e2e_apply_s": round(apply_s, 3),
            "e2e_km": round(plan.summary["total_distance_m"] / 1000),
            "e2e_rebalance_preview_s": round(rebalance_s, 3),
            "e2e_rebalance_apply_s": round(rebalance_apply_s, 3),
            "e2e_rebalance_changed_share": round(changed, 4),
            "e2e_preview_vs_pure_solve": round(ratio, 2)}


def _create_database(url: str, name: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=20_000)
    parser.add_argument("--officers", type=int, default=1_700)
    parser.add_argument("--areas", type=int, default=27)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--leave", type=float, default=0.05, help="share of officers who leave")
    parser.add_argument("--workers", type=int, default=1, help="threads for per-area solves")
    parser.add_argument("--db", default="", help="database URL for the end-to-end run")
    args = parser.parse_args()
    result = pure(args)
    if args.db:
        result.update(end_to_end(args, result))
    print("RESULT " + json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
