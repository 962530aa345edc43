"""Party-life benchmark: a year of meetings for a district-sized party world, then compliance.

Builds, in a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL), the
registry demo at --scale plus a synthetic party world of --branches branches holding --members
members in all (the source: 531 organizations, 6,358 members), runs the party-life demo step on
it, and measures:
  - the demo step (meetings with per-member attendance, study, vanguard, volunteering);
  - compliance for the year over every branch: the selector (one read of all meetings) against
    a reference that asks the database once per branch and rule, measured in the same run;
  - the compliance page over HTTP for the district user.
Prints figures and ends with one line `RESULT {json}`.

    .venv/bin/python bench/partylife.py [--branches 531] [--members 6358] [--scale 0.2]
"""
import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def synthetic_party_world(n_branches: int, n_members: int, rng: random.Random) -> None:
    from sanxin.party.models import Member, PartyOrganization
    from sanxin.registry.models import Organization

    units = list(Organization.objects.order_by("id")[:n_branches])
    orgs = [PartyOrganization(name=f"{u.name}党支部", kind="branch", area_id=u.area_id)
            for u in units]
    PartyOrganization.objects.bulk_create(orgs)
    through = PartyOrganization.units.through
    through.objects.bulk_create(through(partyorganization_id=o.pk, organization_id=u.pk)
                                for o, u in zip(orgs, units, strict=True))
    weights = [rng.lognormvariate(0, 0.8) for _ in orgs]
    scale = n_members / sum(weights)
    members = []
    for org, unit, weight in zip(orgs, units, weights, strict=True):
        for i in range(max(3, round(weight * scale))):
            members.append(Member(name=f"党员{org.pk}-{i}", status="full", party_organization=org,
                                  employer=unit))
    Member.objects.bulk_create(members[:max(n_members, 3 * len(orgs))], batch_size=5000)


def reference_compliance(year: int, on) -> int:
    """One query per branch and rule: what a straightforward page would do."""
    from datetime import date

    from sanxin.party.models import PartyOrganization
    from sanxin.partylife import rules
    from sanxin.partylife.models import Meeting

    missing = 0
    for org in PartyOrganization.objects.filter(kind__in=rules.BRANCH_KINDS):
        full = org.members.filter(status="full").count()
        facts = rules.BranchFacts(kind=org.kind, full_members=full)
        for rule in rules.FREQUENCY_RULES:
            if not rule.applies(facts):
                continue
            meetings = [(h, c or h) for h, c in Meeting.objects.filter(
                party_organization=org, kind=rule.meeting_kind, status="held",
                held_on__year__gte=year).values_list("held_on", "counts_for")]
            for start in rules.periods_between(date(year, 1, 1), min(date(year, 12, 31), on),
                                               rule.period):
                missing += rules.check_period(rule, start, meetings, on) == "missing"
    return missing


def timed(fn, *args, repeat: int = 1):
    best = None
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=531)
    parser.add_argument("--members", type=int, default=6358)
    parser.add_argument("--scale", type=float, default=0.2, help="registry demo scale")
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    from django.test import Client
    from django.utils import timezone

    from sanxin.accounts.models import User
    from sanxin.demo.steps import DemoContext
    from sanxin.partylife import demo as partylife_demo
    from sanxin.partylife.models import Attendance, Meeting, StudyRecord
    from sanxin.partylife.selectors import branch_compliance
    from sanxin.registry import demo as registry_demo

    rng = random.Random(7)
    ctx = DemoContext(rng=random.Random(20260101), scale=args.scale, log=lambda _m: None)
    registry_demo.build(ctx)
    synthetic_party_world(args.branches, args.members, rng)
    build_s, _ = timed(partylife_demo.build, ctx)
    meetings, attendance = Meeting.objects.count(), Attendance.objects.count()
    study = StudyRecord.objects.count()
    print(f"database: {connection.vendor}; branches {args.branches}, members {args.members}")
    print(f"demo step: {build_s:.1f} s for {meetings} meetings, {attendance} attendance rows, "
          f"{study} study records")

    district = User.objects.get(username="demo_district")
    today = timezone.localdate()
    selector_s, rows = timed(branch_compliance, district, today.year, repeat=3)
    reference_s, ref_missing = timed(reference_compliance, today.year, today, repeat=1)
    assert sum(r.missing for r in rows) == ref_missing, "selector and reference disagree"
    print(f"compliance for {len(rows)} branches: selector {selector_s * 1000:.0f} ms, "
          f"per-branch reference {reference_s * 1000:.0f} ms, "
          f"ratio {reference_s / selector_s:.1f}x")

    client = Client()
    client.force_login(district)
    page_s, response = timed(lambda: client.get("/partylife/compliance/"), repeat=3)
    assert response.status_code == 200
    print(f"compliance page (district): {page_s * 1000:.0f} ms")
    print("RESULT " + json.dumps({
        "database": connection.vendor, "branches": args.branches, "members": args.members,
        "meetings": meetings, "attendance_rows": attendance, "study_records": study,
        "demo_step_s": round(build_s, 2), "compliance_selector_ms": round(selector_s * 1000, 1),
        "compliance_reference_ms": round(reference_s * 1000, 1),
        "ratio_reference_over_selector": round(reference_s / selector_s, 2),
        "compliance_page_ms": round(page_s * 1000, 1)}))


if __name__ == "__main__":
    main()
