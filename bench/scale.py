#!/usr/bin/env python
"""Page times as the registry grows: 20,000 → 200,000 → 1,000,000 organizations on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_scale .venv/bin/python bench/scale.py \
        --sizes 20000,200000,1000000 --repeat 15

For each size the organizations table is filled up to that size (the demo district first, then
synthetic rows by PostgreSQL COPY, kept for the next run), then every page below is requested
in-process through Django's full stack (middleware, session, scope, template) --repeat times,
beside a bare view that reads one organization by primary key (the reference). Prints the
median and p95 per page and its ratio to the bare view, then `RESULT {json}`.
"""
import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

PAGES = [
    ("bare view (reference)", "district", "/bench/bare/{org}/"),
    ("org list, district", "district", "/organizations/"),
    ("org list, township", "area", "/organizations/"),
    ("org list, name search", "district", "/organizations/?q=鑫盛"),
    ("org list, page 200", "district", "/organizations/?page=200"),
    ("org detail", "district", "/organizations/{org}/"),
    ("API org list", "district", "/api/registry/organizations?page=3"),
    ("dashboard", "district", "/dashboard/"),
    ("coverage", "district", "/coverage/"),
]


def ensure_database() -> None:
    """Create the database named by DATABASE_URL when it does not exist yet."""
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(os.environ.get("DATABASE_URL", ""))
    if "postgresql" not in cfg.get("ENGINE", ""):
        sys.exit("bench/scale.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    with psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432,
                         user=cfg["USER"], password=cfg["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sanxin.registry.models import Area

    if not Area.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("demo", scale=0.05, stdout=devnull)


def fill_to(size: int, log) -> None:
    """COPY synthetic organizations until the table holds `size` rows."""
    from django.db import connection
    from django.utils import timezone
    from stdnum.cn import uscc

    from sanxin.registry.models import Area, Organization

    have = Organization.objects.count()
    if have >= size:
        return
    started = time.perf_counter()
    rng = random.Random(size)
    areas = list(Area.objects.exclude(kind="district").values_list("id", flat=True))
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    now = timezone.now()
    columns = ["created_at", "updated_at", "name", "credit_code", "domain", "kind", "area_id",
               "industry", "employees", "status", "has_premises", "address", "contact_name",
               "contact_phone", "latitude", "longitude"]
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY registry_organization ({', '.join(columns)}) FROM STDIN") as copy:
        for i in range(have, size):
            body = "91500102" + "".join(rng.choice(alphabet) for _ in range(9))
            copy.write_row([now, now, f"重庆规模测试{i}鑫盛有限公司" if i % 50 == 0 else f"重庆规模测试{i}有限公司",
                            body + uscc.calc_check_digit(body),
                            "enterprise", "company", rng.choice(areas), rng.choice("CFHEGLO"),
                            int(rng.lognormvariate(1.9, 1.2)), "operating", True, "", "", "",
                            29.7 + rng.gauss(0, 0.1), 107.39 + rng.gauss(0, 0.1)])
    with connection.cursor() as cursor:
        # the steady state of a table autovacuum has visited: statistics and visibility map
        cursor.execute("VACUUM ANALYZE registry_organization")
    log(f"  filled {size - have:,} organizations in {time.perf_counter() - started:.0f} s")


def clients():
    from django.test import Client

    from sanxin.accounts.models import User

    result = {}
    for role, username in (("district", "demo_district"), ("area", "demo_dunren")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        result[role] = client
    return result


def install_bare_view() -> None:
    from django.http import HttpResponse
    from django.urls import clear_url_caches, path

    from config import urls
    from sanxin.registry.models import Organization

    def bare(request, pk: int):
        return HttpResponse(Organization.objects.values_list("name", flat=True).get(pk=pk))

    urls.urlpatterns.insert(0, path("bench/bare/<int:pk>/", bare))
    clear_url_caches()


def measure(size: int, repeat: int, log) -> dict:
    from sanxin.registry.models import Organization

    org = Organization.objects.filter(area__code="500102006").order_by("-id").values_list(
        "id", flat=True).first()
    by_role = clients()
    figures = {}
    for label, role, url in PAGES:
        url = url.format(org=org)
        client = by_role[role]
        first = client.get(url)
        if first.status_code == 404 and label in ("dashboard", "coverage"):
            continue
        assert first.status_code == 200, (url, first.status_code)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
        figures[label] = {"median_ms": round(statistics.median(times), 1),
                          "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))], 1)}
    bare = figures["bare view (reference)"]["median_ms"]
    log(f"\n{size:,} organizations")
    for label, f in figures.items():
        f["ratio_to_bare"] = round(f["median_ms"] / bare, 1)
        log(f"  {label:<24} median {f['median_ms']:>8.1f} ms   p95 {f['p95_ms']:>8.1f} ms   "
            f"×{f['ratio_to_bare']}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,200000")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup()
    install_bare_view()
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        fill_to(size, print)
        results[size] = measure(size, args.repeat, print)
    print("RESULT " + json.dumps({"bench": "scale", "repeat": args.repeat,
                                  "sizes": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
