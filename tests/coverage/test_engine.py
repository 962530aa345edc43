"""Statuses and rates on the hand-built world, whose right answers are known."""
import pytest

from sanxin.coverage import engine
from sanxin.coverage.selectors import CoverageFilter, coverage_rates, organization_statuses
from sanxin.registry.models import Organization

pytestmark = pytest.mark.django_db

EXPECTED_STATUS = {"a1": "single", "a2": "blank", "a3": "joint", "a4": "joint", "a5": "work",
                   "a6": "single", "b1": "blank", "b2": "blank", "b3": "blank", "b4": "single",
                   "b5": "joint", "b6": "joint"}


def test_status_of_every_organization(world):
    statuses = dict(engine.with_status(Organization.objects.all()).values_list("pk", "coverage_status"))
    assert {k: statuses[o.pk] for k, o in world.orgs.items()} == EXPECTED_STATUS


@pytest.mark.parametrize("status", ["single", "joint", "work", "blank"])
def test_filter_by_status_agrees_with_annotation(world, status):
    pks = set(engine.filter_status(Organization.objects.all(), status).values_list("pk", flat=True))
    assert pks == {o.pk for k, o in world.orgs.items() if EXPECTED_STATUS[k] == status}


def test_district_rates_over_sanyou(world, district):
    totals, _ = coverage_rates(district.district, CoverageFilter())
    assert (totals.total, totals.single, totals.joint, totals.work, totals.blank) == (11, 2, 4, 1, 4)
    assert totals.org_rate.as_dict() == {"numerator": 6, "denominator": 11, "percent": 54.5}
    assert totals.single_rate.as_dict() == {"numerator": 2, "denominator": 11, "percent": 18.2}
    assert totals.work_rate.as_dict() == {"numerator": 1, "denominator": 11, "percent": 9.1}
    assert totals.both_rate.as_dict() == {"numerator": 7, "denominator": 11, "percent": 63.6}


def test_all_organizations_option_counts_the_non_sanyou(world, district):
    totals, _ = coverage_rates(district.district, CoverageFilter(all="1"))
    assert (totals.total, totals.single) == (12, 3)


def test_rates_grouped_by_area(world, district):
    _, groups = coverage_rates(district.district, CoverageFilter(), "area")
    by_area = {g.label: (g.total, g.single, g.joint, g.work, g.blank) for g in groups}
    assert by_area == {"敦仁街道": (5, 1, 2, 1, 1), "崇义街道": (6, 1, 2, 0, 3)}


def test_rates_grouped_by_industry_and_authority(world, district):
    _, groups = coverage_rates(district.district, CoverageFilter(), "industry")
    assert {g.key: g.total for g in groups} == {"C": 10, "F": 1}
    _, groups = coverage_rates(district.district, CoverageFilter(), "authority")
    assert {g.key: (g.total, g.work) for g in groups} == {
        district.dept_x.pk: (9, 0), district.dept_y.pk: (1, 0), None: (1, 1)}


def test_rates_follow_the_scope(world, district):
    totals, _ = coverage_rates(district.area_user, CoverageFilter())
    assert (totals.total, totals.single, totals.joint, totals.work) == (5, 1, 2, 1)
    totals, _ = coverage_rates(district.contact_a1, CoverageFilter())
    assert (totals.total, totals.single) == (1, 1)
    totals, _ = coverage_rates(district.functional_user, CoverageFilter())
    assert totals.total == 0 and totals.org_rate.percent is None
    # an area filter never widens the scope
    totals, _ = coverage_rates(district.area_user, CoverageFilter(area="500102007"))
    assert totals.total == 0


def test_blind_spot_list(world, district):
    blank = organization_statuses(district.district, CoverageFilter(status="blank"))
    assert {o.name for o in blank} == {world.orgs[k].name for k in ("a2", "b1", "b2", "b3")}


def test_ending_an_instructor_assignment_removes_work_coverage(world, district):
    from django.utils import timezone

    for assignment in world.orgs["a5"].instructor_assignments.all():  # as instructor_save does
        assignment.ended_on = timezone.localdate()
        assignment.save()
    totals, _ = coverage_rates(district.district, CoverageFilter())
    assert (totals.work, totals.blank) == (0, 5)


def test_unit_count_follows_every_way_of_changing_units(world):
    joint = world.branches["a34"]
    assert joint.unit_count == 2
    joint.units.remove(world.orgs["a4"])
    joint.refresh_from_db()
    assert joint.unit_count == 1
    world.orgs["a2"].party_organizations.add(joint)
    joint.refresh_from_db()
    assert joint.unit_count == 2
    world.orgs["a2"].party_organizations.clear()
    joint.refresh_from_db()
    assert joint.unit_count == 1


def test_one_report_for_several_groupings_agrees_with_each_alone(world, district):
    from sanxin.coverage.selectors import coverage_report

    totals, report = coverage_report(district.district, CoverageFilter(all="1"),
                                     ["area", "industry", "domain", "authority"])
    assert (totals.total, totals.single, totals.joint, totals.work) == (12, 3, 4, 1)
    for grouping, groups in report.items():
        alone = coverage_rates(district.district, CoverageFilter(all="1"), grouping)[1]
        assert [(g.key, g.total, g.single, g.joint, g.work) for g in groups] == [
            (g.key, g.total, g.single, g.joint, g.work) for g in alone]
        assert sum(g.total for g in groups) == totals.total
    with pytest.raises(ValueError):
        coverage_report(district.district, CoverageFilter(), ["shoe_size"])
