"""The demo's service step: officers placed by the optimizer on every operating enterprise,
a year of visits, and the 10 escorted major projects."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from sanxin.registry.models import Organization
from sanxin.service.models import Assignment, MajorProject, ServiceOfficer, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", scale=0.02)


def test_every_operating_enterprise_has_exactly_one_officer_within_the_rules(demo):
    operating = Organization.objects.filter(domain="enterprise", status="operating")
    current = Assignment.objects.filter(ended_at__isnull=True)
    assert current.count() == operating.count()
    assert set(current.values_list("organization_id", flat=True)) == set(
        operating.values_list("id", flat=True))
    crossing = current.filter(officer__area__isnull=False).exclude(
        officer__area_id=F("organization__area_id"))
    assert not crossing.exists()
    over = ServiceOfficer.objects.annotate(n=Count("assignments", filter=Q(
        assignments__ended_at__isnull=True))).filter(n__gt=F("capacity"))
    assert not over.exists()
    # small scales need at least one officer per area; the full demo has exactly 1,695
    assert ServiceOfficer.objects.count() >= round(1695 * 0.02)
    assert set(current.values_list("reason", flat=True)) == {"optimizer:unassigned"}


def test_demo_officer_serves_enterprises_and_has_a_home_page(demo, client):
    officer = ServiceOfficer.objects.get(user__username="demo_officer")
    assert Assignment.objects.filter(officer=officer, ended_at__isnull=True).exists()
    client.force_login(officer.user)
    page = client.get("/service/")
    assert page.status_code == 200 and page.context["mine"]


def test_a_year_of_visits_none_in_the_future_some_overdue(demo):
    today = timezone.localdate()
    visits = Visit.objects.all()
    assert visits.exists()
    assert not visits.filter(visited_on__gt=today).exists()
    assert visits.filter(visited_on__lt=today - timedelta(days=300)).exists()
    assert visits.exclude(demands="").exists()
    from sanxin.service.selectors import overdue_visits
    from tests.factories import user_with_role

    district = user_with_role("d", "district")
    assert overdue_visits(district).exists()


def test_ten_projects_and_kasu_signed_2022_producing_within_six_months(demo):
    assert MajorProject.objects.count() == 10
    project = MajorProject.objects.get(organization__name="重庆卡涑科技有限公司")
    milestones = {m.kind: m for m in project.milestones.all()}
    assert milestones["signed"].actual_on.year == 2022
    assert (milestones["producing"].actual_on - milestones["signed"].actual_on).days < 183
    assert milestones["landed"].actual_on.isoformat() == "2022-08-04"
    assert project.officer is not None
    assert MajorProject.objects.filter(milestones__kind="custom").exists()


def test_full_scale_officer_split_adds_up_to_1695():
    from sanxin.service.demo import _officers_per_area

    per_area = {a: n for a, n in enumerate([1500, 900, 700, 120, 60] * 6)}
    counts = _officers_per_area(per_area, 1695 - 51 - 1, 15)
    assert sum(counts.values()) == 1695 - 52
    assert all(counts[a] * 15 >= per_area[a] * 1.1 for a in per_area)
