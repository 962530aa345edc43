#!/usr/bin/env python
"""The coverage engine against one hand-written SQL query, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_bench_coverage \
        .venv/bin/python bench/coverage.py --size 20000 --repeat 7

Builds --size organizations in the demo's proportions (2.1 % with a branch of their own, 1.2 % in
a joint branch of 2–5 units, 25 % with an instructor, 0.29 party members per organization) by
PostgreSQL COPY in the database DATABASE_URL names (its contents are replaced), then times the
coverage rates of the whole district grouped by area and by industry (a) through the engine, a
fresh computation, (b) by one hand-written SQL query (GROUPING SETS) and (c) from the summary
tables that the coverage page reads, checks that all three give the same numbers, and times the
coverage page itself, a summary rebuild, one organization saved (the summary refreshed by its
signal) and the import hook. Prints the medians and the ratio, then `RESULT {json}`.
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

# The demo's proportions per organization.
SINGLE_SHARE = 448 / 21_600
JOINT_UNITS_SHARE = 265 / 21_600
WORK_SHARE = 5_419 / 21_600
MEMBERS_PER_ORG = 6_358 / 21_600
INSTRUCTORS_PER_ORG = 435 / 21_600

HAND_SQL = """
WITH covering AS (
    SELECT t.organization_id, p.unit_count
    FROM party_partyorganization_units t
    JOIN party_partyorganization p ON p.id = t.partyorganization_id
    WHERE p.kind IN ('committee', 'general_branch', 'branch', 'joint_branch')
), single AS (SELECT DISTINCT organization_id FROM covering WHERE unit_count = 1
), joint AS (SELECT DISTINCT organization_id FROM covering WHERE unit_count > 1
), work AS (
    SELECT DISTINCT a.organization_id
    FROM party_instructorassignment a JOIN party_instructor i ON i.id = a.instructor_id
    WHERE a.ended_on IS NULL AND i.active
)
SELECT GROUPING(o.area_id) AS by_industry, o.area_id, o.industry, count(*) AS total,
       count(*) FILTER (WHERE s.organization_id IS NOT NULL) AS single,
       count(*) FILTER (WHERE s.organization_id IS NULL AND j.organization_id IS NOT NULL) AS joint,
       count(*) FILTER (WHERE s.organization_id IS NULL AND j.organization_id IS NULL
                        AND w.organization_id IS NOT NULL) AS work
FROM registry_organization o
LEFT JOIN single s ON s.organization_id = o.id
LEFT JOIN joint j ON j.organization_id = o.id
LEFT JOIN work w ON w.organization_id = o.id
WHERE o.is_sanyou
GROUP BY GROUPING SETS ((o.area_id), (o.industry))
"""


def ensure_database() -> None:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(os.environ.get("DATABASE_URL", ""))
    if "postgresql" not in cfg.get("ENGINE", ""):
        sys.exit("bench/coverage.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    with psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432,
                         user=cfg["USER"], password=cfg["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')


def setup() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(size: int, log) -> dict:
    """Replace the database's contents by `size` organizations and their coverage."""
    from django.db import connection
    from django.utils import timezone

    from sanxin.accounts.models import Role, User
    from sanxin.registry.codes import DISTRICT_CODE, PARKS, TOWNSHIP_UNITS
    from sanxin.registry.models import Area

    started = time.perf_counter()
    rng = random.Random(size)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registry_area, accounts_user RESTART IDENTITY CASCADE")
    district = Area.objects.create(code=DISTRICT_CODE, name="涪陵区", kind="district")
    Area.objects.bulk_create([Area(code=DISTRICT_CODE + s, name=n, kind=k, parent=district)
                              for s, n, k, _w in TOWNSHIP_UNITS]
                             + [Area(code=DISTRICT_CODE + s, name=n, kind="park", parent=district)
                                for s, n, _w in PARKS])
    areas = list(Area.objects.exclude(kind="district").values_list("id", flat=True))
    user = User.objects.create(username="bench_district")
    Role.objects.create(user=user, kind="district")
    with connection.cursor() as cursor:
        _copy(cursor, "registry_organization",
              ["created_at", "updated_at", "name", "domain", "kind", "area_id", "industry",
               "employees", "status", "has_premises", "address", "contact_name", "contact_phone"],
              ([now, now, f"重庆覆盖测试{i}有限公司", "enterprise", "company", rng.choice(areas),
                rng.choice("CFHEGLOAI"), int(rng.lognormvariate(1.9, 1.2)),
                "operating" if rng.random() < 0.92 else "suspended", rng.random() < 0.9, "", "", ""]
               for i in range(size)))
        cursor.execute("SELECT min(id), max(id) FROM registry_organization")
        first, last = cursor.fetchone()
        ids = list(range(first, last + 1))
        rng.shuffle(ids)
        n_single = int(size * SINGLE_SHARE)
        single_units = ids[:n_single]
        joint_pool = ids[n_single:n_single + int(size * JOINT_UNITS_SHARE)]
        joint_groups = []
        while joint_pool:
            width = rng.randint(2, 5)
            joint_groups.append(joint_pool[:width])
            joint_pool = joint_pool[width:]
        party_rows = ([("branch", [u]) for u in single_units]
                      + [("joint_branch", g) for g in joint_groups])
        _copy(cursor, "party_partyorganization",
              ["created_at", "updated_at", "name", "kind", "area_id", "unit_count", "committee_size"],
              ([now, now, f"测试党组织{i}", kind, rng.choice(areas), len(units), 0]
               for i, (kind, units) in enumerate(party_rows)))
        cursor.execute("SELECT min(id) FROM party_partyorganization")
        po_first = cursor.fetchone()[0]
        _copy(cursor, "party_partyorganization_units", ["partyorganization_id", "organization_id"],
              ((po_first + i, u) for i, (_k, units) in enumerate(party_rows) for u in units))
        n_members = int(size * MEMBERS_PER_ORG)
        _copy(cursor, "party_member",
              ["created_at", "updated_at", "name", "status", "party_organization_id", "employer_id",
               "gender", "id_number", "phone", "is_flowing", "role"],
              ([now, now, f"党员{i}", "full" if rng.random() < 0.88 else "probationary",
                po_first + (i % len(party_rows)), rng.choice(party_rows[i % len(party_rows)][1]),
                "M", "", "", False, "member"] for i in range(n_members)))
        n_instructors = max(1, int(size * INSTRUCTORS_PER_ORG))
        _copy(cursor, "party_instructor",
              ["created_at", "updated_at", "name", "kind", "phone", "area_id", "employer", "active"],
              ([now, now, f"指导员{i}", "instructor", "", rng.choice(areas), "", True]
               for i in range(n_instructors)))
        cursor.execute("SELECT min(id) FROM party_instructor")
        ins_first = cursor.fetchone()[0]
        work_units = rng.sample(ids, int(size * WORK_SHARE))
        _copy(cursor, "party_instructorassignment", ["instructor_id", "organization_id", "started_on"],
              ((ins_first + k % n_instructors, u, now.date()) for k, u in enumerate(work_units)))
        cursor.execute("ANALYZE")
    log(f"built {size:,} organizations, {len(party_rows):,} party organizations, {n_members:,} members, "
        f"{len(work_units):,} instructor assignments in {time.perf_counter() - started:.0f} s")
    return {"party_organizations": len(party_rows), "members": n_members,
            "assignments": len(work_units)}


def _numbers(report) -> dict:
    return {(grouping, c.key): (c.total, c.single, c.joint, c.work)
            for grouping, groups in report[1].items() for c in groups}


def engine_numbers(actor) -> dict:
    """A fresh computation by the engine, as the page did before the summary."""
    from sanxin.coverage import engine
    from sanxin.coverage.selectors import CoverageFilter, filtered_organizations

    return _numbers(engine.coverage_counts(filtered_organizations(actor, CoverageFilter()),
                                           ["area", "industry"]))


def summary_numbers(actor) -> dict:
    """The same from the summary's cells, as the page reads them now."""
    from sanxin.coverage import summary
    from sanxin.coverage.selectors import CoverageFilter

    return _numbers(summary.summary_counts(actor, CoverageFilter(), ["area", "industry"]))


def write_costs(repeat: int) -> dict:
    """What keeping the summary costs a writer: one organization saved (its signal refreshes it),
    the import's hook after 100 organizations were updated in bulk, and the hook's full pass
    (no `since`: every organization compared with its summary row)."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from sanxin.coverage import summary
    from sanxin.registry.models import Organization

    middle = Organization.objects.count() // 2
    org = Organization.objects.order_by("id")[middle]
    batch = list(Organization.objects.order_by("id").values_list("pk", flat=True)[middle:middle + 100])

    def save_one():
        with transaction.atomic():
            org.employees = (org.employees or 0) + 1
            org.save()

    def import_hook():
        started = timezone.now()
        Organization.objects.filter(pk__in=batch).update(employees=F("employees") + 7,
                                                         updated_at=timezone.now())
        t0 = time.perf_counter()
        summary.after_bulk_write(Organization, since=started)
        return (time.perf_counter() - t0) * 1000

    save_ms = timed(save_one, repeat)[0]
    with transaction.atomic():
        hook_ms = statistics.median(import_hook() for _ in range(repeat))
    full_ms = timed(summary.refresh_registry_changes, max(1, repeat // 3))[0]
    return {"save_one_ms": round(save_ms, 1), "import_hook_ms": round(hook_ms, 1),
            "full_pass_ms": round(full_ms, 1)}


def hand_numbers() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL)
        rows = cursor.fetchall()
    return {(("industry", industry) if by_industry else ("area", area_id)): (total, single, joint, work)
            for by_industry, area_id, industry, total, single, joint, work in rows}


def timed(fn, repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), value


def page_time(actor, repeat: int) -> float:
    from django.test import Client

    client = Client()
    client.force_login(actor)
    assert client.get("/coverage/").status_code == 200
    return timed(lambda: client.get("/coverage/"), repeat)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup()
    from sanxin.accounts.models import User

    built = build(args.size, print)
    from sanxin.coverage import summary

    t0 = time.perf_counter()
    summary.rebuild()
    rebuild_ms = (time.perf_counter() - t0) * 1000
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    actor = User.objects.get(username="bench_district")
    engine_result, hand_result = engine_numbers(actor), hand_numbers()  # warm both
    engine_times, hand_times = [], []
    for _ in range(args.repeat):  # interleaved, so that the load of a shared machine hits both alike
        engine_times.append(timed(lambda: engine_numbers(actor), 1)[0])
        hand_times.append(timed(hand_numbers, 1)[0])
    engine_ms, hand_ms = statistics.median(engine_times), statistics.median(hand_times)
    summary_ms, summary_result = timed(lambda: summary_numbers(actor), args.repeat)
    agree = engine_result == hand_result == summary_result
    page_ms = page_time(actor, max(3, args.repeat // 2))
    costs = write_costs(args.repeat)
    ratio = engine_ms / hand_ms
    print(f"{args.size:,} organizations, rates by area and by industry (median of {args.repeat}):")
    print(f"  engine (ORM)      {engine_ms:9.1f} ms")
    print(f"  hand-written SQL  {hand_ms:9.1f} ms   engine / SQL = {ratio:.2f}")
    print(f"  summary (cells)   {summary_ms:9.1f} ms   summary / SQL = {summary_ms / hand_ms:.3f}")
    print(f"  coverage page     {page_ms:9.1f} ms   (full stack, district user, reads the summary)")
    print(f"  summary rebuild   {rebuild_ms:9.1f} ms   one organization saved {costs['save_one_ms']} ms,"
          f" import hook after 100 rows {costs['import_hook_ms']} ms, full pass {costs['full_pass_ms']} ms")
    print(f"  numbers agree (engine, SQL, summary): {agree}")
    if not agree:
        diff = {k: (engine_result.get(k), hand_result.get(k))
                for k in set(engine_result) | set(hand_result) if engine_result.get(k) != hand_result.get(k)}
        print(f"  differences: {list(diff.items())[:5]}")
    print("RESULT " + json.dumps({
        "bench": "coverage", "size": args.size, "repeat": args.repeat, **built,
        "engine_ms": round(engine_ms, 1), "hand_sql_ms": round(hand_ms, 1),
        "ratio": round(ratio, 2), "summary_ms": round(summary_ms, 1), "page_ms": round(page_ms, 1),
        "rebuild_ms": round(rebuild_ms, 1), **costs, "agree": agree,
        "load": os.getloadavg()[0]}))
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
