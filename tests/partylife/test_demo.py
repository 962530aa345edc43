"""The demo step: the source's vanguard figures, 海源怡生活's volunteering, a year of meetings
with some branches out of compliance, and every row consistent with the rules."""
import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.demo.steps import records_start
from sanxin.party.models import Member
from sanxin.partylife.demo import HAIYUANYI, HAIYUANYI_TEAM
from sanxin.partylife.models import (
    Attendance,
    Candidate,
    Meeting,
    StudyPlace,
    StudyRecord,
    VanguardUnit,
    VolunteerActivity,
)
from sanxin.partylife.selectors import branch_compliance

pytestmark = pytest.mark.django_db
SCALE = 0.1


@pytest.fixture
def demo():
    call_command("demo", scale=SCALE)


def test_vanguard_figures_scaled(demo):
    counts = dict(VanguardUnit.objects.values_list("kind").annotate(n=Count("id")))
    assert counts == {"production_line": round(13 * SCALE), "pioneer_post": round(45 * SCALE),
                      "research_team": round(11 * SCALE), "volunteer_team": round(217 * SCALE)}


def test_haiyuanyi_volunteering(demo):
    team = VanguardUnit.objects.get(name=HAIYUANYI_TEAM)
    assert team.party_organization.units.filter(name=HAIYUANYI).exists()
    assert team.members.count() == round(112 * SCALE)
    activities = VolunteerActivity.objects.filter(team=team)
    assert activities.count() == round(200 * SCALE)
    assert activities.filter(kind="caring").count() == round(16 * SCALE)
    volunteers = Member.objects.filter(
        volunteer_participations__activity__in=activities).distinct().count()
    assert volunteers == round(112 * SCALE)
    assert User.objects.filter(username="demo_haiyuanyi").exists()


def test_meetings_for_the_year_with_some_branches_out_of_compliance(demo):
    today = timezone.localdate()
    assert not Meeting.objects.filter(status="held", held_on__gt=today).exists()
    first = records_start(today)
    assert Meeting.objects.filter(held_on__gte=first).exists()
    assert not Meeting.objects.filter(held_on__lt=first).exists()
    mismatched = Meeting.objects.annotate(n=Count("attendance")).filter(
        status="held").exclude(expected_count=F("n"))
    assert not mismatched.exists()
    district = User.objects.get(username="demo_district")
    rows = branch_compliance(district, first.year)   # a year with months behind it
    assert rows and any(r.missing for r in rows) and any(r.compliant for r in rows)
    assert Attendance.objects.filter(~Q(status="present"), made_up_on__isnull=False).exists()


def test_study_places_and_development(demo):
    assert StudyPlace.objects.filter(kind="education_base").exists()
    assert StudyRecord.objects.filter(hours__gt=0, hours__lte=24).count() == \
        StudyRecord.objects.count() > 0
    record = StudyRecord.objects.select_related("member").first()  # written by raw inserts
    assert timezone.is_aware(record.created_at) and record.created_at.date() <= timezone.now().date()
    assert record.member.party_organization_id == record.party_organization_id
    stages = set(Candidate.objects.values_list("stage", flat=True))
    assert {"applicant", "activist", "candidate", "probationary"} <= stages



def test_step_leaves_the_shared_random_stream_to_later_steps(district, party):
    import random

    from sanxin.demo.steps import DemoContext
    from sanxin.partylife.demo import build

    ctx = DemoContext(rng=random.Random(5), scale=0.05, log=lambda _m: None)
    before = ctx.rng.getstate()
    build(ctx)
    assert ctx.rng.getstate() == before
    assert Meeting.objects.filter(party_organization=party.branch_a1).exists()
