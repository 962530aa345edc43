#!/usr/bin/env python
"""Match proposals as a chain's market grows: 500 → 5,000 → 20,000 posts in one chain.

    .venv/bin/python bench/chains_matching.py --sizes 500,5000,20000 --repeat 15
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_chains .venv/bin/python \
        bench/chains_matching.py --sizes 500,5000,20000

A throw-away test database is created (Django's test-database machinery) and filled with one
chain of 4 links, one member enterprise per 4 posts, posts spread over 20 categories (half supply,
half need). For each size it times `propose_matches` for a need and for a supply, the chain's
market page through the full Django stack, and, as the reference measured in the same run, a
read of one post by primary key. Prints medians and p95 and their ratio to the reference, then
`RESULT {json}`.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

CATEGORIES = 20


def timed(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 3),
            "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 3)}


def fill(size: int, rng: random.Random):
    from sanxin.chains.models import Chain, ChainLink, ChainMember, Post
    from sanxin.registry.models import Area, Organization

    root, _ = Area.objects.get_or_create(code="500102", defaults={"name": "涪陵区",
                                                                   "kind": "district"})
    area, _ = Area.objects.get_or_create(code="500102006", defaults={
        "name": "敦仁街道", "kind": "subdistrict", "parent": root})
    chain = Chain.objects.create(name=f"bench-{size}")
    links = [ChainLink.objects.create(chain=chain, stage=s, name=f"step{i}", position=i)
             for i, s in enumerate(["upstream", "midstream", "midstream", "downstream"], 1)]
    n_orgs = max(2, size // 4)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"bench-{size}-{i}", domain="enterprise", kind="company", area=area,
                     industry="C", latitude=29.7 + rng.gauss(0, 0.1),
                     longitude=107.39 + rng.gauss(0, 0.1)) for i in range(n_orgs))
    members = ChainMember.objects.bulk_create(
        ChainMember(chain=chain, link=links[i % 4], organization=org)
        for i, org in enumerate(orgs))
    posts = []
    for i in range(size):
        member = rng.choice(members)
        posts.append(Post(member=member, chain=chain, organization_id=member.organization_id,
                          kind=rng.choice(["supply", "need"]), category=f"品类{i % CATEGORIES}",
                          quantity=Decimal(rng.randint(1, 1000)), starts_on=date(2024, 1, 1),
                          ends_on=date(2024, 12, 31)))
    Post.objects.bulk_create(posts, batch_size=2000)
    return chain


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from sanxin.chains.models import Post
    from sanxin.chains.selectors import propose_matches
    from tests.factories import user_with_role

    # no setup_test_environment(): its template instrumentation would dominate the page times
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rng = random.Random(7)
    results = []
    try:
        district = user_with_role("bench_district", "district")
        client = Client()
        client.force_login(district)
        client.get("/chains/")  # warm-up: URL and API modules load on the first request
        for size in [int(s) for s in args.sizes.split(",")]:
            chain = fill(size, rng)
            need = Post.objects.filter(chain=chain, kind="need", member__link__position=4).first()
            supply = Post.objects.filter(chain=chain, kind="supply",
                                         member__link__position=1).first()
            row = {"posts": size, "candidates_per_post": size // 2 // CATEGORIES}
            row["reference_pk_read"] = timed(lambda need=need: Post.objects.get(pk=need.pk), args.repeat)
            row["proposals_for_need"] = timed(lambda need=need: propose_matches(need), args.repeat)
            row["proposals_for_supply"] = timed(lambda supply=supply: propose_matches(supply), args.repeat)
            row["market_page"] = timed(lambda chain=chain: client.get(f"/chains/{chain.pk}/market/"),
                                       max(5, args.repeat // 3))
            ref = row["reference_pk_read"]["median_ms"] or 1e-9
            for key in ("proposals_for_need", "proposals_for_supply", "market_page"):
                row[key]["ratio_to_reference"] = round(row[key]["median_ms"] / ref, 1)
            results.append(row)
            print(f"{size:>6} posts ({row['candidates_per_post']} candidates/post): "
                  f"pk read {ref:.2f} ms | need {row['proposals_for_need']['median_ms']:.1f} ms "
                  f"(×{row['proposals_for_need']['ratio_to_reference']}) | supply "
                  f"{row['proposals_for_supply']['median_ms']:.1f} ms | market page "
                  f"{row['market_page']['median_ms']:.0f} ms "
                  f"(×{row['market_page']['ratio_to_reference']})", flush=True)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print("RESULT " + json.dumps({"bench": "chains_matching",
                                  "database": connection.vendor, "sizes": results},
                                 ensure_ascii=False))


if __name__ == "__main__":
    main()
