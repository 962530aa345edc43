"""Every service page and endpoint shows exactly the actor's scope; outside it is 404."""
from datetime import date

import pytest

from sanxin.service import services
from sanxin.service.models import Assignment, MajorProject, Milestone, Visit

pytestmark = pytest.mark.django_db

ROLES = ("district", "area", "department", "functional", "organization", "officer")
# which officers each role sees: the shared officer (area B, dept X) and officer_a (area A)
OFFICERS = {"district": {"officer", "officer_a"}, "area": {"officer_a"},
            "department": {"officer"}, "functional": set(), "organization": {"officer_a"},
            "officer": {"officer"}}
ORGS = {"district": {"a1", "a2", "b1"}, "area": {"a1", "a2"}, "department": {"a1", "b1"},
        "functional": set(), "organization": {"a1"}, "officer": {"b1"}}
# project on a1 is escorted by the functional department; project on b1 by the shared officer
PROJECTS = {"district": {"a1", "b1"}, "area": {"a1"}, "department": {"a1", "b1"},
            "functional": {"a1"}, "organization": {"a1"}, "officer": {"b1"}}


@pytest.fixture
def world(district, officer_a):
    district.officer.department = district.dept_x
    district.officer.save()
    Assignment.objects.create(organization=district.a1, officer=officer_a, reason="test")
    visits = {
        "a1": Visit.objects.create(officer=officer_a, organization=district.a1,
                                   visited_on=date(2026, 1, 5), met_person="甲", discussed="x",
                                   demands="用工"),
        "b1": Visit.objects.create(officer=district.officer, organization=district.b1,
                                   visited_on=date(2026, 1, 6), met_person="乙", discussed="y"),
    }
    projects = {
        "a1": MajorProject.objects.create(name="甲一扩建项目", organization=district.a1,
                                          officer=officer_a, department=district.dept_f),
        "b1": MajorProject.objects.create(name="乙一技改项目", organization=district.b1,
                                          officer=district.officer),
    }
    for p in projects.values():
        Milestone.objects.create(project=p, kind="signed", planned_on=date(2025, 1, 1))
    return {"visits": visits, "projects": projects, "officer_a": officer_a}


def officer_names(district, world, keys):
    objs = {"officer": district.officer, "officer_a": world["officer_a"]}
    return {objs[k].pk for k in keys}


@pytest.mark.parametrize("role", ROLES)
def test_officer_pages_and_api(district, world, client_for, role):
    client = client_for(district.users()[role])
    expected = officer_names(district, world, OFFICERS[role])
    page = client.get("/service/officers/")
    assert {o.pk for o in page.context["page"]} == expected
    body = client.get("/api/service/officers").json()
    assert {r["id"] for r in body["results"]} == expected and body["count"] == len(expected)
    for officer in (district.officer, world["officer_a"]):
        status = 200 if officer.pk in expected else 404
        assert client.get(f"/service/officers/{officer.pk}/").status_code == status
        assert client.get(f"/api/service/officers/{officer.pk}").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_assignment_pages_and_api(district, world, client_for, role):
    client = client_for(district.users()[role])
    expected = {getattr(district, k).pk for k in ORGS[role]}
    assigned = expected - {district.a2.pk}
    body = client.get("/api/service/assignments").json()
    assert {r["organization_id"] for r in body["results"]} == assigned
    for key in ("a1", "a2", "b1"):
        org = getattr(district, key)
        status = 200 if org.pk in expected else 404
        assert client.get(f"/service/assignments/{org.pk}/").status_code == status
        assert client.get(f"/api/service/organizations/{org.pk}/assignments").status_code == status
    coverage = client.get("/service/coverage/").context
    assert coverage["total"].total == len(expected)
    assert coverage["total"].assigned == len(assigned)
    unassigned = {o.pk for o in client.get("/service/unassigned/").context["page"]}
    assert unassigned == expected & {district.a2.pk}


@pytest.mark.parametrize("role", ROLES)
def test_visit_pages_and_api(district, world, client_for, role):
    client = client_for(district.users()[role])
    expected = {world["visits"][k].pk for k in ("a1", "b1") if k in ORGS[role]}
    assert {v.pk for v in client.get("/service/visits/").context["page"]} == expected
    assert {r["id"] for r in client.get("/api/service/visits").json()["results"]} == expected
    for visit in world["visits"].values():
        status = 200 if visit.pk in expected else 404
        assert client.get(f"/service/visits/{visit.pk}/").status_code == status
        assert client.get(f"/api/service/visits/{visit.pk}").status_code == status
        assert client.post(f"/service/visits/{visit.pk}/settle/").status_code in (
            (403, 302) if status == 200 else (404,))
    frequent = client.get("/service/visits/frequent/")
    assert frequent.status_code == 200
    overdue = client.get("/service/visits/overdue/")
    shown = {a.organization_id for a in overdue.context["page"]}
    assert shown <= {getattr(district, k).pk for k in ORGS[role]}


@pytest.mark.parametrize("role", ROLES)
def test_project_pages_and_api(district, world, client_for, role):
    client = client_for(district.users()[role])
    expected = {world["projects"][k].pk for k in PROJECTS[role]}
    assert {r.project.pk for r in client.get("/service/projects/").context["rows"]} == expected
    assert {r["id"] for r in client.get("/api/service/projects").json()} == expected
    for project in world["projects"].values():
        status = 200 if project.pk in expected else 404
        assert client.get(f"/service/projects/{project.pk}/").status_code == status
        assert client.get(f"/api/service/projects/{project.pk}").status_code == status


@pytest.mark.parametrize("role", ROLES)
def test_plans_belong_to_their_planner(district, world, client_for, role):
    plan = services.plan_preview(actor=district.district, mode="assign")
    client = client_for(district.users()[role])
    status = 200 if role == "district" else 404
    assert client.get(f"/service/optimizer/plans/{plan.pk}/").status_code == status
    assert client.get(f"/api/service/optimizer/plans/{plan.pk}").status_code == status
    response = client.post(f"/api/service/optimizer/plans/{plan.pk}/apply")
    assert response.status_code == (200 if role == "district" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_optimizer_and_officer_forms_only_for_district_and_area(district, world, client_for,
                                                                role):
    client = client_for(district.users()[role])
    allowed = role in ("district", "area")
    assert client.get("/service/optimizer/").status_code == (200 if allowed else 403)
    assert client.get("/service/officers/new/").status_code == (200 if allowed else 403)
    response = client.post("/api/service/optimizer/preview", {"mode": "assign"},
                           content_type="application/json")
    assert response.status_code == (201 if allowed else 403)


def test_organization_panel_shows_the_officer_and_why(district, world, client_for):
    page = client_for(district.area_user).get(f"/organizations/{district.a1.pk}/")
    text = page.content.decode()
    assert str(world["officer_a"]) in text and "service/_officer_panel.html" in text


def test_anonymous_is_refused(district, world, client):
    assert client.get("/service/officers/").status_code == 302
    assert client.get("/api/service/officers").status_code == 401
    assert client.post("/api/service/optimizer/preview", {"mode": "assign"},
                       content_type="application/json").status_code == 401


def test_officer_home_lists_only_own_enterprises(district, world, client_for):
    page = client_for(world["officer_a"].user).get("/service/")
    assert [a.organization_id for a in page.context["mine"]] == [district.a1.pk]
    assert client_for(district.district).get("/service/").status_code == 302
    assert [r.organization_id for r in page.context["upcoming"]] == [district.a1.pk]
