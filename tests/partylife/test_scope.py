"""Every party-life page and endpoint shows exactly the actor's scope: the district all, an
area its branches, an organization contact the party organization covering its unit, departments
and officers nothing; out of scope is 404."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sanxin.partylife import services
from sanxin.partylife.models import (
    Achievement,
    Candidate,
    IntakePlan,
    StudyPlace,
    StudyRecord,
    VanguardUnit,
)

from .conftest import VISIBLE

pytestmark = pytest.mark.django_db
ROLES = list(VISIBLE)
KEYS = ("branch_a1", "joint_a2", "branch_b1")
RECENT = timezone.localdate() - timedelta(days=7)  # inside the six-month absence window


@pytest.fixture
def world(district, party):
    """One of everything per branch, recorded by the district."""
    actor = district.district
    rows = {}
    for key in KEYS:
        org = getattr(party, key)
        members = {"branch_a1": party.a1_members, "joint_a2": party.a2_members,
                   "branch_b1": party.b1_members}[key]
        meeting = services.meeting_record(
            actor=actor, party_organization_id=org.pk, kind="theme_day",
            held_on=RECENT, topic=f"{key} topic",
            attendance=[services.AttendanceInput(m.pk, "absent") for m in members])
        for days in (1, 2):
            services.meeting_record(
                actor=actor, party_organization_id=org.pk, kind="theme_day",
                held_on=RECENT - timedelta(days=days), topic="again",
                attendance=[services.AttendanceInput(m.pk, "absent") for m in members])
        study = services.study_record_create(actor=actor, member_id=members[0].pk,
                                             studied_on=date(2025, 3, 3), mode="online",
                                             topic=f"{key} study", hours=2)
        unit = services.vanguard_unit_create(actor=actor, kind="volunteer_team",
                                             name=f"{key} team", party_organization_id=org.pk,
                                             member_ids=[members[0].pk])
        services.achievement_add(actor=actor, unit_id=unit.pk, achieved_on=date(2025, 3, 3),
                                 title="获奖")
        activity = services.volunteer_activity_record(
            actor=actor, party_organization_id=org.pk, held_on=date(2025, 3, 3), place="社区",
            kind="caring", title=f"{key} activity", beneficiaries=5, team_id=unit.pk,
            participants=[services.ParticipantInput(members[0].pk, 2)])
        candidate = services.candidate_create(actor=actor, name=f"{key} candidate",
                                              party_organization_id=org.pk,
                                              applied_on=date(2025, 1, 1))
        rows[key] = {"org": org, "meeting": meeting, "study": study, "unit": unit,
                     "activity": activity, "candidate": candidate, "member": members[0]}
    for area in (district.area_a, district.area_b):
        services.study_place_create(actor=actor, name=f"{area.name}学习角", kind="corner",
                                    area_id=area.pk)
        services.intake_plan_save(actor=actor, area_id=area.pk, year=2025, planned=5)
    return rows


def visible(role):
    return VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_list_pages_show_exactly_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    expect = visible(role)
    page = client.get("/partylife/meetings/").context["page"]
    assert {m.party_organization.name for m in page} == {world[k]["org"].name for k in expect}
    rows = client.get("/partylife/compliance/", {"year": 2025}).context["rows"]
    assert {r.org.name for r in rows} == {world[k]["org"].name for k in expect}
    alerts = client.get("/partylife/alerts/", {"year": 2025}).context["page"]
    assert {a.org.name for a in alerts} == {world[k]["org"].name for k in expect}
    absent = client.get("/partylife/absences/").context["page"]
    assert {m.party_organization.name for m in absent} <= {world[k]["org"].name for k in expect}
    study = client.get("/partylife/study/", {"year": 2025})
    assert {r.topic for r in study.context["page"]} == {f"{k} study" for k in expect}
    assert {t["name"] for t in study.context["totals"]} == {world[k]["org"].name for k in expect}
    units = client.get("/partylife/vanguard/").context["page"]
    assert {u.name for u in units} == {f"{k} team" for k in expect}
    volunteering = client.get("/partylife/volunteering/")
    assert {a.title for a in volunteering.context["page"]} == {f"{k} activity" for k in expect}
    assert {t["activity__party_organization__name"] for t in volunteering.context["totals"]} == \
        {world[k]["org"].name for k in expect}
    candidates = client.get("/partylife/development/", {"year": 2025})
    assert {c.name for c in candidates.context["page"]} == {f"{k} candidate" for k in expect}
    home = client.get("/partylife/", {"year": 2025})
    assert home.context["branches"] == len(expect)


@pytest.mark.parametrize("role", ROLES)
def test_places_and_plans_follow_the_area(world, district, client_for, role):
    client = client_for(district.users()[role])
    places = {p.name for p in client.get("/partylife/places/").context["page"]}
    plans = {r["plan"].area.name for r in client.get(
        "/partylife/development/", {"year": 2025}).context["plans"]}
    expected_places = {"district": {"敦仁街道学习角", "崇义街道学习角"}, "area": {"敦仁街道学习角"},
                       "organization": {"敦仁街道学习角"}}.get(role, set())
    assert places == expected_places
    assert plans == {"district": {"敦仁街道", "崇义街道"}, "area": {"敦仁街道"}}.get(role, set())


@pytest.mark.parametrize("role", ROLES)
def test_detail_pages_are_404_outside_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    for key in KEYS:
        urls = [f"/partylife/meetings/{world[key]['meeting'].pk}/",
                f"/partylife/vanguard/{world[key]['unit'].pk}/",
                f"/partylife/volunteering/{world[key]['activity'].pk}/",
                f"/partylife/development/{world[key]['candidate'].pk}/"]
        for url in urls:
            response = client.get(url)
            if key in visible(role):
                assert response.status_code == 200, url
            else:
                assert response.status_code == 404, url
                assert world[key]["org"].name not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_record_pages_offer_only_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    if not visible(role):
        for url in ("/partylife/meetings/new/", "/partylife/study/new/",
                    "/partylife/vanguard/new/", "/partylife/volunteering/new/",
                    "/partylife/development/new/"):
            assert client.get(url).status_code == 403, url
        return
    orgs = {o.name for o in client.get("/partylife/meetings/new/").context["orgs"]}
    assert orgs == {world[k]["org"].name for k in visible(role)}
    for key in KEYS:
        org_id = world[key]["org"].pk
        for url in ("/partylife/meetings/new/", "/partylife/volunteering/new/"):
            status = client.get(url, {"org": org_id}).status_code
            assert status == (200 if key in visible(role) else 404)
    member_choices = {label for _v, label in client.get(
        "/partylife/study/new/").context["form"].fields["member"].choices}
    assert all(label.split(" · ")[1] in {world[k]["org"].name for k in visible(role)}
               for label in member_choices)
    org_choices = {label for _v, label in client.get(
        "/partylife/vanguard/new/").context["form"].fields["party_organization"].choices}
    assert org_choices == {world[k]["org"].name for k in visible(role)}


@pytest.mark.parametrize("role", ROLES)
def test_api_lists_follow_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    expect = visible(role)
    org_ids = {world[k]["org"].pk for k in expect}
    body = client.get("/api/partylife/meetings").json()
    assert {r["party_organization_id"] for r in body["results"]} == org_ids
    assert body["count"] == 3 * len(expect)
    assert {b["party_organization_id"] for b in client.get(
        "/api/partylife/compliance", {"year": 2025}).json()["branches"]} == org_ids
    assert {a["party_organization_id"] for a in client.get(
        "/api/partylife/alerts", {"year": 2025}).json()} == org_ids
    assert {a["member_id"] for a in client.get("/api/partylife/absences").json()} >= \
        {world[k]["member"].pk for k in expect}
    assert len(client.get("/api/partylife/absences").json()) == sum(
        {"branch_a1": 8, "joint_a2": 3, "branch_b1": 4}[k] for k in expect)
    assert {r["party_organization_id"] for r in client.get(
        "/api/partylife/study").json()["results"]} == org_ids
    assert {r["id"] for r in client.get("/api/partylife/study/totals",
                                        {"year": 2025}).json()} == org_ids
    assert {r["party_organization_id"] for r in client.get(
        "/api/partylife/vanguard").json()["results"]} == org_ids
    assert client.get("/api/partylife/vanguard/counts").json()["total"] == len(expect)
    assert {r["party_organization_id"] for r in client.get(
        "/api/partylife/volunteering").json()["results"]} == org_ids
    for by in ("member", "team", "organization"):
        assert len(client.get("/api/partylife/volunteering/totals", {"by": by}).json()) == \
            len(expect)
    assert {r["party_organization_id"] for r in client.get(
        "/api/partylife/candidates").json()["results"]} == org_ids
    places = client.get("/api/partylife/places").json()["count"]
    assert places == {"district": 2, "area": 1, "organization": 1}.get(role, 0)
    plans = client.get("/api/partylife/plans", {"year": 2025}).json()
    assert len(plans) == {"district": 2, "area": 1}.get(role, 0)


@pytest.mark.parametrize("role", ROLES)
def test_api_details_and_writes_are_404_outside_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    for key in KEYS:
        row = world[key]
        gets = [f"/api/partylife/meetings/{row['meeting'].pk}",
                f"/api/partylife/vanguard/{row['unit'].pk}",
                f"/api/partylife/volunteering/{row['activity'].pk}",
                f"/api/partylife/candidates/{row['candidate'].pk}"]
        posts = [(f"/api/partylife/meetings/{row['meeting'].pk}/make-up",
                  {"member_id": row["member"].pk, "made_up_on": timezone.localdate().isoformat()}),
                 (f"/api/partylife/vanguard/{row['unit'].pk}/achievements",
                  {"achieved_on": "2025-03-10", "title": "x"}),
                 (f"/api/partylife/candidates/{row['candidate'].pk}/talk",
                  {"talked_on": "2025-01-10"})]
        inside = key in visible(role)
        for url in gets:
            assert client.get(url).status_code == (200 if inside else 404), url
        for url, payload in posts:
            response = client.post(url, payload, content_type="application/json")
            assert response.status_code == (200 if inside and url.endswith("/make-up")
                                            else 201 if inside and "achievements" in url
                                            else 200 if inside else 404), url
    assert Achievement.objects.count() == 3 + len(visible(role))


@pytest.mark.parametrize("role", ROLES)
def test_api_creates_refuse_organizations_outside_the_scope(world, district, client_for, role):
    client = client_for(district.users()[role])
    before = (VanguardUnit.objects.count(), Candidate.objects.count(), StudyRecord.objects.count())
    for key in KEYS:
        if key in visible(role):
            continue
        org = world[key]["org"]
        response = client.post("/api/partylife/vanguard", {
            "kind": "pioneer_post", "name": "x", "party_organization_id": org.pk},
            content_type="application/json")
        assert response.status_code in (422, 403)
        response = client.post("/api/partylife/study", {
            "member_id": world[key]["member"].pk, "studied_on": "2025-03-03", "mode": "online",
            "topic": "x", "hours": 1}, content_type="application/json")
        assert response.status_code in (422, 403)
    assert before == (VanguardUnit.objects.count(), Candidate.objects.count(),
                      StudyRecord.objects.count())


def test_only_district_and_areas_register_places_and_plans(world, district, client_for):
    for user in (district.contact_a1, district.dept_user):
        client = client_for(user)
        response = client.post("/api/partylife/places", {"name": "x", "kind": "corner",
                                                         "area_id": district.area_a.pk},
                               content_type="application/json")
        assert response.status_code == 403
        response = client.post("/api/partylife/plans", {"area_id": district.area_a.pk,
                                                        "year": 2025, "planned": 1},
                               content_type="application/json")
        assert response.status_code == 403
    response = client_for(district.area_user).post(
        "/api/partylife/places", {"name": "x", "kind": "corner", "area_id": district.area_b.pk},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "area"
    assert StudyPlace.objects.count() == 2 and IntakePlan.objects.filter(planned=1).count() == 0
