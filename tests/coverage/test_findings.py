"""Each finding at its rule's boundary, and only inside the actor's scope."""
from datetime import date, timedelta

import pytest

from sanxin.coverage.findings import findings_for
from sanxin.party.models import MemberStatus
from tests.factories import OrganizationFactory
from tests.party.builders import members, party_org

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


def found(actor, kind, today=TODAY) -> set[str]:
    return {f.name for f in findings_for(actor, kind=kind, today=today)}


def test_missing_branch_from_three_full_members(world, district):
    host = world.branches["a34"]
    members(host, 2, employer=district.a2)
    assert found(district.district, "missing_branch") == set()
    members(host, 1, employer=district.a2, status=MemberStatus.PROBATIONARY)
    assert found(district.district, "missing_branch") == set()
    members(host, 1, employer=district.a2)
    assert found(district.district, "missing_branch") == {district.a2.name}
    # three full members at an organization with its own branch: no finding
    members(world.branches["a1"], 3, employer=district.a1)
    assert district.a1.name not in found(district.district, "missing_branch")


def test_joint_branch_over_five_units(district):
    units = [OrganizationFactory(area=district.area_a) for _ in range(6)]
    five = party_org("五单位联合党支部", district.area_a, units[:5], kind="joint_branch")
    assert found(district.district, "joint_too_large") == set()
    five.units.add(units[5])
    assert found(district.district, "joint_too_large") == {"五单位联合党支部"}


def test_branch_over_fifty_members(district):
    branch = party_org("大支部", district.area_a, [district.a1], committee_size=5)
    members(branch, 50)
    assert found(district.district, "branch_too_large") == set()
    members(branch, 1, status=MemberStatus.PROBATIONARY)
    assert found(district.district, "branch_too_large") == {"大支部"}


def test_seven_full_members_need_a_committee(district):
    branch = party_org("七人支部", district.area_a, [district.a1])
    members(branch, 6)
    members(branch, 3, status=MemberStatus.PROBATIONARY)
    assert found(district.district, "no_committee") == set()
    members(branch, 1)
    assert found(district.district, "no_committee") == {"七人支部"}
    branch.committee_size = 3
    branch.save()
    assert found(district.district, "no_committee") == set()


def test_term_expired_from_the_day_after_its_end(district):
    party_org("换届支部", district.area_a, [district.a1], term_start=TODAY - timedelta(days=1095),
              term_end=TODAY)
    assert found(district.district, "term_expired", today=TODAY) == set()
    assert found(district.district, "term_expired", today=TODAY + timedelta(days=1)) == {"换届支部"}


@pytest.mark.parametrize(("village", "years"), [(False, 3), (True, 5)])
def test_term_without_a_recorded_end_expires_after_the_rules_years(district, village, years):
    """支部工作条例 第十九条: 3 years, 村/社区 5; the day the term ends it has not yet expired."""
    start = date(2021, 11, 29)
    end = start.replace(year=start.year + years)
    party_org("社区党委" if village else "企业支部", district.area_a, [district.a1],
              term_start=start, village_or_community=village)
    assert found(district.district, "term_expired", today=end) == set()
    expired = findings_for(district.district, kind="term_expired", today=end + timedelta(days=1))
    assert [f.name for f in expired] == ["社区党委" if village else "企业支部"]
    assert str(end) in expired[0].detail  # the end the rule gives, shown to the user


def test_a_village_term_of_four_years_has_not_expired(district):
    party_org("村党支部", district.area_a, [], term_start=date(2022, 11, 29), village_or_community=True)
    party_org("公司支部", district.area_a, [], term_start=date(2022, 11, 29))
    assert found(district.district, "term_expired", today=TODAY) == {"公司支部"}


def test_no_secretary_and_no_term_never_crash(district):
    branch = party_org("无书记支部", district.area_a, [])
    assert "无书记支部" in found(district.district, "no_secretary")
    secretary = members(branch, 1)[0]
    branch.secretary = secretary
    branch.save()
    assert "无书记支部" not in found(district.district, "no_secretary")
    # an organization without employees or members is no crash and no 应建未建
    empty = OrganizationFactory(area=district.area_a, employees=None)
    assert empty.name not in found(district.district, "missing_branch")


def test_responsibility_gaps(world, district):
    at_district = OrganizationFactory(name="未落实属地公司", area=district.root, authority=district.dept_x)
    assert found(district.district, "no_authority") == {world.orgs["a5"].name}
    assert found(district.district, "no_area") == {at_district.name}


def test_findings_stay_in_scope(world, district):
    party_org("乙区无书记支部", district.area_b, [district.b1])
    names = {f.name for f in findings_for(district.area_user, today=TODAY)}
    assert "乙区无书记支部" not in names
    assert "甲一党支部" in names
    assert {f.area_code for f in findings_for(district.area_user, today=TODAY)} == {"500102006"}
    assert findings_for(district.functional_user, today=TODAY) == []
    # an area filter outside the scope gives nothing, never the other area's findings
    assert findings_for(district.area_user, area_code="500102007", today=TODAY) == []
