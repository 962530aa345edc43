"""Compliance rates on hand-built branches, per branch, area and domain, in pages and the API."""
from datetime import date, timedelta

import pytest

from sanxin.partylife import rules
from sanxin.partylife.models import Meeting, MeetingKind
from sanxin.partylife.selectors import alerts_from, branch_compliance, rates_by_area, rates_by_domain

pytestmark = pytest.mark.django_db
ON = date(2026, 6, 15)


def hold_everything(branch, year, applicable, skip=()):
    """One meeting in the middle of every period of every applicable rule, except (kind, start)."""
    for rule in applicable:
        for start in rules.periods_between(date(year, 1, 1), date(year, 12, 31), rule.period):
            if (rule.meeting_kind, start) in skip:
                continue
            Meeting.objects.create(party_organization=branch, kind=rule.meeting_kind,
                                   held_on=start + timedelta(days=10), topic="t")


SMALL_RULES = [r for r in rules.FREQUENCY_RULES
               if r not in (rules.BRANCH_COMMITTEE_MONTHLY, rules.GROUP_MONTHLY)]


@pytest.fixture
def built(district, party):
    """a1 fully compliant (46 checks); a2 (social) misses 2, one late (22 checks); b1 nothing."""
    district.a2.domain, district.a2.kind = "social", "social_group"
    district.a2.save()
    hold_everything(party.branch_a1, 2025, rules.FREQUENCY_RULES)
    hold_everything(party.joint_a2, 2025, SMALL_RULES, skip={
        (MeetingKind.THEME_DAY, date(2025, 3, 1)), (MeetingKind.BRANCH_GENERAL, date(2025, 4, 1)),
        (MeetingKind.LECTURE, date(2025, 7, 1))})
    Meeting.objects.create(party_organization=party.joint_a2, kind=MeetingKind.LECTURE,
                           held_on=date(2025, 10, 20), counts_for=date(2025, 9, 1), topic="补")
    return party


def by_name(rows):
    return {r.org.name: r for r in rows}


def test_branch_counts_and_rates(built, district):
    rows = by_name(branch_compliance(district.district, 2025, on=ON))
    a1, a2, b1 = (rows[built.branch_a1.name], rows[built.joint_a2.name],
                  rows[built.branch_b1.name])
    assert (a1.on_time, a1.late, a1.missing, a1.rate, a1.compliant) == (46, 0, 0, 1.0, True)
    assert (a2.on_time, a2.late, a2.missing) == (19, 1, 2)
    assert a2.rate == pytest.approx(19 / 22) and not a2.compliant
    assert (b1.on_time, b1.missing, b1.rate) == (0, 22, 0.0)


def test_rates_per_area_and_domain(built, district):
    rows = branch_compliance(district.district, 2025, on=ON)
    areas = {g.key: g for g in rates_by_area(rows)}
    assert areas["500102006"].rate == pytest.approx(65 / 68)
    assert (areas["500102006"].branches, areas["500102006"].compliant_branches) == (2, 1)
    assert areas["500102007"].rate == 0.0
    domains = {g.key: g for g in rates_by_domain(rows)}
    assert domains["enterprise"].rate == pytest.approx(46 / 68)
    assert domains["social"].rate == pytest.approx(19 / 22)


def test_alerts_name_the_missing_and_late_meetings(built, district):
    found = {(a.org.name, a.rule.code, a.period, a.status)
             for a in alerts_from(branch_compliance(district.area_user, 2025, on=ON))}
    assert found == {
        (built.joint_a2.name, "theme_day_monthly", "2025-03", "missing"),
        (built.joint_a2.name, "branch_general_quarterly", "2025Q2", "missing"),
        (built.joint_a2.name, "lecture_quarterly", "2025Q3", "late"),
    }


def test_area_user_sees_only_its_branches_rates(built, district):
    rows = branch_compliance(district.area_user, 2025, on=ON)
    assert {r.org.name for r in rows} == {built.branch_a1.name, built.joint_a2.name}
    assert [g.key for g in rates_by_area(rows)] == ["500102006"]


def test_api_compliance_and_alerts(built, district, client_for):
    client = client_for(district.district)
    body = client.get("/api/partylife/compliance", {"year": 2025}).json()
    areas = {g["key"]: g for g in body["by_area"]}
    assert areas["500102006"]["rate"] == pytest.approx(65 / 68)
    branch = next(b for b in body["branches"] if b["party_organization"] == built.branch_b1.name)
    assert branch["missing"] == 22
    alerts = client.get("/api/partylife/alerts", {"year": 2025}).json()
    assert sum(1 for a in alerts if a["party_organization_id"] == built.branch_b1.pk) == 22
    page = client.get("/partylife/compliance/", {"year": 2025})
    assert page.status_code == 200
    assert "96%" in page.content.decode()  # 65/68 for 敦仁街道


def test_compliance_page_filters_by_area(built, district, client_for):
    page = client_for(district.district).get("/partylife/compliance/",
                                             {"year": 2025, "area": "500102007"})
    assert [r.org.name for r in page.context["rows"]] == [built.branch_b1.name]
