#!/usr/bin/env python
"""Times the dashboard (驾驶舱) page and its JSON at a given number of organizations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_bench .venv/bin/python bench/dashboard.py --orgs 1000000

Fills the organization table with generated rows (one INSERT … SELECT generate_series on
PostgreSQL), then requests the page as a district user (whole district), as a township user and
drilled into one area, --repeat times each, through Django's test client (no HTTP server). The
reference measured in the same run is one `SELECT count(*)` over the table. Prints the median and
95th percentile and ends with `RESULT {json}`. The goal in the issue: under 300 ms at 1,000,000. The page keeps
each user's figures for a minute (SANXIN_DASHBOARD_CACHE_SECONDS): "cached" is a repeat visit
or the wall display's refresh, "cold" clears the cache before each request.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UNITS = ["006", "007", "008", "009", "010", "011", "012", "013", "014", "015", "016", "103", "107", "118",
         "119", "120", "121", "122", "123", "125", "126", "128", "129", "130", "131", "206", "208"]


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]


def fill(orgs: int) -> None:
    from django.core.management import call_command

    from sanxin.accounts.models import Role, User
    from sanxin.registry.models import Area, Department, Organization

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(code="500102").exists():
        root = Area.objects.create(code="500102", name="涪陵区", kind="district")
        Area.objects.bulk_create(Area(code="500102" + u, name=f"单元{u}", kind="subdistrict", parent=root)
                                 for u in UNITS)
    for code, name in (("jingxinwei", "区经济信息委"), ("shangwuwei", "区商务委")):
        Department.objects.get_or_create(code=code, defaults={"name": name, "kind": "industry"})
    if Organization.objects.count() != orgs:
        _generate(orgs)
    from django.db.models import Sum

    from sanxin.coverage import summary
    from sanxin.coverage.models import CoverageCell

    if CoverageCell.objects.aggregate(n=Sum("n"))["n"] != orgs:  # rows came in by SQL, without signals
        summary.rebuild()
    # after the fill: TRUNCATE … CASCADE empties every table that points at organizations,
    # accounts_role among them (a user without a role sees nothing, and a page of zeros is fast)
    for username, kind, area in (("bench_district", "district", None),
                                 ("bench_area", "area", Area.objects.get(code="500102006"))):
        user, _created = User.objects.get_or_create(username=username)
        if not Role.objects.filter(user=user, kind=kind).exists():
            Role.objects.create(user=user, kind=kind, area=area)


def _generate(orgs: int) -> None:
    from django.db import connection

    from sanxin.registry.models import Area, Department, Organization

    table = Organization._meta.db_table
    area_ids = list(Area.objects.exclude(kind="district").order_by("id").values_list("id", flat=True))
    dept_ids = list(Department.objects.values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
        cursor.execute(f"""
            INSERT INTO {table} (created_at, updated_at, name, domain, kind, area_id, industry, authority_id,
                                 employees, workers, status, has_premises, address, contact_name, contact_phone,
                                 established)
            SELECT now(), now(), '基准单位' || g,
                   CASE WHEN g %% 25 = 0 THEN 'social' WHEN g %% 50 = 1 THEN 'new_employment' ELSE 'enterprise' END,
                   CASE WHEN g %% 25 = 0 THEN 'association' WHEN g %% 50 = 1 THEN 'courier' ELSE 'company' END,
                   (%s::bigint[])[1 + g %% %s], substr('ACEFGHILO', 1 + g %% 9, 1),
                   (%s::bigint[])[1 + g %% %s], g %% 60, CASE WHEN g %% 50 = 1 THEN g %% 40 END,
                   CASE WHEN g %% 20 = 0 THEN 'closed' ELSE 'operating' END, g %% 7 <> 0, '', '', '',
                   date '2015-01-01' + (g %% 4000)
            FROM generate_series(1, %s) AS g""", [area_ids, len(area_ids), dept_ids, len(dept_ids), orgs])
        cursor.execute(f"VACUUM ANALYZE {table}")


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm caches and the connection
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(name: str, samples: list[float]) -> dict:
    samples = sorted(samples)
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    out = {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(p95, 1)}
    print(f"{name:>28}: median {out['median_ms']:8.1f} ms   p95 {out['p95_ms']:8.1f} ms")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.registry.models import Organization

    if connection.vendor != "postgresql":
        raise SystemExit("bench/dashboard.py needs DATABASE_URL pointing at PostgreSQL")
    t0 = time.perf_counter()
    fill(args.orgs)
    print(f"{Organization.objects.count():,} organizations ready in {time.perf_counter() - t0:.1f} s")

    def client(username: str) -> Client:
        c = Client()
        c.force_login(User.objects.get(username=username))
        return c

    district, area = client("bench_district"), client("bench_area")
    shown = {f["key"]: f["value"] for f in district.get("/dashboard/data.json").json()["figures"]}
    if shown.get("organizations.total") != args.orgs:  # the page must show what it is timed on
        raise SystemExit(f"the district user sees {shown.get('organizations.total')} organizations, not {args.orgs}")

    from django.core.cache import cache

    def get(c: Client, path: str, cold: bool = False, **params):
        def run():
            if cold:
                cache.clear()  # the per-user minute cache: measure the aggregates themselves
            response = c.get(path, params)
            assert response.status_code == 200, response.status_code
        return run

    def count_all():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {Organization._meta.db_table}")
            cursor.fetchone()

    results = {
        "reference_count": summary("reference: SELECT count(*)", timed(count_all, args.repeat)),
        "district_page": summary("district page (cached)", timed(get(district, "/dashboard/"), args.repeat)),
        "district_page_cold": summary("district page (cold)", timed(get(district, "/dashboard/", cold=True),
                                                                     args.repeat)),
        "district_json_cold": summary("district JSON (cold)", timed(get(district, "/dashboard/data.json",
                                                                        cold=True), args.repeat)),
        "area_drill_page_cold": summary("district → one area (cold)", timed(
            get(district, "/dashboard/", cold=True, area="500102007"), args.repeat)),
        "area_user_page_cold": summary("township user page (cold)", timed(get(area, "/dashboard/", cold=True),
                                                                           args.repeat)),
    }
    ratio = round(results["district_page_cold"]["median_ms"] / results["reference_count"]["median_ms"], 2)
    print(f"cold district page / count(*) = {ratio}; goal: district page under 300 ms")
    print("RESULT " + json.dumps({"orgs": args.orgs, "repeat": args.repeat, **results,
                                  "ratio_page_to_count": ratio}))


if __name__ == "__main__":
    main()
