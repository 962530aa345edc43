"""Monthly snapshots (idempotent per month) and the trend; campaign targets and their progress."""
from datetime import date

import pytest
from django.core.management import call_command

from sanxin.coverage.models import CampaignTarget, CoverageSnapshot
from tests.party.builders import party_org

pytestmark = pytest.mark.django_db


def snapshot_rows(month):
    return sorted(CoverageSnapshot.objects.filter(month=month).values_list(
        "area__code", "domain", "population", "total", "single", "joint", "work"))


def test_snapshot_is_idempotent_per_month(world, district):
    call_command("coverage_snapshot", month="2026-10")
    first = snapshot_rows(date(2026, 10, 1))
    assert ("500102006", "enterprise", "sanyou", 5, 1, 2, 1) in first
    assert ("500102006", "enterprise", "all", 6, 2, 2, 1) in first
    call_command("coverage_snapshot", month="2026-10")
    assert snapshot_rows(date(2026, 10, 1)) == first
    assert CoverageSnapshot.objects.count() == len(first)
    # the same month taken after a change replaces that month, not others
    party_org("乙一党支部", district.area_b, [district.b1])
    call_command("coverage_snapshot", month="2026-11")
    call_command("coverage_snapshot", month="2026-11")
    assert CoverageSnapshot.objects.filter(month=date(2026, 10, 1)).count() == len(first)
    assert ("500102007", "enterprise", "sanyou", 6, 2, 2, 0) in snapshot_rows(date(2026, 11, 1))


def test_bad_month_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2026-11"):
        call_command("coverage_snapshot", month="November")
    assert not CoverageSnapshot.objects.exists()


def test_trend_page_follows_the_scope(world, district, client_for):
    call_command("coverage_snapshot", month="2026-10")
    party_org("乙一党支部", district.area_b, [district.b1])
    call_command("coverage_snapshot", month="2026-11")
    points = client_for(district.district).get("/coverage/trend/").context["points"]
    assert [(p.label, p.total, p.organized) for p in points] == [("2026-10", 11, 6), ("2026-11", 11, 7)]
    points = client_for(district.area_user).get("/coverage/trend/").context["points"]
    assert [(p.total, p.organized) for p in points] == [(5, 3), (5, 3)]
    assert client_for(district.dept_user).get("/coverage/trend/").context["points"] == []


def target_data(**extra):
    return {"title": "年底单独组建率", "area": "500102006", "metric": "single_rate",
            "target_percent": "40", "period_start": "2026-01-01", "period_end": "2026-12-31", **extra}


def test_district_sets_a_target_and_sees_progress(world, district, client_for):
    client = client_for(district.district)
    assert client.post("/coverage/targets/", target_data()).status_code == 302
    progress = client.get("/coverage/targets/").context["progress"]
    assert len(progress) == 1
    p = progress[0]
    assert (p.current.numerator, p.current.denominator) == (1, 5)  # a1 of a1..a5
    assert p.progress_percent == 50 and not p.reached
    # the area sees its own target, the other area's user would not
    assert len(client_for(district.area_user).get("/coverage/targets/").context["progress"]) == 1
    assert client_for(district.dept_user).get("/coverage/targets/").context["progress"] == []


@pytest.mark.parametrize(("field", "value"), [("target_percent", "120"), ("target_percent", "-1"),
                                              ("period_end", "2025-12-31"), ("area", "999")])
def test_bad_target_is_refused(world, district, client_for, field, value):
    response = client_for(district.district).post("/coverage/targets/", target_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CampaignTarget.objects.exists()


def test_only_the_district_sets_targets(world, district, client_for):
    assert client_for(district.area_user).post("/coverage/targets/", target_data()).status_code == 403
    assert not CampaignTarget.objects.exists()
